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

    /// `productPath`'s rule, apart from the process's own CPU and OpenBLAS.
    static func choose(kernels: KernelPath, openBLASCore: String) -> KernelPath {
        kernels == .avx512 && !openBLASCoresWithAVX2.contains(openBLASCore.lowercased()) ? .avx512 : .avx2
    }

    /// C = alpha * op(A) * op(B) + beta * C, with op(A) of shape m x k and op(B) of shape k x n.
    /// `lda`, `ldb`, `ldc` are the row strides of the matrices as stored (before transposition).
    /// `path` picks the kernels (tests run both): `.avx512` is CKernels', `.avx2` OpenBLAS's.
    public static func multiply(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int,
        path: KernelPath = GEMM.productPath
    ) {
        if path == .avx512 && !transposeA && m > 0 && n > 0 {
            // Split C across Engine's threads: column panels of 32 for A B, row blocks of 4 for A B^T.
            if !transposeB {
                let panels = (n + 31) / 32
                Parallel.forEachChunk(panels, elementsPerItem: m * max(1, k)) { range in
                    ckernels_sgemm_nn_avx512(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, range.lowerBound * 32, range.upperBound * 32)
                }
            } else {
                let blocks = (m + 3) / 4
                Parallel.forEachChunk(blocks, elementsPerItem: 4 * n * max(1, k)) { range in
                    ckernels_sgemm_nt_avx512(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, range.lowerBound * 4, range.upperBound * 4)
                }
            }
            return
        }
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Sets how many threads OpenBLAS may use for one multiplication.
    public static func setThreadCount(_ threads: Int) {
        openblas_set_num_threads(Int32(max(1, threads)))
    }

    /// The kernel set OpenBLAS chose for this CPU (e.g. "SkylakeX", "Haswell", "Prescott").
    public static var openBLASCore: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }
}
