import CKernels
import Foundation

/// Which instruction set Engine's hand-vectorised kernels run on, chosen once per process.
///
/// The package is built for haswell (AVX2/FMA), the floor of every machine in the farm. Where the
/// CPU also has AVX-512 (Intel Xeon, AMD Zen 4) and the OS saves its registers, the Winograd
/// transforms and the direct convolution run CKernels' sixteen-lane versions instead of the Swift
/// loops. The matrix products follow only where OpenBLAS has no AVX2 kernels for the CPU
/// (`GEMM.productPath`); elsewhere OpenBLAS's own run-time choice is faster.
///
/// `VST_KERNELS=avx2` in the environment forces the floor path on any CPU (benchmarks compare
/// the two paths this way, and it is the switch to pull if an AVX-512 kernel is ever suspect).
/// Any other value, or none, selects the best path the CPU has.
public enum KernelPath: String, Sendable, CaseIterable {
    /// The Swift `SIMD8<Float>` loops: eight lanes, every supported CPU.
    case avx2
    /// CKernels' AVX-512 functions: sixteen lanes.
    case avx512

    /// Whether this CPU and OS can run the AVX-512 kernels (whatever VST_KERNELS says).
    public static let cpuHasAVX512: Bool = ckernels_cpu_has_avx512()

    /// The path Engine's kernels take in this process.
    public static let selected: KernelPath = choose(environment: ProcessInfo.processInfo.environment["VST_KERNELS"],
                                                    cpuHasAVX512: cpuHasAVX512)

    /// The best path the CPU has, unless `environment` (VST_KERNELS) is "avx2".
    static func choose(environment: String?, cpuHasAVX512: Bool) -> KernelPath {
        if environment?.lowercased() == KernelPath.avx2.rawValue { return .avx2 }
        return cpuHasAVX512 ? .avx512 : .avx2
    }
}
