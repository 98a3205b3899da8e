import Testing
@testable import Engine

/// Each instruction-set path of the hand-vectorised kernels against the naive convolution, called
/// with the path named (so both run in one process, whatever VST_KERNELS says). Widths are chosen
/// for the tails: Winograd rows of 16 tiles, 16 + 8, and 8 alone, with partial last tiles;
/// direct-convolution rows of whole and half 32-pixel blocks and short ones; matrix products
/// whose rows, columns and depth all end on partial blocks.
@Suite struct KernelPathTests {
    static let avx512Reason: Comment = "this CPU (or its OS) has no AVX-512; the floor path is tested instead"

    struct WinogradCase: CustomStringConvertible, Sendable {
        var input: [Int], out: Int, reflect: Bool, band: Int = 1 << 22
        var description: String { "\(input) -> \(out) reflect \(reflect) band \(band)" }
    }

    static let winogradCases: [WinogradCase] = [
        WinogradCase(input: [3, 5, 61], out: 4, reflect: false),        // 16 tiles: one zmm group, last tile partial
        WinogradCase(input: [5, 9, 70], out: 3, reflect: true),         // 18 tiles -> 24: 16 + an 8-tile tail
        WinogradCase(input: [2, 7, 29], out: 5, reflect: false),        // 8 tiles: the ymm tail alone
        WinogradCase(input: [4, 13, 130], out: 2, reflect: true, band: 1), // 33 tiles -> 40, one tile row per band
        WinogradCase(input: [17, 6, 64], out: 16, reflect: false),      // a row ending exactly on 64 columns
    ]

    struct DirectCase: CustomStringConvertible, Sendable {
        var input: [Int], out: Int, kernel: Int, padding: Int, mode: PaddingMode
        var description: String { "\(input) -> \(out) k\(kernel) p\(padding) \(mode)" }
    }

    static let directCases: [DirectCase] = [
        DirectCase(input: [3, 11, 45], out: 5, kernel: 9, padding: 4, mode: .reflect),   // 3 blocks of 16: 2 + 1
        DirectCase(input: [4, 6, 64], out: 3, kernel: 3, padding: 1, mode: .zero),       // whole 32-pixel pairs
        DirectCase(input: [2, 5, 7], out: 6, kernel: 5, padding: 2, mode: .zero),        // shorter than a block
        DirectCase(input: [3, 8, 33], out: 4, kernel: 3, padding: 0, mode: .zero),   // no padding: 31 wide
    ]

    func winograd(_ c: WinogradCase, path: KernelPath) -> (fast: Tensor, naive: Tensor) {
        var rng = SplitMix64(seed: 97)
        let (cin, h, w) = (c.input[0], c.input[1], c.input[2])
        let weight = Tensor.random([c.out, cin, 3, 3], using: &rng), bias = Tensor.random([c.out], using: &rng)
        let x = Tensor.random([1, cin, h, w], using: &rng)
        let kernel = Winograd(weight: weight)
        var y = Tensor(shape: [1, c.out, h, w], repeating: .nan)
        x.withUnsafeBufferPointer { xp in bias.withUnsafeBufferPointer { bp in y.withUnsafeMutableBufferPointer { yp in
            kernel.run(xp.baseAddress!, height: h, width: w, bias: bp.baseAddress!, into: yp.baseAddress!,
                       workspace: ConvWorkspace(), maxBandElements: c.band, reflect: c.reflect, path: path)
        } } }
        let naive = NaiveConv2D.forward(x, weight, bias: bias, padding: 1, mode: c.reflect ? .reflect : .zero)
        return (y, naive)
    }

    func direct(_ c: DirectCase, path: KernelPath) -> (fast: Tensor, naive: Tensor) {
        var rng = SplitMix64(seed: 89)
        let (cin, h, w, k) = (c.input[0], c.input[1], c.input[2], c.kernel)
        let weight = Tensor.random([c.out, cin, k, k], using: &rng), bias = Tensor.random([c.out], using: &rng)
        let x = Tensor.random([1, cin, h, w], using: &rng)
        let (oh, ow) = (h + 2 * c.padding - k + 1, w + 2 * c.padding - k + 1)
        var y = Tensor(shape: [1, c.out, oh, ow], repeating: .nan)
        x.withUnsafeBufferPointer { xp in bias.withUnsafeBufferPointer { bp in y.withUnsafeMutableBufferPointer { yp in
            DirectConv(weight: weight).run(xp.baseAddress!, height: h, width: w, padding: c.padding, mode: c.mode,
                                           bias: bp.baseAddress!, into: yp.baseAddress!, workspace: ConvWorkspace(),
                                           maxBandElements: 1 << 22, path: path)
        } } }
        return (y, NaiveConv2D.forward(x, weight, bias: bias, padding: c.padding, mode: c.mode))
    }

