/// How a convolution reads outside its input: zeros (VGG) or the mirrored image without repeating
/// the edge (ReCoNet, whose outputs otherwise get dark borders), as PyTorch's `ReflectionPad2d`.
public enum PaddingMode: Sendable, Equatable {
    case zero
    case reflect
}

/// The index arithmetic of one convolution on one image size, shared by im2col and col2im.
///
/// The column matrix has one row per (input channel, ky, kx) and one column per output pixel. It is
/// built a band of output rows at a time (`rows`), so a 1920x1080 frame never needs the whole
/// multi-GB matrix; `col2im` is its exact adjoint (a scatter-add with the same indices), which is
/// what makes the input gradient right for reflection padding too.
struct ConvGeometry: Equatable {
    let channels: Int, height: Int, width: Int
    let kernelHeight: Int, kernelWidth: Int
    let stride: Int, padding: Int
    let mode: PaddingMode
    let outHeight: Int, outWidth: Int
    /// For each ky, the input row read by each output row (-1: a zero).
    let rowSource: [[Int32]]
    /// For each kx, the input column read by each output column (-1: a zero).
    let columnSource: [[Int32]]
    /// For each kx, the output columns whose source is `ox * stride + kx - padding` and in range.
    let interior: [Range<Int>]

    /// Rows of the column matrix: channels * kernelHeight * kernelWidth.
    var patchSize: Int { channels * kernelHeight * kernelWidth }
    var outPixels: Int { outHeight * outWidth }

    init(channels: Int, height: Int, width: Int, kernelHeight: Int, kernelWidth: Int,
         stride: Int, padding: Int, mode: PaddingMode) {
        precondition(stride >= 1 && padding >= 0 && kernelHeight >= 1 && kernelWidth >= 1)
        precondition(height + 2 * padding >= kernelHeight && width + 2 * padding >= kernelWidth,
                     "Conv2D: kernel \(kernelHeight)x\(kernelWidth) larger than padded input \(height)x\(width)")
        if mode == .reflect {
            precondition(padding < height && padding < width,
                         "Conv2D: reflection padding \(padding) needs an input larger than that, got \(height)x\(width)")
        }
        self.channels = channels; self.height = height; self.width = width
        self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth
        self.stride = stride; self.padding = padding; self.mode = mode
        outHeight = (height + 2 * padding - kernelHeight) / stride + 1
        outWidth = (width + 2 * padding - kernelWidth) / stride + 1

        func source(_ i: Int, extent: Int) -> Int32 {
            if i >= 0 && i < extent { return Int32(i) }
            if mode == .zero { return -1 }
            return Int32(i < 0 ? -i : 2 * (extent - 1) - i)
        }
        let (oh, ow) = (outHeight, outWidth)
        rowSource = (0..<kernelHeight).map { ky in
            (0..<oh).map { oy in source(oy * stride + ky - padding, extent: height) }
        }
        columnSource = (0..<kernelWidth).map { kx in
            (0..<ow).map { ox in source(ox * stride + kx - padding, extent: width) }
        }
        interior = (0..<kernelWidth).map { kx in
            // ox * stride + kx - padding in 0..<width
            let lo = max(0, (padding - kx + stride - 1) / stride)
            let last = width - 1 + padding - kx
            let hi = last < 0 ? 0 : min(ow, last / stride + 1)
            return lo..<max(lo, hi)
        }
    }

    static func == (a: ConvGeometry, b: ConvGeometry) -> Bool {
        a.channels == b.channels && a.height == b.height && a.width == b.width
            && a.kernelHeight == b.kernelHeight && a.kernelWidth == b.kernelWidth
            && a.stride == b.stride && a.padding == b.padding && a.mode == b.mode
    }

    /// Writes the column matrix for output rows `rows` of one image `x` (CHW) into `col`, whose
    /// row stride is `rows.count * outWidth`.
    func im2col(_ x: UnsafePointer<Float>, rows: Range<Int>, into col: UnsafeMutablePointer<Float>) {
        let ld = rows.count * outWidth
        let kk = kernelHeight * kernelWidth
        Parallel.forEachChunk(channels, elementsPerItem: kk * ld) { channelRange in
            for ci in channelRange {
                let plane = x + ci * height * width
                for ky in 0..<kernelHeight {
                    let rowMap = rowSource[ky]
                    for kx in 0..<kernelWidth {
                        let colRow = col + ((ci * kernelHeight + ky) * kernelWidth + kx) * ld
                        columnSource[kx].withUnsafeBufferPointer { cmap in
                            let inner = interior[kx]
                            let offset = kx - padding
                            for oy in rows {
                                let dst = colRow + (oy - rows.lowerBound) * outWidth
                                let iy = Int(rowMap[oy])
                                if iy < 0 {
                                    dst.update(repeating: 0, count: outWidth)
                                    continue
                                }
                                let src = plane + iy * width
                                for ox in 0..<inner.lowerBound {
                                    let i = Int(cmap[ox]); dst[ox] = i < 0 ? 0 : src[i]
                                }
                                if stride == 1 {
                                    (dst + inner.lowerBound).update(from: src + inner.lowerBound + offset,
                                                                    count: inner.count)
                                } else {
                                    for ox in inner { dst[ox] = src[ox * stride + offset] }
                                }
                                for ox in inner.upperBound..<outWidth {
                                    let i = Int(cmap[ox]); dst[ox] = i < 0 ? 0 : src[i]
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Adds the column matrix `col` (output rows `rows`, row stride `rows.count * outWidth`) back
    /// onto the image gradient `dx` (CHW): the adjoint of `im2col`.
    func col2imAdd(_ col: UnsafePointer<Float>, rows: Range<Int>, into dx: UnsafeMutablePointer<Float>) {
        let ld = rows.count * outWidth
        let kk = kernelHeight * kernelWidth
        Parallel.forEachChunk(channels, elementsPerItem: kk * ld) { channelRange in
            for ci in channelRange {
                let plane = dx + ci * height * width
                for ky in 0..<kernelHeight {
                    let rowMap = rowSource[ky]
                    for kx in 0..<kernelWidth {
                        let colRow = col + ((ci * kernelHeight + ky) * kernelWidth + kx) * ld
                        columnSource[kx].withUnsafeBufferPointer { cmap in
                            let inner = interior[kx]
                            let offset = kx - padding
                            for oy in rows {
                                let iy = Int(rowMap[oy])
                                if iy < 0 { continue }
                                let src = colRow + (oy - rows.lowerBound) * outWidth
                                let dst = plane + iy * width
                                for ox in 0..<inner.lowerBound {
                                    let i = Int(cmap[ox]); if i >= 0 { dst[i] += src[ox] }
                                }
                                if stride == 1 {
                                    Elementwise.add(src + inner.lowerBound,
                                                    into: dst + inner.lowerBound + offset, count: inner.count)
                                } else {
                                    for ox in inner { dst[ox * stride + offset] += src[ox] }
                                }
                                for ox in inner.upperBound..<outWidth {
                                    let i = Int(cmap[ox]); if i >= 0 { dst[i] += src[ox] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
