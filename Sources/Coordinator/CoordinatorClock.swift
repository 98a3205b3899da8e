/// Where the coordinator reads the time for leases, heartbeats, throughput and progress (ETAs):
/// `now` is the time since the clock's origin, and only differences mean anything. The server
/// takes one in its initialiser (`SystemClock` unless told otherwise), so a test drives lease
/// expiry and heartbeats by advancing a manual clock instead of sleeping, as swift-nio's
/// `EmbeddedEventLoop.advanceTime` does.
///
/// Not behind it: the assembler's per-step budget (`JobRunner.assemble`), which bounds real
/// work, and the wall-clock dates written to the job store and the dashboard.
public protocol CoordinatorClock: Sendable {
    var now: Duration { get }
}

/// The process's monotonic clock (`ContinuousClock`), counted from this value's creation.
public struct SystemClock: CoordinatorClock {
    private let origin = ContinuousClock.now

    public init() {}

    public var now: Duration { .now - origin }
}
