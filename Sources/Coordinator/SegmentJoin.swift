import Foundation
import Media

/// One run of `SegmentJoiner.join` on a thread of its own, polled by the coordinator's loop:
/// joining a long film's segments takes seconds to minutes, and the loop must keep answering
/// workers meanwhile. `result` is nil until the join ends.
final class SegmentJoin: @unchecked Sendable {
    private let lock = NSLock()
    private var outcome: Result<Void, any Error>?

    init(_ work: @escaping @Sendable () throws -> Void) {
        let thread = Thread { [self] in
            let result: Result<Void, any Error>
            do { try work(); result = .success(()) } catch { result = .failure(error) }
            lock.lock()
            outcome = result
            lock.unlock()
        }
        thread.name = "vst-join"
        thread.start()
    }

    var result: Result<Void, any Error>? {
        lock.lock()
        defer { lock.unlock() }
        return outcome
    }
}
