import CKernels
import COpenBLAS

/// The one door to OpenBLAS. Every matrix is row-major; arguments are named after cblas_sgemm's.
///
/// On the AVX-512 path (`KernelPath`) the two forms Engine's hot loops use, A B and A B^T, run on
/// CKernels' own kernels instead, but only where OpenBLAS has no AVX2 kernels for the CPU: on this
/// farm's Xeons OpenBLAS does not recognise the (virtual) CPU and runs its SSE3 kernels
/// (`openblas_get_corename()` says "Prescott"), and CKernels' are 1.5-2x faster there. Where it
/// does recognise the CPU its kernels win: on a Zen 4, where it picks "Cooperlake", a Gatys
/// iteration at 512x288 took 0.94 s with CKernels' products and 0.61 s with OpenBLAS's
/// (docs/benchmarks.md). Other forms, and the floor path, stay with OpenBLAS.
public enum GEMM {
    /// OpenBLAS kernel sets that use AVX2 or better; any other (Prescott, Nehalem, Sandybridge, ...)
    /// is a fallback slower than CKernels' AVX-512 products.
    static let openBLASCoresWithAVX2: Set<String> = ["haswell", "zen", "skylakex", "cooperlake", "sapphirerapids"]

    /// The path the products take unless a caller names one: `.avx512` (CKernels) only when the
    /// kernels run AVX-512 and OpenBLAS has nothing better than a fallback for this CPU.
    public static let productPath: KernelPath = choose(kernels: .selected, openBLASCore: openBLASCore)

    /// Whose products run, for benchmark records: "ckernels" or "openblas".
    public static var productKernels: String { productPath == .avx512 ? "ckernels" : "openblas" }

    /// `productPath`'s rule, apart from the process's own CPU and OpenBLAS.
    static func choose(kernels: KernelPath, openBLASCore: String) -> KernelPath {
        kernels == .avx512 && !openBLASCoresWithAVX2.contains(openBLASCore.lowercased()) ? .avx512 : .avx2
    }

