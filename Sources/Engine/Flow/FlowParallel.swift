import Dispatch
import Foundation

/// Splits the flow's row loops over Engine's threads (`Parallel.threadCount`, which a worker's
/// `--threads` sets). Work is cut into a few more blocks than threads so a core that is busy with
/// something else does not hold up the whole loop.
enum FlowParallel {
    static var cores: Int { Parallel.threadCount }

    /// Calls `body` on disjoint, consecutive sub-ranges covering `0..<count`, in parallel when the
    /// work (`count * costPerItem`) is large enough to pay for the threads.
    static func forRanges(_ count: Int, costPerItem: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let blocks = min(count, cores == 1 || count * costPerItem < 20_000 ? 1 : cores * 4)
        if blocks == 1 { body(0..<count); return }
        DispatchQueue.concurrentPerform(iterations: blocks) { b in
            let start = count * b / blocks, end = count * (b + 1) / blocks
            if start < end { body(start..<end) }
        }
    }
}
