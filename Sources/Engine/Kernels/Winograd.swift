/// Winograd F(4x4, 3x3) convolution (Lavin and Gray 2016) for 3x3, stride-1, padded-by-1
/// convolutions: all of VGG's, and ReCoNet's reflection-padded ones. Each 4x4 block of outputs costs 36 multiplications per
/// (input, output) channel pair instead of 144, so the GEMMs do a quarter of direct convolution's
/// work. The price is three transforms that read and write each tensor about once, and a little
/// precision (relative error ~1e-6..1e-5 in Float32 on VGG-sized sums).
///
/// Layout. A band of tile rows is processed at a time (so a 1080p frame needs no full-size
/// buffers). The band's input is first copied into four *phase planes* (column x = 4q + c goes to
/// plane c, position q), so that the same element of eight neighbouring tiles is eight consecutive
/// floats and every transform runs on `SIMD8<Float>` with contiguous loads. The transformed input
/// is V[xi][channel][tile] for the 36 points xi, the transformed weights U[xi][out][in], and the
/// product is 36 GEMMs M[xi] = U[xi] * V[xi].
import CKernels

struct Winograd {
    static let alpha = 6, points = 36

    let inChannels: Int, outChannels: Int
    /// U[xi][out][in], 36 * outChannels * inChannels floats.
    let weights: [Float]

    /// Transforms `weight` ([out, in, 3, 3]) to U = G g G^T. With `transposedFlip`, transforms the
    /// kernel of the adjoint convolution instead (in and out swapped, each kernel rotated 180
    /// degrees), whose output is the input gradient.
    init(weight: Tensor, transposedFlip: Bool = false) {
        let (o, i) = (weight.shape[0], weight.shape[1])
        precondition(weight.shape[2] == 3 && weight.shape[3] == 3, "Winograd: needs 3x3 kernels")
        inChannels = transposedFlip ? o : i
        outChannels = transposedFlip ? i : o
        let (cout, cin) = (outChannels, inChannels)
        var u = [Float](repeating: 0, count: Winograd.points * cout * cin)
        weight.withUnsafeBufferPointer { w in
            u.withUnsafeMutableBufferPointer { up in
                Parallel.forEachChunk(cout, elementsPerItem: cin * 100) { range in
                    for co in range {
                        for ci in 0..<cin {
                            @inline(__always) func g(_ ky: Int, _ kx: Int) -> Float {
                                transposedFlip ? w[((ci * i + co) * 3 + 2 - ky) * 3 + 2 - kx]
                                               : w[((co * i + ci) * 3 + ky) * 3 + kx]
                            }
                            // Columns: t = G g (6x3); rows: U = t G^T (6x6).
                            let c0 = Winograd.kernelTransform(g(0, 0), g(1, 0), g(2, 0))
                            let c1 = Winograd.kernelTransform(g(0, 1), g(1, 1), g(2, 1))
                            let c2 = Winograd.kernelTransform(g(0, 2), g(1, 2), g(2, 2))
                            for k in 0..<6 {
                                let r = Winograd.kernelTransform(c0[k], c1[k], c2[k])
                                for j in 0..<6 { up[((k * 6 + j) * cout + co) * cin + ci] = r[j] }
                            }
                        }
                    }
                }
            }
        }
        weights = u
    }

    /// G applied to one kernel column or row.
    @inline(__always)
    static func kernelTransform(_ g0: Float, _ g1: Float, _ g2: Float) -> SIMD8<Float> {
        SIMD8(g0 / 4,
         -(g0 + g1 + g2) / 6,
         -(g0 - g1 + g2) / 6,
         g0 / 24 + g1 / 12 + g2 / 6,
         g0 / 24 - g1 / 12 + g2 / 6,
         g2, 0, 0)
    }