    // The output starts as NaN, so an element either path forgets to write fails the comparison.

    @Test(arguments: winogradCases) func winogradFloorMatchesNaive(_ c: WinogradCase) {
        let r = winograd(c, path: .avx2)
        #expect(r.fast.relativeError(to: r.naive) < Tolerance.winograd)
    }

    @Test(.enabled(if: KernelPath.cpuHasAVX512, avx512Reason), arguments: winogradCases)
    func winogradAVX512MatchesNaive(_ c: WinogradCase) {
        let r = winograd(c, path: .avx512)
        #expect(r.fast.relativeError(to: r.naive) < Tolerance.winograd)
    }

    @Test(arguments: directCases) func directFloorMatchesNaive(_ c: DirectCase) {
        let r = direct(c, path: .avx2)
        #expect(r.fast.relativeError(to: r.naive) < Tolerance.forward)
    }

    @Test(.enabled(if: KernelPath.cpuHasAVX512, avx512Reason), arguments: directCases)
    func directAVX512MatchesNaive(_ c: DirectCase) {
        let r = direct(c, path: .avx512)
        #expect(r.fast.relativeError(to: r.naive) < Tolerance.forward)
    }

    struct GEMMCase: CustomStringConvertible, Sendable {
        var m: Int, n: Int, k: Int, transposeB: Bool, beta: Float, transposeA = false
        var description: String { "\(m)x\(n)x\(k) transposeA \(transposeA) transposeB \(transposeB) beta \(beta)" }
    }

    // Large enough (m n k >= GEMM.minimumSplitWork) that the product is split across workers:
    // wide ones by column panels, tall ones by row blocks, with partial last panels and blocks.
    static let splitCases: [GEMMCase] = [
        GEMMCase(m: 37, n: 301, k: 100, transposeB: false, beta: 0),
        GEMMCase(m: 37, n: 301, k: 100, transposeB: true, beta: 0.5),
        GEMMCase(m: 301, n: 37, k: 100, transposeB: false, beta: 1),
        GEMMCase(m: 301, n: 37, k: 100, transposeB: true, beta: 0, transposeA: true),
        GEMMCase(m: 45, n: 290, k: 90, transposeB: false, beta: 0, transposeA: true),
    ]

    // Row blocks of 12, 4 and 1, column panels of 32 with masked tails, depths past one 256 block.
    static let gemmCases: [GEMMCase] = [
        GEMMCase(m: 17, n: 45, k: 37, transposeB: false, beta: 0),
        GEMMCase(m: 24, n: 64, k: 300, transposeB: false, beta: 0.5),
        GEMMCase(m: 3, n: 7, k: 600, transposeB: false, beta: 1),
        GEMMCase(m: 13, n: 6, k: 53, transposeB: true, beta: 0),
        GEMMCase(m: 8, n: 9, k: 16, transposeB: true, beta: 1),
        GEMMCase(m: 5, n: 5, k: 0, transposeB: false, beta: 0.5),
    ]

