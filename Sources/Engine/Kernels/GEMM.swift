import COpenBLAS

/// The one door to OpenBLAS. Every matrix is row-major; arguments are named after cblas_sgemm's.
public enum GEMM {
    /// C = alpha * op(A) * op(B) + beta * C, with op(A) of shape m x k and op(B) of shape k x n.
    /// `lda`, `ldb`, `ldc` are the row strides of the matrices as stored (before transposition).
    @inlinable
    public static func multiply(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Sets how many threads OpenBLAS may use for one multiplication.
    public static func setThreadCount(_ threads: Int) {
        openblas_set_num_threads(Int32(max(1, threads)))
    }
}
