/// Direct stride-1 convolution for layers with few output or few input channels, such as
/// ReCoNet's last 9x9 layer (32 -> 3 channels), its first (3 -> 48) and VGG's conv1_1 (3 -> 64).
///
/// There im2col is the wrong tool: the column matrix holds Cin*k*k = 2592 values per pixel to feed
/// a GEMM only 3 rows tall, so the run is all memory traffic (measured: 7 GFLOP/s, 0.5 s for one
/// 640x360 frame). Here each input row is read once per tap into SIMD registers and multiplied
/// into four output channels at a time, sixteen pixels wide. The same kernel, run with the
/// transposed and flipped weights over the zero-padded output gradient, gives the input gradient.
/// With few input channels the input is tiny and stays in cache while each group of four output
/// channels reads it again (measured, one thread: 3 -> 48 9x9 at 640x360 52 ms against im2col's
/// 92 ms; conv1_1 at 512x288 6.6 ms against 10.4 ms).
import CKernels

struct DirectConv {
    let inChannels: Int, outChannels: Int, kernelSize: Int
    /// Weights regrouped as [outChannels / 4 rounded up][inChannels][k][k][4]: the four output
    /// channels that share an input load sit together (missing ones are zero).
    let packed: [Float]

    static let group = 4

    /// `weight` is [out, in, k, k]; with `transposedFlip`, packs the adjoint's kernels instead
    /// (in and out swapped, each kernel rotated 180 degrees).
    init(weight: Tensor, transposedFlip: Bool = false) {
        let (o, i, k) = (weight.shape[0], weight.shape[1], weight.shape[2])
        inChannels = transposedFlip ? o : i
        outChannels = transposedFlip ? i : o
        kernelSize = k
        let groups = (outChannels + DirectConv.group - 1) / DirectConv.group
        var p = [Float](repeating: 0, count: groups * inChannels * k * k * DirectConv.group)
        for co in 0..<outChannels { for ci in 0..<inChannels { for ky in 0..<k { for kx in 0..<k {
            let w = transposedFlip ? weight[((ci * i + co) * k + (k - 1 - ky)) * k + (k - 1 - kx)]
                                   : weight[((co * i + ci) * k + ky) * k + kx]
            let g = co / DirectConv.group, lane = co % DirectConv.group
            p[((((g * inChannels + ci) * k + ky) * k + kx) * DirectConv.group) + lane] = w
        } } } }
        packed = p
    }

    /// y (outChannels x outHeight x outWidth) = conv(x padded by `padding` in `mode`) + bias, for
    /// one image, where outHeight = height + 2 * padding - k + 1 (likewise the width). `path`
    /// picks the row kernel's instruction set (tests run both).
    func run(_ x: UnsafePointer<Float>, height: Int, width: Int, padding: Int, mode: PaddingMode,
             bias: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>, workspace: ConvWorkspace,
             maxBandElements: Int, path: KernelPath = .selected) {
        let k = kernelSize, cin = inChannels
        let outHeight = height + 2 * padding - k + 1, outWidth = width + 2 * padding - k + 1
        guard outHeight > 0 && outWidth > 0 else { return }
        // Padded rows carry 16 floats of slack so the last 16-pixel block may read past the end.
        let rowLength = outWidth + k - 1 + 16
        let bandRows = max(1, min(outHeight, maxBandElements / max(1, cin * rowLength) - (k - 1)))
        let paddedRows = bandRows + k - 1
        let band = workspace.buffer(3, count: cin * paddedRows * rowLength)
        let groups = (outChannels + DirectConv.group - 1) / DirectConv.group

        packed.withUnsafeBufferPointer { wp in
            var oy0 = 0
            while oy0 < outHeight {
                let rows = min(bandRows, outHeight - oy0)
                fillBand(x, height: height, width: width, padding: padding, mode: mode, firstRow: oy0,
                         rows: rows + k - 1, into: band, paddedRows: paddedRows, rowLength: rowLength)
                Parallel.forEachChunk(groups * rows, elementsPerItem: cin * k * k * outWidth * 2) { items in
                    for item in items {
                        let g = item / rows, r = item % rows
                        let weights = wp.baseAddress! + g * cin * k * k * DirectConv.group
                        let inputRows = band + r * rowLength
                        let channels = min(DirectConv.group, outChannels - g * DirectConv.group)
                        var out: [UnsafeMutablePointer<Float>] = []
                        var biases: [Float] = []
                        for j in 0..<channels {
                            let co = g * DirectConv.group + j
                            out.append(y + (co * outHeight + oy0 + r) * outWidth)
                            biases.append(bias?[co] ?? 0)
                        }
                        if path == .avx512 {
                            let outputs = out.map { Optional($0) }
                            ckernels_direct_conv_row_avx512(inputRows, paddedRows * rowLength, rowLength, cin, k, weights,
                                                            outWidth, outputs, biases, channels)
                            continue
                        }
                        DirectConv.row(inputRows, channelStride: paddedRows * rowLength, rowLength: rowLength, inChannels: cin,
                                       kernel: k, weights: weights, width: outWidth,
                                       outputs: out, biases: biases)
                    }
                }
                oy0 += rows
            }
        }
    }