    /// C = alpha * op(A) * op(B) + beta * C, with op(A) of shape m x k and op(B) of shape k x n.
    /// `lda`, `ldb`, `ldc` are the row strides of the matrices as stored (before transposition).
    /// `path` picks the kernels (tests run both): `.avx512` is CKernels', `.avx2` OpenBLAS's.
    /// `parallel` splits C across `Parallel`'s workers; a caller already inside a parallel loop
    /// passes false.
    public static func multiply(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int,
        path: KernelPath = GEMM.productPath, parallel: Bool = true
    ) {
        _ = GEMM.openBLASOnOneThread
        if path == .avx512 && !transposeA && m > 0 && n > 0 {
            // CKernels' products take a stretch of C: column panels of 32 for A B, row blocks of 4 for
            // A B^T. Split across Engine's threads, or all of C on this one.
            let (items, unit, extent) = transposeB ? ((m + 3) / 4, 4, m) : ((n + 31) / 32, 32, n)
            let product = { (range: Range<Int>) in
                let (from, to) = (range.lowerBound * unit, min(extent, range.upperBound * unit))
                if transposeB {
                    ckernels_sgemm_nt_avx512(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, from, to)
                } else {
                    ckernels_sgemm_nn_avx512(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, from, to)
                }
            }
            if parallel {
                Parallel.forEachChunk(items, elementsPerItem: (transposeB ? 4 * n : m) * max(1, k), product)
            } else {
                product(0..<items)
            }
            return
        }
        let (opA, opB) = (transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans)
        guard parallel && m > 0 && n > 0 && m * n * max(1, k) >= GEMM.minimumSplitWork else {
            cblas_sgemm(CblasRowMajor, opA, opB, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
            return
        }
        // Pieces of C, one OpenBLAS call each, shared among the workers: column panels where C is
        // wide (each call packs A again, the smaller operand), row blocks where it is tall. Their
        // size depends on the shape alone, never on the thread count, so a render is the same
        // bit for bit whatever --threads says (OpenBLAS picks its kernel by a call's size).
        if n >= m {
            let width = GEMM.pieceSize(n, minimum: 256)
            Parallel.forEachChunk((n + width - 1) / width, elementsPerItem: Parallel.minimumElementsPerTask) { range in
                for piece in range {
                    let j0 = piece * width, j1 = min(n, j0 + width)
                    cblas_sgemm(CblasRowMajor, opA, opB, Int32(m), Int32(j1 - j0), Int32(k), alpha, a, Int32(lda),
                                transposeB ? b + j0 * ldb : b + j0, Int32(ldb), beta, c + j0, Int32(ldc))
                }
            }
        } else {
            let height = GEMM.pieceSize(m, minimum: 64)
            Parallel.forEachChunk((m + height - 1) / height, elementsPerItem: Parallel.minimumElementsPerTask) { range in
                for piece in range {
                    let i0 = piece * height, i1 = min(m, i0 + height)
                    cblas_sgemm(CblasRowMajor, opA, opB, Int32(i1 - i0), Int32(n), Int32(k), alpha,
                                transposeA ? a + i0 : a + i0 * lda, Int32(lda), b, Int32(ldb), beta, c + i0 * ldc, Int32(ldc))
                }
            }
        }
    }

    /// At most this many pieces per product, and Gram slices (`gram`): enough for a few
    /// workers, few enough that the repeated packing stays small.
    static let maximumPieces = 4

    /// The length of one piece of an extent cut into at most `maximumPieces`, none shorter than
    /// `minimum` (unless the extent is), in whole 16s: a function of the shape alone.
    static func pieceSize(_ extent: Int, minimum: Int) -> Int {
        let pieces = max(1, min(maximumPieces, extent / minimum))
        return ((extent + pieces - 1) / pieces + 15) / 16 * 16
    }

    /// The depth below which a Gram matrix is not cut into slices (`gram`).
    static let gramSliceDepth = 2048

    /// C (n x n) = alpha A A^T for A of n x k (row stride `lda`): a Gram matrix. OpenBLAS's ssyrk
    /// computes one triangle, half a general product's work, and the other is mirrored; `slices`
    /// stretches of k (by default up to `maximumPieces`, none under `gramSliceDepth`) run side
    /// by side and are summed. On the `.avx512` product path (CKernels) it is their A B^T product instead.
    public static func gram(n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                            c: UnsafeMutablePointer<Float>, ldc: Int,
                            path: KernelPath = GEMM.productPath, slices: Int? = nil) {
        _ = GEMM.openBLASOnOneThread
        guard n > 0 else { return }
        if path == .avx512 {
            multiply(transposeB: true, m: n, n: n, k: k, alpha: alpha, a: a, lda: lda, b: a, ldb: lda, c: c, ldc: ldc, path: path)
            return
        }
        let parts = max(1, min(k, slices ?? (n * n * k >= minimumSplitWork ? min(maximumPieces, k / gramSliceDepth) : 1)))
        // Slice 0 writes C itself; the others write scratch triangles that are added to it.
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: (parts - 1) * n * n)
        defer { scratch.deallocate() }
        Parallel.forEachChunk(parts, elementsPerItem: Parallel.minimumElementsPerTask) { range in
            for part in range {
                let k0 = k * part / parts, k1 = k * (part + 1) / parts
                let (out, ldo) = part == 0 ? (c, ldc) : (scratch + (part - 1) * n * n, n)
                cblas_ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans, Int32(n), Int32(k1 - k0), alpha,
                            a + k0, Int32(lda), 0, out, Int32(ldo))
            }
        }
        for i in 0..<n {
            for j in i..<n {
                var value = c[i * ldc + j]
                for part in 1..<parts { value += scratch[(part - 1) * n * n + i * n + j] }
                c[i * ldc + j] = value
                c[j * ldc + i] = value
            }
        }
    }

    /// Products smaller than this (m n k) run on the calling thread: splitting costs more.
    static let minimumSplitWork = 1 << 20

    /// OpenBLAS runs on the calling thread only; Engine splits the work across `Parallel`'s workers
    /// itself (panels of one product, or Winograd's 36 products side by side). OpenBLAS's own pool
    /// spun in sched_yield between products while Engine's loops waited for the cores: on a Zen 4
    /// a Gatys iteration at 512x288 spent 20 % of its samples in the scheduler, and this cut its
    /// time by 13 % (docs/benchmarks.md). Concurrent calls are safe on a one-thread OpenBLAS.
    static let openBLASOnOneThread: Void = openblas_set_num_threads(1)

    /// The kernel set OpenBLAS chose for this CPU (e.g. "SkylakeX", "Haswell", "Prescott").
    public static var openBLASCore: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }
}
