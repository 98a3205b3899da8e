import Foundation

/// Blocking sleeps for the worker's threads (the worker loop is synchronous on purpose: one
/// ZeroMQ socket, owned by one thread).
enum WorkerClock {
    static func sleep(_ duration: Duration) throws {
        let (seconds, attoseconds) = duration.components
        Thread.sleep(forTimeInterval: Double(seconds) + Double(attoseconds) / 1e18)
    }
}
