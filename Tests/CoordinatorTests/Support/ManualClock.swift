import Foundation
@testable import Coordinator

/// A coordinator clock that moves only when a test says so, as swift-nio's
/// `EmbeddedEventLoop.advanceTime` does: leases run out and heartbeats fall due without sleeping.
final class ManualClock: CoordinatorClock, @unchecked Sendable {
    private let lock = NSLock()
    private var elapsed: Duration = .zero

    var now: Duration { lock.withLock { elapsed } }

    func advance(by step: Duration) { lock.withLock { elapsed += step } }
}