    /// Padded input rows firstRow ..< firstRow + rows (in padded coordinates) of every channel,
    /// each `rowLength` long, channel planes `paddedRows` rows apart.
    func fillBand(_ x: UnsafePointer<Float>, height: Int, width: Int, padding: Int, mode: PaddingMode,
                  firstRow: Int, rows: Int, into band: UnsafeMutablePointer<Float>, paddedRows: Int, rowLength: Int) {
        Parallel.forEachChunk(inChannels, elementsPerItem: rows * rowLength) { range in
            for ci in range {
                let plane = x + ci * height * width
                for r in 0..<rows {
                    let dst = band + (ci * paddedRows + r) * rowLength
                    let iy = DirectConv.source(firstRow + r - padding, extent: height, mode: mode)
                    if iy < 0 { dst.update(repeating: 0, count: rowLength); continue }
                    let src = plane + iy * width
                    for c in 0..<padding { dst[c] = DirectConv.value(src, c - padding, width, mode) }
                    (dst + padding).update(from: src, count: width)
                    for c in (padding + width)..<rowLength {
                        dst[c] = DirectConv.value(src, c - padding, width, mode)
                    }
                }
            }
        }
    }

    /// dW[co][ci][ky][kx] += sum over output pixels of dy[co] * (padded x)[ci] shifted by (ky, kx),
    /// for one image; `weightGradient` is laid out as the layer's weight ([out, in, k, k]).
    /// Only for the forward (not transposed) packing. Each input channel's taps are reduced in
    /// registers, four output channels by three taps at a time, eight pixels wide.
    func accumulateWeightGradient(_ x: UnsafePointer<Float>, height: Int, width: Int, padding: Int,
                                  mode: PaddingMode, gradOutput dy: UnsafePointer<Float>,
                                  into weightGradient: UnsafeMutablePointer<Float>,
                                  workspace: ConvWorkspace, maxBandElements: Int) {
        let k = kernelSize, cin = inChannels, cout = outChannels
        let outHeight = height + 2 * padding - k + 1, outWidth = width + 2 * padding - k + 1
        guard outHeight > 0 && outWidth > 0 else { return }
        let rowLength = outWidth + k - 1 + 16
        let bandRows = max(1, min(outHeight, maxBandElements / max(1, cin * rowLength) - (k - 1)))
        let paddedRows = bandRows + k - 1
        let band = workspace.buffer(3, count: cin * paddedRows * rowLength)
        let blocks = outWidth / 8, tail = outWidth % 8
        var oy0 = 0
        while oy0 < outHeight {
            let rows = min(bandRows, outHeight - oy0)
            fillBand(x, height: height, width: width, padding: padding, mode: mode, firstRow: oy0,
                     rows: rows + k - 1, into: band, paddedRows: paddedRows, rowLength: rowLength)
            let groups = (cout + DirectConv.group - 1) / DirectConv.group
            Parallel.forEachChunk(groups * cin, elementsPerItem: rows * outWidth * k * k * DirectConv.group) { range in
                for item in range {
                    let ci = item % cin, co0 = item / cin * DirectConv.group
                    let gc = min(DirectConv.group, cout - co0)
                    for ky in 0..<k {
                        for kx0 in stride(from: 0, to: k, by: 3) {
                            // acc[co * 3 + j] for tap (ky, kx0 + j); taps past k stay unused.
                            var acc = (SIMD8<Float>.zero, SIMD8<Float>.zero, SIMD8<Float>.zero,
                                       SIMD8<Float>.zero, SIMD8<Float>.zero, SIMD8<Float>.zero,
                                       SIMD8<Float>.zero, SIMD8<Float>.zero, SIMD8<Float>.zero,
                                       SIMD8<Float>.zero, SIMD8<Float>.zero, SIMD8<Float>.zero)
                            var scalar = [Float](repeating: 0, count: 12)
                            for r in 0..<rows {
                                let xrow = band + (ci * paddedRows + r + ky) * rowLength + kx0
                                let g0 = dy + (co0 * outHeight + oy0 + r) * outWidth
                                let stride = outHeight * outWidth
                                for b in 0..<blocks {
                                    let o = b * 8
                                    let p = UnsafeRawPointer(xrow + o)
                                    let x0 = p.loadUnaligned(as: SIMD8<Float>.self)
                                    let x1 = p.loadUnaligned(fromByteOffset: 4, as: SIMD8<Float>.self)
                                    let x2 = p.loadUnaligned(fromByteOffset: 8, as: SIMD8<Float>.self)
                                    @inline(__always) func grad(_ co: Int) -> SIMD8<Float> {
                                        co < gc ? UnsafeRawPointer(g0 + co * stride + o).loadUnaligned(as: SIMD8<Float>.self) : .zero
                                    }
                                    let d0 = grad(0), d1 = grad(1), d2 = grad(2), d3 = grad(3)
                                    acc.0.addProduct(d0, x0); acc.1.addProduct(d0, x1); acc.2.addProduct(d0, x2)
                                    acc.3.addProduct(d1, x0); acc.4.addProduct(d1, x1); acc.5.addProduct(d1, x2)
                                    acc.6.addProduct(d2, x0); acc.7.addProduct(d2, x1); acc.8.addProduct(d2, x2)
                                    acc.9.addProduct(d3, x0); acc.10.addProduct(d3, x1); acc.11.addProduct(d3, x2)
                                }
                                for o in (blocks * 8)..<(blocks * 8 + tail) {
                                    for co in 0..<gc {
                                        let d = g0[co * stride + o]
                                        for j in 0..<3 { scalar[co * 3 + j] += d * xrow[o + j] }
                                    }
                                }
                            }
                            let sums: [Float] = [acc.0.sum(), acc.1.sum(), acc.2.sum(), acc.3.sum(), acc.4.sum(),
                                                 acc.5.sum(), acc.6.sum(), acc.7.sum(), acc.8.sum(), acc.9.sum(),
                                                 acc.10.sum(), acc.11.sum()]
                            for co in 0..<gc {
                                for j in 0..<3 where kx0 + j < k {
                                    weightGradient[(((co0 + co) * cin + ci) * k + ky) * k + kx0 + j] += sums[co * 3 + j] + scalar[co * 3 + j]
                                }
                            }
                        }
                    }
                }
            }
            oy0 += rows
        }
    }

