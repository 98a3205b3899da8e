import Foundation

/// Runs blocking socket code on a thread of its own. Socket calls block, and a blocked call on
/// Swift concurrency's small cooperative pool (one thread per core) can starve the very test that
/// would unblock it; so a test's second peer always gets a real thread, joined with `join()`.
final class PeerThread<T: Sendable>: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    private var result: Result<T, any Error>?

    init(_ body: @escaping @Sendable () throws -> T) {
        let thread = Thread { [self] in
            result = Result { try body() }
            finished.signal()
        }
        thread.start()
    }

    /// Waits for the thread's body to end and returns what it returned or rethrows what it threw.
    func join() throws -> T {
        finished.wait()
        return try result!.get()
    }
}
