import Coordinator
import Foundation
import Protocol

/// Control requests from HTTP handlers, waiting for the loop thread: a handler posts one and
/// suspends; the loop (`DashboardCompanion.afterStep`) carries it out with
/// `CoordinatorServer.control`, the very call the control channel makes, and resumes the
/// handler with the job's status or the refusal. So a job paused from the browser behaves
/// exactly like one paused with `vst-coord pause`.
public final class ControlInbox: @unchecked Sendable {
    public struct Request: Sendable {
        public var job: UInt32
        public var action: ControlRequest.Action
        public var priority: Int?
    }

    private let lock = NSLock()
    private var waiting: [(Request, CheckedContinuation<Result<JobStatus, CoordinatorError>, Never>)] = []
    private var closed = false

    public init() {}

    /// Hands `request` to the loop and waits for its outcome.
    public func submit(_ request: Request) async -> Result<JobStatus, CoordinatorError> {
        await withCheckedContinuation { continuation in
            lock.lock()
            if closed {
                lock.unlock()
                continuation.resume(returning: .failure(.rejected("the coordinator is stopping")))
                return
            }
            waiting.append((request, continuation))
            lock.unlock()
        }
    }

    /// On the loop thread: carries out every waiting request with `perform`, then, when there
    /// was any, runs `afterwards` (the companion publishes a snapshot there) before it answers
    /// the handlers, so that a page reading right after its control sees the new state.
    public func drain(_ perform: (Request) -> Result<JobStatus, CoordinatorError>, afterwards: () -> Void) {
        lock.lock()
        let batch = waiting
        waiting.removeAll()
        lock.unlock()
        guard !batch.isEmpty else { return }
        let outcomes = batch.map { perform($0.0) }
        afterwards()
        for ((_, continuation), outcome) in zip(batch, outcomes) { continuation.resume(returning: outcome) }
    }

    /// Refuses every waiting and later request (the coordinator is stopping).
    public func close() {
        lock.lock()
        closed = true
        let batch = waiting
        waiting.removeAll()
        lock.unlock()
        for (_, continuation) in batch { continuation.resume(returning: .failure(.rejected("the coordinator is stopping"))) }
    }
}