    /// One output row of up to four channels.
    ///
    /// Loop order: input channel and kernel row outside, pixel blocks inside, the four output
    /// rows accumulated in a buffer that stays in L1 (4 x width floats). So each padded input
    /// row is streamed once per kernel row, and a block's nine horizontal taps read it from L1.
    /// The opposite order (every channel's every row for one block of pixels) touched
    /// inChannels * k rows per block, too many streams for the prefetcher: 48 -> 3 9x9 at
    /// 640x360 ran 3-10x slower that way, depending on what else the machine was doing.
    @inline(__always)
    static func row(_ input: UnsafePointer<Float>, channelStride: Int, rowLength: Int, inChannels: Int, kernel k: Int,
                    weights: UnsafePointer<Float>, width: Int,
                    outputs: [UnsafeMutablePointer<Float>], biases: [Float]) {
        let blocks = (width + 15) / 16
        // acc[j * stride + x]: output channel j of the group; 16 floats of slack per row.
        let stride = blocks * 16
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 4 * stride) { buffer in
            let acc = buffer.baseAddress!
            acc.initialize(repeating: 0, count: 4 * stride)
            var w = weights
            for ci in 0..<inChannels {
                for ky in 0..<k {
                    let src = input + ci * channelStride + ky * rowLength
                    for block in 0..<blocks {
                        let ox = block * 16
                        let out = UnsafeMutableRawPointer(acc + ox)
                        var a0 = out.load(as: SIMD8<Float>.self), b0 = out.load(fromByteOffset: 32, as: SIMD8<Float>.self)
                        var a1 = out.load(fromByteOffset: 4 * stride, as: SIMD8<Float>.self)
                        var b1 = out.load(fromByteOffset: 4 * stride + 32, as: SIMD8<Float>.self)
                        var a2 = out.load(fromByteOffset: 8 * stride, as: SIMD8<Float>.self)
                        var b2 = out.load(fromByteOffset: 8 * stride + 32, as: SIMD8<Float>.self)
                        var a3 = out.load(fromByteOffset: 12 * stride, as: SIMD8<Float>.self)
                        var b3 = out.load(fromByteOffset: 12 * stride + 32, as: SIMD8<Float>.self)
                        var tap = w
                        for kx in 0..<k {
                            let p = UnsafeRawPointer(src + ox + kx)
                            let x0 = p.loadUnaligned(as: SIMD8<Float>.self)
                            let x1 = p.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                            let w0 = SIMD8<Float>(repeating: tap[0]), w1 = SIMD8<Float>(repeating: tap[1])
                            let w2 = SIMD8<Float>(repeating: tap[2]), w3 = SIMD8<Float>(repeating: tap[3])
                            a0.addProduct(w0, x0); b0.addProduct(w0, x1)
                            a1.addProduct(w1, x0); b1.addProduct(w1, x1)
                            a2.addProduct(w2, x0); b2.addProduct(w2, x1)
                            a3.addProduct(w3, x0); b3.addProduct(w3, x1)
                            tap += 4
                        }
                        out.storeBytes(of: a0, as: SIMD8<Float>.self); out.storeBytes(of: b0, toByteOffset: 32, as: SIMD8<Float>.self)
                        out.storeBytes(of: a1, toByteOffset: 4 * stride, as: SIMD8<Float>.self)
                        out.storeBytes(of: b1, toByteOffset: 4 * stride + 32, as: SIMD8<Float>.self)
                        out.storeBytes(of: a2, toByteOffset: 8 * stride, as: SIMD8<Float>.self)
                        out.storeBytes(of: b2, toByteOffset: 8 * stride + 32, as: SIMD8<Float>.self)
                        out.storeBytes(of: a3, toByteOffset: 12 * stride, as: SIMD8<Float>.self)
                        out.storeBytes(of: b3, toByteOffset: 12 * stride + 32, as: SIMD8<Float>.self)
                    }
                    w += 4 * k
                }
            }
            for j in 0..<outputs.count {
                let bias = biases[j], row = acc + j * stride, dst = outputs[j]
                for x in 0..<width { dst[x] = row[x] + bias }
            }
        }
    }

    /// The input index read for padded position `i` (-1: a zero).
    @inline(__always)
    static func source(_ i: Int, extent: Int, mode: PaddingMode) -> Int {
        if i >= 0 && i < extent { return i }
        if mode == .zero { return -1 }
        let r = i < 0 ? -i : 2 * (extent - 1) - i
        return r >= 0 && r < extent ? r : -1
    }

    @inline(__always)
    static func value(_ row: UnsafePointer<Float>, _ i: Int, _ extent: Int, _ mode: PaddingMode) -> Float {
        let s = source(i, extent: extent, mode: mode)
        return s < 0 ? 0 : row[s]
    }
}
