/// The weight gradient in the Winograd domain. Each output tile is y = A^T [U ⊙ V] A, so
/// dL/dU[xi] = sum over tiles of Z[xi] V[xi] with Z = A dy A^T (the output-gradient tile taken to
/// the 36 points), one GEMM per point: Cout x tiles times tiles x Cin. The kernel gradient is then
/// G^T (dL/dU) G. It replaces im2col's Cin*9-row column matrix with the 36-point transforms the
/// forward pass already uses (4x fewer multiplications than the im2col GEMM).
extension Winograd {
    /// Adds dL/dW for one image to `weightGradient` ([out, in, 3, 3]), given the layer input `x`
    /// (inChannels x height x width) and the output gradient `dy` (outChannels x height x width).
    func accumulateWeightGradient(_ x: UnsafePointer<Float>, gradOutput dy: UnsafePointer<Float>,
                                  height: Int, width: Int, reflect: Bool,
                                  into weightGradient: UnsafeMutablePointer<Float>,
                                  workspace: ConvWorkspace, maxBandElements: Int) {
        let (cin, cout) = (inChannels, outChannels)
        let tilesHigh = (height + 3) / 4
        let tilesWide = ((width + 3) / 4 + 7) / 8 * 8
        let perTileRow = Winograd.points * max(cin, cout) * tilesWide
        let targetTiles = min(512, max(128, 2 * cin))
        let wanted = (targetTiles + tilesWide - 1) / tilesWide
        let bandRows = max(1, min(tilesHigh, wanted, maxBandElements / perTileRow))
        let phaseRows = bandRows * 4 + 2
        let phases = workspace.buffer(3, count: max(cin, cout) * 4 * phaseRows * (tilesWide + 1))
        let vStride = cin * bandRows * tilesWide + 16, zStride = cout * bandRows * tilesWide + 16
        let v = workspace.buffer(1, count: Winograd.points * vStride)
        let z = workspace.buffer(2, count: Winograd.points * zStride)
        // A pooled tensor: for 512 channels this is 38 MB, too big to fault in afresh every call.
        var du = Tensor(shape: [Winograd.points * cout * cin])

        du.withUnsafeMutableBufferPointer { dup in
            var ty0 = 0
            while ty0 < tilesHigh {
                let rows = min(bandRows, tilesHigh - ty0)
                let n = rows * tilesWide
                Winograd.transformInputBand(x, channels: cin, height: height, width: width, reflect: reflect,
                                            firstTileRow: ty0, tileRows: rows, tilesWide: tilesWide,
                                            phases: phases, phaseRows: phaseRows, into: v, pointStride: vStride)
                Winograd.transformGradientBand(dy, channels: cout, height: height, width: width,
                                               firstTileRow: ty0, tileRows: rows, tilesWide: tilesWide,
                                               phases: phases, into: z, pointStride: zStride)
                for xi in 0..<Winograd.points {
                    GEMM.multiply(transposeB: true, m: cout, n: cin, k: n,
                                  a: z + xi * zStride, lda: n, b: v + xi * vStride, ldb: n,
                                  beta: 1, c: dup.baseAddress! + xi * cout * cin, ldc: cin)
                }
                ty0 += rows
            }
            // dW = G^T dU G for every (out, in) pair.
            let g: [(Float, Float, Float)] = [(1.0 / 4, 0, 0), (-1.0 / 6, -1.0 / 6, -1.0 / 6),
                                              (-1.0 / 6, 1.0 / 6, -1.0 / 6), (1.0 / 24, 1.0 / 12, 1.0 / 6),
                                              (1.0 / 24, -1.0 / 12, 1.0 / 6), (0, 0, 1)]
            let plane = cout * cin
            Parallel.forEachChunk(cout, elementsPerItem: cin * 200) { range in
                for co in range {
                    for ci in 0..<cin {
                        let pair = co * cin + ci
                        var kernel = SIMD16<Float>()     // 9 used: row-major 3x3
                        for k in 0..<6 {
                            // t[kx] = sum over j of dU[k][j] G[j][kx]
                            var t = SIMD4<Float>()
                            for j in 0..<6 {
                                let u = dup[(k * 6 + j) * plane + pair]
                                t += u * SIMD4(g[j].0, g[j].1, g[j].2, 0)
                            }
                            let (a0, a1, a2) = g[k]
                            kernel[0] += a0 * t[0]; kernel[1] += a0 * t[1]; kernel[2] += a0 * t[2]
                            kernel[3] += a1 * t[0]; kernel[4] += a1 * t[1]; kernel[5] += a1 * t[2]
                            kernel[6] += a2 * t[0]; kernel[7] += a2 * t[1]; kernel[8] += a2 * t[2]
                        }
                        for i in 0..<9 { weightGradient[pair * 9 + i] += kernel[i] }
                    }
                }
            }
        }
    }