    /// C = alpha op(A) op(B) + beta C on strided matrices (leading dimensions past the used width),
    /// against a Double loop; C starts random, and a beta of 0 must ignore it even if it is NaN.
    func gemm(_ c: GEMMCase, path: KernelPath, parallel: Bool = true) -> (fast: Tensor, naive: Tensor) {
        var rng = SplitMix64(seed: 83)
        let (lda, ldb, ldc) = ((c.transposeA ? c.m : c.k) + 3, (c.transposeB ? c.k : c.n) + 5, c.n + 2)
        let a = Tensor.random([(c.transposeA ? c.k : c.m) * lda], using: &rng)
        let b = Tensor.random([(c.transposeB ? c.n : c.k) * ldb], using: &rng)
        var fast = c.beta == 0 ? Tensor(shape: [c.m * ldc], repeating: .nan) : Tensor.random([c.m * ldc], using: &rng)
        var naive = fast
        let alpha: Float = 0.75
        for i in 0..<c.m { for j in 0..<c.n {
            var s = 0.0
            for p in 0..<c.k {
                s += Double(c.transposeA ? a[p * lda + i] : a[i * lda + p]) * Double(c.transposeB ? b[j * ldb + p] : b[p * ldb + j])
            }
            naive[i * ldc + j] = Float(Double(alpha) * s + (c.beta == 0 ? 0 : Double(c.beta) * Double(naive[i * ldc + j])))
        } }
        a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in fast.withUnsafeMutableBufferPointer { cp in
            GEMM.multiply(transposeA: c.transposeA, transposeB: c.transposeB, m: c.m, n: c.n, k: c.k, alpha: alpha,
                          a: ap.baseAddress!, lda: lda, b: bp.baseAddress!, ldb: ldb, beta: c.beta,
                          c: cp.baseAddress!, ldc: ldc, path: path, parallel: parallel)
        } } }
        // Only the m x n corner is C; the padding between rows is never written by either.
        var used = [Float](), expected = [Float]()
        for i in 0..<c.m { for j in 0..<c.n { used.append(fast[i * ldc + j]); expected.append(naive[i * ldc + j]) } }
        return (Tensor(shape: [used.count], scalars: used), Tensor(shape: [expected.count], scalars: expected))
    }

    @Test(arguments: gemmCases) func gemmFloorMatchesNaive(_ c: GEMMCase) {
        let r = gemm(c, path: .avx2)
        #expect(r.fast.relativeError(to: r.naive) < Tolerance.forward)
    }

    @Test(.enabled(if: KernelPath.cpuHasAVX512, avx512Reason), arguments: gemmCases)
    func gemmAVX512MatchesNaive(_ c: GEMMCase) {
        let r = gemm(c, path: .avx512)
        #expect(r.fast.relativeError(to: r.naive) < Tolerance.forward)
    }

    /// The split products (OpenBLAS's panels side by side), and the same products unsplit, as a
    /// caller inside a parallel loop makes them; transposed A only exists on the OpenBLAS path.
    @Test(arguments: splitCases, [true, false])
    func splitProductsMatchNaive(_ c: GEMMCase, parallel: Bool) {
        #expect(c.m * c.n * c.k >= GEMM.minimumSplitWork)
        let r = gemm(c, path: .avx2, parallel: parallel)
        #expect(r.fast.relativeError(to: r.naive) < Tolerance.forward)
        if KernelPath.cpuHasAVX512 && !c.transposeA {
            let own = gemm(c, path: .avx512, parallel: parallel)
            #expect(own.fast.relativeError(to: own.naive) < Tolerance.forward)
        }
    }

    /// The Gram product: one triangle by ssyrk, mirrored, over 1 to 3 slices of the depth that are
    /// summed; and CKernels' A A^T on the AVX-512 path. Against a Double loop, both triangles.
    @Test(arguments: [1, 2, 3])
    func gramProductMatchesNaive(slices: Int) {
        var rng = SplitMix64(seed: 89)
        let (n, k, lda, ldc) = (19, 1001, 1005, 21)
        let a = Tensor.random([n * lda], using: &rng)
        var naive = [Float](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n {
            var s = 0.0
            for p in 0..<k { s += Double(a[i * lda + p]) * Double(a[j * lda + p]) }
            naive[i * n + j] = Float(0.5 * s)
        } }
        for path in KernelPath.cpuHasAVX512 ? [KernelPath.avx2, .avx512] : [.avx2] {
            var c = Tensor(shape: [n * ldc], repeating: .nan)
            a.withUnsafeBufferPointer { ap in c.withUnsafeMutableBufferPointer { cp in
                GEMM.gram(n: n, k: k, alpha: 0.5, a: ap.baseAddress!, lda: lda, c: cp.baseAddress!, ldc: ldc,
                          path: path, slices: slices)
            } }
            var used = [Float]()
            for i in 0..<n { for j in 0..<n { used.append(c[i * ldc + j]) } }
            #expect(Tensor(shape: [used.count], scalars: used).relativeError(to: Tensor(shape: [naive.count], scalars: naive))
                    < Tolerance.forward, "\(path)")
        }
    }

    @Test func environmentForcesTheFloor() {
        #expect(KernelPath.choose(environment: "avx2", cpuHasAVX512: true) == .avx2)
        #expect(KernelPath.choose(environment: "AVX2", cpuHasAVX512: true) == .avx2)
        #expect(KernelPath.choose(environment: nil, cpuHasAVX512: true) == .avx512)
        #expect(KernelPath.choose(environment: "avx512", cpuHasAVX512: false) == .avx2)
        #expect(KernelPath.choose(environment: nil, cpuHasAVX512: false) == .avx2)
    }

    /// CKernels' products replace OpenBLAS's only where OpenBLAS fell back to pre-AVX2 kernels.
    @Test func ownProductsOnlyWhereOpenBLASFellBack() {
        #expect(GEMM.choose(kernels: .avx512, openBLASCore: "Prescott") == .avx512)
        #expect(GEMM.choose(kernels: .avx512, openBLASCore: "Sandybridge") == .avx512)
        #expect(GEMM.choose(kernels: .avx512, openBLASCore: "unknown") == .avx512)
        for core in ["Haswell", "Zen", "SkylakeX", "Cooperlake", "SapphireRapids"] {
            #expect(GEMM.choose(kernels: .avx512, openBLASCore: core) == .avx2, "\(core)")
        }
        #expect(GEMM.choose(kernels: .avx2, openBLASCore: "Prescott") == .avx2)
    }
}
