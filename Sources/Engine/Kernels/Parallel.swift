import Dispatch
import Foundation

/// Splits Engine's own loops (im2col, col2im, elementwise, pooling) across cores.
///
/// The matrix products split their work across the same workers (`GEMM.multiply`); OpenBLAS
/// itself runs on one thread, so nothing else competes for the cores.
public enum Parallel {
    /// Workers used by Engine's own loops; 1 runs everything on the calling thread.
    nonisolated(unsafe) public static var threadCount: Int = defaultThreadCount()

    /// Sets how many workers Engine's loops and matrix products use. A worker given `--threads N`
    /// calls this once before rendering.
    public static func setThreads(_ threads: Int) {
        threadCount = max(1, threads)
    }

    /// Below this many elements of work a loop stays on one thread: dispatching costs more.
    public static let minimumElementsPerTask = 16_384

    static func defaultThreadCount() -> Int {
        max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Calls `body(range)` for disjoint ranges that cover `0..<count`, in parallel when the work
    /// (`count * elementsPerItem`) is large enough to pay for it. `body` must only write state that
    /// belongs to its range.
    @inlinable
    public static func forEachChunk(_ count: Int, elementsPerItem: Int = 1,
                                    _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let tasks = min(threadCount, count, max(1, (count * elementsPerItem) / minimumElementsPerTask))
        if tasks <= 1 { body(0..<count); return }
        DispatchQueue.concurrentPerform(iterations: tasks) { t in
            let lo = count * t / tasks, hi = count * (t + 1) / tasks
            if lo < hi { body(lo..<hi) }
        }
    }
}