    /// Z = A dy A^T for tile rows firstTileRow ..< firstTileRow + tileRows of every channel of
    /// `dy`; tiles reaching past the image read zeros. Same layout as `transformInputBand`.
    static func transformGradientBand(_ dy: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
                                      firstTileRow ty0: Int, tileRows rows: Int, tilesWide: Int,
                                      phases: UnsafeMutablePointer<Float>,
                                      into z: UnsafeMutablePointer<Float>, pointStride: Int) {
        let n = rows * tilesWide
        let phaseRows = rows * 4
        let step = phaseRows * tilesWide
        Parallel.forEachChunk(channels, elementsPerItem: n * 36) { range in
            for co in range {
                // Phase planes: plane c, row rr, position q holds dy[ty0 * 4 + rr][4q + c].
                let base = phases + co * 4 * step
                let plane = dy + co * height * width
                for rr in 0..<phaseRows {
                    let iy = ty0 * 4 + rr
                    for c in 0..<4 {
                        let dst = base + c * step + rr * tilesWide
                        if iy >= height { dst.update(repeating: 0, count: tilesWide); continue }
                        let src = plane + iy * width
                        for q in 0..<tilesWide {
                            let ix = 4 * q + c
                            dst[q] = ix < width ? src[ix] : 0
                        }
                    }
                }
                for lty in 0..<rows {
                    for tx in stride(from: 0, to: tilesWide, by: 8) {
                        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: 24) { tmp in
                            // Columns: for each tile column b, A over the four rows -> six.
                            for b in 0..<4 {
                                let p = base + b * step + lty * 4 * tilesWide + tx
                                let r = gradientTransform(load(p), load(p + tilesWide),
                                                          load(p + 2 * tilesWide), load(p + 3 * tilesWide))
                                tmp[b] = r.0; tmp[4 + b] = r.1; tmp[8 + b] = r.2
                                tmp[12 + b] = r.3; tmp[16 + b] = r.4; tmp[20 + b] = r.5
                            }
                            // Rows: for each point row i, A over the four columns -> six points.
                            let o = z + co * n + lty * tilesWide + tx
                            for i in 0..<6 {
                                let r = gradientTransform(tmp[i * 4], tmp[i * 4 + 1], tmp[i * 4 + 2], tmp[i * 4 + 3])
                                let row = o + i * 6 * pointStride
                                store(r.0, row); store(r.1, row + pointStride); store(r.2, row + 2 * pointStride)
                                store(r.3, row + 3 * pointStride); store(r.4, row + 4 * pointStride)
                                store(r.5, row + 5 * pointStride)
                            }
                        }
                    }
                }
            }
        }
    }

    /// A (6x4, the transpose of the output transform) applied to four values.
    @inline(__always)
    static func gradientTransform(_ d0: SIMD8<Float>, _ d1: SIMD8<Float>, _ d2: SIMD8<Float>, _ d3: SIMD8<Float>)
        -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        let s02 = d0 + d2, s13 = d1 + d3
        let e = d0 + 4 * d2, f = 2 * d1 + 8 * d3
        return (d0, s02 + s13, s02 - s13, e + f, e - f, d3)
    }
}