    /// B^T applied to six values (one column or row of a 6x6 input tile).
    @inline(__always)
    static func inputTransform(_ d0: SIMD8<Float>, _ d1: SIMD8<Float>, _ d2: SIMD8<Float>,
                               _ d3: SIMD8<Float>, _ d4: SIMD8<Float>, _ d5: SIMD8<Float>)
        -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        let a = d4 - 4 * d2, b = d3 - 4 * d1
        let c = d4 - d2, e = 2 * (d3 - d1)
        return (4 * d0 - 5 * d2 + d4, a + b, a - b, c + e, c - e, 4 * d1 - 5 * d3 + d5)
    }

    /// A^T applied to six values (one column or row of a 6x6 product tile).
    @inline(__always)
    static func outputTransform(_ m0: SIMD8<Float>, _ m1: SIMD8<Float>, _ m2: SIMD8<Float>,
                                _ m3: SIMD8<Float>, _ m4: SIMD8<Float>, _ m5: SIMD8<Float>)
        -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        let s12 = m1 + m2, d12 = m1 - m2, s34 = m3 + m4, d34 = m3 - m4
        return (m0 + s12 + s34, d12 + 2 * d34, s12 + 4 * s34, d12 + 8 * d34 + m5)
    }

    /// y (outChannels x height x width) = conv3x3(x (inChannels x height x width), padding 1) + bias,
    /// for one image. `maxBandElements` bounds each of the band buffers, in floats.
    ///
    /// With `reflect`, the one-pixel border mirrors the image (ReCoNet's padding) instead of
    /// being zero; positions further out only feed outputs that are discarded and read as zero.
    /// `path` picks the transforms' instruction set (tests run both).
    func run(_ x: UnsafePointer<Float>, height: Int, width: Int, bias: UnsafePointer<Float>?,
             into y: UnsafeMutablePointer<Float>, workspace: ConvWorkspace, maxBandElements: Int,
             reflect: Bool = false, path: KernelPath = .selected) {
        let (cin, cout) = (inChannels, outChannels)
        let tilesHigh = (height + 3) / 4
        let tilesWide = ((width + 3) / 4 + 7) / 8 * 8         // whole groups of eight tiles
        let phaseWidth = tilesWide + 1                          // tiles read two columns of the next
        let perTileRow = Winograd.points * max(cin, cout) * tilesWide
        // Bands of 128 to 512 tiles: small enough that the transformed band stays in cache
        // between its transform and its GEMMs, wide enough for efficient GEMMs. Measured (one
        // core, CPU time): a 64-channel layer ran in 52 ms with 128-tile bands and 79 ms with 512;
        // a 256-channel layer in 43 ms with 512 and 47 ms with 128.
        let targetTiles = min(512, max(128, 2 * cin))
        let wanted = (targetTiles + tilesWide - 1) / tilesWide
        let bandRows = max(1, min(tilesHigh, wanted, maxBandElements / perTileRow))
        let phaseRows = bandRows * 4 + 2
        let phases = workspace.buffer(3, count: cin * 4 * phaseRows * phaseWidth)
        // The 36 points are written (input transform) and read (output transform) as 36 parallel
        // streams. A stride that is a multiple of 4 KiB puts all of them in one L1 set, which made
        // the transforms several times slower; one extra cache line per point spreads them out.
        let vStride = cin * bandRows * tilesWide + 16, mStride = cout * bandRows * tilesWide + 16
        let v = workspace.buffer(1, count: Winograd.points * vStride)
        let m = workspace.buffer(2, count: Winograd.points * mStride)

        weights.withUnsafeBufferPointer { up in
            var ty0 = 0
            while ty0 < tilesHigh {
                let rows = min(bandRows, tilesHigh - ty0)
                let n = rows * tilesWide
                // 1-2. V = B^T d B for the band's tiles.
                Winograd.transformInputBand(x, channels: cin, height: height, width: width, reflect: reflect,
                                            firstTileRow: ty0, tileRows: rows, tilesWide: tilesWide,
                                            phases: phases, phaseRows: phaseRows, into: v, pointStride: vStride,
                                            path: path)
                // 3. M[xi] = U[xi] V[xi], with whichever products win on this CPU (`GEMM.productPath`);
                // the 36 are independent, so each worker takes whole ones (no split, no join per product).
                let products: KernelPath = path == .avx512 ? GEMM.productPath : .avx2
                Parallel.forEachChunk(Winograd.points, elementsPerItem: cout * n * cin) { range in
                    for xi in range {
                        GEMM.multiply(m: cout, n: n, k: cin, a: up.baseAddress! + xi * cout * cin, lda: cin,
                                      b: v + xi * vStride, ldb: n, c: m + xi * mStride, ldc: n, path: products, parallel: false)
                    }
                }
                // 4. Y = A^T M A (+ bias), written where it falls inside the image.
                Parallel.forEachChunk(cout, elementsPerItem: n * 36) { range in
                    for co in range {
                        let b = bias?[co] ?? 0
                        for lty in 0..<rows {
                            if path == .avx512 {
                                ckernels_winograd_output_row_avx512(m + co * n + lty * tilesWide, mStride, tilesWide, b,
                                                                    y + co * height * width, height, width, (ty0 + lty) * 4)
                                continue
                            }
                            for tx in stride(from: 0, to: tilesWide, by: 8) {
                                Winograd.transformOutputTiles(m + co * n + lty * tilesWide + tx, pointStride: mStride,
                                                              bias: b, into: y + co * height * width,
                                                              height: height, width: width,
                                                              row: (ty0 + lty) * 4, column: tx * 4)
                            }
                        }
                    }
                }
                ty0 += rows
            }
        }
    }

    /// V = B^T d B for tile rows firstTileRow ..< firstTileRow + tileRows of every channel of `x`:
    /// point xi of channel ci, tile (row, column) goes to v[xi * pointStride + ci * n + row * tilesWide + column]
    /// with n = tileRows * tilesWide. `phases` is scratch for the phase planes.
    static func transformInputBand(_ x: UnsafePointer<Float>, channels cin: Int, height: Int, width: Int,
                                   reflect: Bool, firstTileRow ty0: Int, tileRows rows: Int, tilesWide: Int,
                                   phases: UnsafeMutablePointer<Float>, phaseRows: Int,
                                   into v: UnsafeMutablePointer<Float>, pointStride vStride: Int,
                                   path: KernelPath = .selected) {
        let phaseWidth = tilesWide + 1
        let n = rows * tilesWide
        // 1. Phase planes of the band's padded input rows.
        Parallel.forEachChunk(cin, elementsPerItem: phaseRows * phaseWidth * 4) { range in
            for ci in range {
                let plane = x + ci * height * width
                let out = phases + ci * 4 * phaseRows * phaseWidth
                for rr in 0..<(rows * 4 + 2) {
                    let iy = Winograd.source(ty0 * 4 - 1 + rr, extent: height, reflect: reflect)
                    let p0 = out + rr * phaseWidth, step = phaseRows * phaseWidth
                    if iy < 0 {
                        for c in 0..<4 { (p0 + c * step).update(repeating: 0, count: phaseWidth) }
                        continue
                    }
                    let src = plane + iy * width
                    let (p1, p2, p3) = (p0 + step, p0 + 2 * step, p0 + 3 * step)
                    // Interior: all four columns 4q-1 ... 4q+2 inside the row.
                    let inner = width < 3 ? 1 : max(1, min(phaseWidth, (width - 3) / 4 + 1))
                    var q = 1
                    while q + 8 <= inner {     // eight q at a time: 32 floats, de-interleaved
                        let v = UnsafeRawPointer(src + 4 * q - 1).loadUnaligned(as: SIMD32<Float>.self)
                        let (even, odd) = (v.evenHalf, v.oddHalf)
                        Winograd.store(even.evenHalf, p0 + q); Winograd.store(odd.evenHalf, p1 + q)
                        Winograd.store(even.oddHalf, p2 + q); Winograd.store(odd.oddHalf, p3 + q)
                        q += 8
                    }
                    while q < inner {
                        let s = src + 4 * q - 1
                        p0[q] = s[0]; p1[q] = s[1]; p2[q] = s[2]; p3[q] = s[3]
                        q += 1
                    }
                    q = 0
                    while q < phaseWidth {     // edges: column 0 and from `inner` on
                        for c in 0..<4 {
                            let ix = Winograd.source(4 * q + c - 1, extent: width, reflect: reflect)
                            p0[c * step + q] = ix >= 0 ? src[ix] : 0
                        }
                        q = q == 0 ? max(1, inner) : q + 1
                    }
                }
            }
        }
        // 2. V = B^T d B, eight tiles at a time.
        Parallel.forEachChunk(cin, elementsPerItem: n * 36) { range in
            for ci in range {
                let base = phases + ci * 4 * phaseRows * phaseWidth
                let step = phaseRows * phaseWidth
                for lty in 0..<rows {
                    if path == .avx512 {
                        ckernels_winograd_input_row_avx512(base, step, phaseWidth, lty * 4, tilesWide,
                                                           v + ci * n + lty * tilesWide, vStride)
                        continue
                    }
                    for tx in stride(from: 0, to: tilesWide, by: 8) {
                        Winograd.transformInputTiles(base, step: step, phaseWidth: phaseWidth,
                                                     row: lty * 4, tile: tx,
                                                     into: v + ci * n + lty * tilesWide + tx,
                                                     pointStride: vStride)
                    }
                }
            }
        }
    }

    /// The input index read for padded position `i` (-1 for a zero).
    @inline(__always)
    static func source(_ i: Int, extent: Int, reflect: Bool) -> Int {
        if i >= 0 && i < extent { return i }
        if reflect && i == -1 && extent > 1 { return 1 }
        if reflect && i == extent && extent > 1 { return extent - 2 }
        return -1
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    /// Eight tiles whose top-left padded-input corner is (row, 4 * (tile + lane)): reads their
    /// 6x6 inputs from the phase planes and writes the 36 transformed points, `pointStride` apart.
    @inline(__always)
    static func transformInputTiles(_ phases: UnsafePointer<Float>, step: Int, phaseWidth: Int,
                                    row: Int, tile: Int, into v: UnsafeMutablePointer<Float>, pointStride: Int) {
        // Columns first: for each tile column c, B^T over the six rows.
        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: 36) { tmp in
            for c in 0..<6 {
                let p = phases + (c & 3) * step + row * phaseWidth + tile + (c >> 2)
                let t = inputTransform(load(p), load(p + phaseWidth), load(p + 2 * phaseWidth),
                                   load(p + 3 * phaseWidth), load(p + 4 * phaseWidth), load(p + 5 * phaseWidth))
                tmp[c] = t.0; tmp[6 + c] = t.1; tmp[12 + c] = t.2
                tmp[18 + c] = t.3; tmp[24 + c] = t.4; tmp[30 + c] = t.5
            }
            // Rows: for each transformed row i, B^T over the six columns.
            for i in 0..<6 {
                let r = inputTransform(tmp[i * 6], tmp[i * 6 + 1], tmp[i * 6 + 2],
                                       tmp[i * 6 + 3], tmp[i * 6 + 4], tmp[i * 6 + 5])
                let o = v + i * 6 * pointStride
                store(r.0, o); store(r.1, o + pointStride); store(r.2, o + 2 * pointStride)
                store(r.3, o + 3 * pointStride); store(r.4, o + 4 * pointStride); store(r.5, o + 5 * pointStride)
            }
        }
    }

    /// Eight tiles' 36 product points (`pointStride` apart) to their 4x4 outputs plus `bias`,
    /// written into the plane `y` at (row, column + 4 * lane) where inside height x width.
    @inline(__always)
    static func transformOutputTiles(_ m: UnsafePointer<Float>, pointStride: Int, bias: Float,
                                     into y: UnsafeMutablePointer<Float>, height: Int, width: Int,
                                     row: Int, column: Int) {
        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: 24) { tmp in
            // Columns: for each point column j, A^T over the six point rows -> 4 rows.
            for j in 0..<6 {
                let p = m + j * pointStride
                let s = 6 * pointStride
                let r = outputTransform(load(p), load(p + s), load(p + 2 * s),
                                        load(p + 3 * s), load(p + 4 * s), load(p + 5 * s))
                tmp[j] = r.0; tmp[6 + j] = r.1; tmp[12 + j] = r.2; tmp[18 + j] = r.3
            }
            let b = SIMD8<Float>(repeating: bias)
            for a in 0..<4 {
                let oy = row + a
                if oy >= height { break }
                let r = outputTransform(tmp[a * 6], tmp[a * 6 + 1], tmp[a * 6 + 2],
                                        tmp[a * 6 + 3], tmp[a * 6 + 4], tmp[a * 6 + 5])
                let (c0, c1, c2, c3) = (r.0 + b, r.1 + b, r.2 + b, r.3 + b)
                let dst = y + oy * width + column
                if column + 32 <= width {
                    var even = SIMD16<Float>(), odd = SIMD16<Float>(), all = SIMD32<Float>()
                    even.evenHalf = c0; even.oddHalf = c2
                    odd.evenHalf = c1; odd.oddHalf = c3
                    all.evenHalf = even; all.oddHalf = odd
                    UnsafeMutableRawPointer(dst).storeBytes(of: all, as: SIMD32<Float>.self)
                } else {
                    for l in 0..<8 {
                        let x0 = column + 4 * l
                        if x0 < width { dst[4 * l] = c0[l] }
                        if x0 + 1 < width { dst[4 * l + 1] = c1[l] }
                        if x0 + 2 < width { dst[4 * l + 2] = c2[l] }
                        if x0 + 3 < width { dst[4 * l + 3] = c3[l] }
                    }
                }
            }
        }
    }
}
