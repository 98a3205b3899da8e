/// Direct stride-1 convolution for layers with few output channels, such as ReCoNet's last 9x9
/// layer (32 -> 3 channels).
///
/// There im2col is the wrong tool: the column matrix holds Cin*k*k = 2592 values per pixel to feed
/// a GEMM only 3 rows tall, so the run is all memory traffic (measured: 7 GFLOP/s, 0.5 s for one
/// 640x360 frame). Here each input row is read once per tap into SIMD registers and multiplied
/// into four output channels at a time, sixteen pixels wide. The same kernel, run with the
/// transposed and flipped weights over the zero-padded output gradient, gives the input gradient.
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
    /// one image, where outHeight = height + 2 * padding - k + 1 (likewise the width).
    func run(_ x: UnsafePointer<Float>, height: Int, width: Int, padding: Int, mode: PaddingMode,
             bias: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>, workspace: ConvWorkspace,
             maxBandElements: Int) {
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
                // Padded input rows oy0 ..< oy0 + rows + k - 1 of every channel.
                Parallel.forEachChunk(cin, elementsPerItem: (rows + k - 1) * rowLength) { range in
                    for ci in range {
                        let plane = x + ci * height * width
                        for r in 0..<(rows + k - 1) {
                            let dst = band + (ci * paddedRows + r) * rowLength
                            let iy = DirectConv.source(oy0 + r - padding, extent: height, mode: mode)
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
                        DirectConv.row(inputRows, channelStride: paddedRows * rowLength, rowLength: rowLength, inChannels: cin,
                                       kernel: k, weights: weights, width: outWidth,
                                       outputs: out, biases: biases)
                    }
                }
                oy0 += rows
            }
        }
    }

    /// One output row of up to four channels.
    @inline(__always)
    static func row(_ input: UnsafePointer<Float>, channelStride: Int, rowLength: Int, inChannels: Int, kernel k: Int,
                    weights: UnsafePointer<Float>, width: Int,
                    outputs: [UnsafeMutablePointer<Float>], biases: [Float]) {
        var ox = 0
        while ox < width {
            var a0 = SIMD8<Float>.zero, b0 = SIMD8<Float>.zero, a1 = SIMD8<Float>.zero, b1 = SIMD8<Float>.zero
            var a2 = SIMD8<Float>.zero, b2 = SIMD8<Float>.zero, a3 = SIMD8<Float>.zero, b3 = SIMD8<Float>.zero
            var w = weights
            for ci in 0..<inChannels {
                var src = input + ci * channelStride + ox
                for _ in 0..<k {
                    for kx in 0..<k {
                        let p = UnsafeRawPointer(src + kx)
                        let x0 = p.loadUnaligned(as: SIMD8<Float>.self)
                        let x1 = p.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                        let w0 = SIMD8<Float>(repeating: w[0]), w1 = SIMD8<Float>(repeating: w[1])
                        let w2 = SIMD8<Float>(repeating: w[2]), w3 = SIMD8<Float>(repeating: w[3])
                        a0.addProduct(w0, x0); b0.addProduct(w0, x1)
                        a1.addProduct(w1, x0); b1.addProduct(w1, x1)
                        a2.addProduct(w2, x0); b2.addProduct(w2, x1)
                        a3.addProduct(w3, x0); b3.addProduct(w3, x1)
                        w += 4
                    }
                    src += rowLength
                }
            }
            let n = min(16, width - ox)
            for j in 0..<outputs.count {
                let (lo, hi) = j == 0 ? (a0, b0) : j == 1 ? (a1, b1) : j == 2 ? (a2, b2) : (a3, b3)
                let bias = SIMD8<Float>(repeating: biases[j])
                let dst = outputs[j] + ox
                if n == 16 {
                    UnsafeMutableRawPointer(dst).storeBytes(of: lo + bias, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(dst + 8).storeBytes(of: hi + bias, as: SIMD8<Float>.self)
                } else {
                    for l in 0..<min(8, n) { dst[l] = lo[l] + bias[l] }
                    if n > 8 { for l in 0..<(n - 8) { dst[8 + l] = hi[l] + bias[l] } }
                }
            }
            ox += 16
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
