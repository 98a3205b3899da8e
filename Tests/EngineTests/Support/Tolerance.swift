/// Error bounds shared by the Engine tests (relative L2 error against a reference).
enum Tolerance {
    /// Float32 kernels against a Double-accumulating naive loop.
    static let forward = 1e-5
    /// Winograd F(4x4, 3x3) against the naive loop: its transforms lose a few bits.
    static let winograd = 1e-4
    /// Analytic gradients against central finite differences.
    static let gradient = 1e-3
}
