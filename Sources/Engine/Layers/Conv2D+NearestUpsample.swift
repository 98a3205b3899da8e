/// A 3x3 reflection-padded convolution applied to a nearest-neighbour x2 upsampling, computed at
/// the input's resolution instead (ReCoNet's decoder: `Upsample` then `Conv2D`).
///
/// Why it is exact: every 2x2 block of the upsampled image repeats one input pixel, so output
/// pixel (2i + py, 2j + px) sees only a 2x2 window of the input, rows i - 1 + py ... i + py and
/// the same for columns, with the 3x3 kernel's taps summed over the rows and columns that land
/// on the same input pixel (for py = 0 the rows {0} and {1, 2}, for py = 1 the rows {0, 1} and
/// {2}). Reflecting the upsampled image by one pixel gives exactly the input repeated at its edge
/// (U[-1] = U[1] = X[0]), so the input is padded by replication. Four 2x2 convolutions at the
/// input's size cost 16 multiply-adds per output pixel quad against 36 for the 3x3 convolution
/// at twice the size, and the upsampled tensor is never built.
///
/// Inference only: nothing is kept for `backward` (training runs the two layers as they are).
extension Conv2D {
    /// True when `forwardAfterNearestUpsample` computes this layer: 3x3, stride 1, reflection padding 1.
    public var fusesNearestUpsample: Bool {
        kernelSize == 3 && stride == 1 && padding == 1 && paddingMode == .reflect
    }

    /// `forward(Upsample(factor: 2).forward(x))` without the upsampled tensor, for x = [n, inChannels, h, w];
    /// the result is [n, outChannels, 2h, 2w].
    ///
    /// No im2col either: with the input padded to rows of w + 2, one tap of a 2x2 kernel reads
    /// the padded planes at a fixed offset, so it is a GEMM straight on them (K = inChannels,
    /// N = the band's pixels at the padded row length, whose last two columns are computed and
    /// dropped); a phase is four such GEMMs accumulated, then scattered to its pixels.
    public func forwardAfterNearestUpsample(_ x: Tensor) -> Tensor {
        precondition(fusesNearestUpsample, "Conv2D: only a 3x3 stride-1 reflection-padded convolution fuses an upsampling")
        precondition(x.shape.count == 4 && x.shape[1] == inChannels, "Conv2D: expected [n, \(inChannels), h, w], got \(x.shape)")
        let (n, cin, h, w, cout) = (x.shape[0], inChannels, x.shape[2], x.shape[3], outChannels)
        let (ph, pw) = (h + 2, w + 2)
        let kernels = nearestUpsamplePhaseKernels()
        // Rows per band: one phase's product stays within `maxColumnElements`.
        let bandRows = max(1, min(h, maxColumnElements / max(1, cout * pw)))
        let padded = workspace.buffer(0, count: cin * ph * pw)
        let product = workspace.buffer(1, count: cout * bandRows * pw)
        var y = Tensor(uninitializedShape: [n, cout, 2 * h, 2 * w])
        x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in bias.withUnsafeBufferPointer { bp in
            kernels.withUnsafeBufferPointer { kp in
                for b in 0..<n {
                    Self.replicatePad(xp.baseAddress! + b * cin * h * w, channels: cin, height: h, width: w, into: padded)
                    let out = yp.baseAddress! + b * cout * 4 * h * w
                    var i0 = 0
                    while i0 < h {
                        let rows = min(bandRows, h - i0)
                        // Up to the band's last real pixel, so no tap reads past the padded planes.
                        let pixels = (rows - 1) * pw + w
                        for phase in 0..<4 {
                            let (py, px) = (phase >> 1, phase & 1)
                            for tap in 0..<4 {
                                let (ky, kx) = (tap >> 1, tap & 1)
                                GEMM.multiply(m: cout, n: pixels, k: cin, a: kp.baseAddress! + (phase * 4 + tap) * cout * cin, lda: cin,
                                              b: padded + (i0 + py + ky) * pw + px + kx, ldb: ph * pw,
                                              beta: tap == 0 ? 0 : 1, c: product, ldc: pixels)
                            }
                            // Scatter to (2i + py, 2j + px), adding the bias.
                            Parallel.forEachChunk(cout, elementsPerItem: rows * w) { range in
                                for co in range {
                                    let bias = bp[co]
                                    for r in 0..<rows {
                                        let src = product + co * pixels + r * pw
                                        let dst = out + (co * 2 * h + 2 * (i0 + r) + py) * 2 * w + px
                                        for j in 0..<w { dst[2 * j] = src[j] + bias }
                                    }
                                }
                            }
                        }
                        i0 += rows
                    }
                }
            }
        } } }
        return y
    }

    /// The 2x2 kernels of the four phases as 16 GEMM operands: phase (py, px) = 2 py + px, tap
    /// (ky, kx) = 2 ky + kx, each [out][in]; a tap is the 3x3 taps summed over the rows and
    /// columns that read the same input pixel.
    func nearestUpsamplePhaseKernels() -> [Float] {
        let (cin, cout) = (inChannels, outChannels)
        // taps[p][t]: the 3x3 rows (or columns) that phase p's 2-tap row t sums.
        let taps = [[0..<1, 1..<3], [0..<2, 2..<3]]
        var kernels = [Float](repeating: 0, count: 16 * cout * cin)
        weight.withUnsafeBufferPointer { wp in
            for phase in 0..<4 {
                let (py, px) = (phase >> 1, phase & 1)
                for co in 0..<cout { for ci in 0..<cin {
                    let w3 = wp.baseAddress! + (co * cin + ci) * 9
                    for ky in 0..<2 { for kx in 0..<2 {
                        var sum: Float = 0
                        for r in taps[py][ky] { for c in taps[px][kx] { sum += w3[r * 3 + c] } }
                        kernels[((phase * 4 + ky * 2 + kx) * cout + co) * cin + ci] = sum
                    } }
                } }
            }
        }
        return kernels
    }

    /// x (channels x height x width) with its edge pixels repeated once all round.
    static func replicatePad(_ x: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
                             into p: UnsafeMutablePointer<Float>) {
        let (ph, pw) = (height + 2, width + 2)
        Parallel.forEachChunk(channels, elementsPerItem: ph * pw) { range in
            for c in range {
                let src = x + c * height * width, dst = p + c * ph * pw
                for r in 0..<ph {
                    let row = src + min(max(r - 1, 0), height - 1) * width, out = dst + r * pw
                    out[0] = row[0]
                    (out + 1).update(from: row, count: width)
                    out[width + 1] = row[width - 1]
                }
            }
        }
    }
}
