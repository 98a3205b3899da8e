import Protocol

/// Frames per second each worker delivered recently: the RESULTs that arrived from it in the
/// last `window`, divided by the window (or by the time since its first result, when that is
/// shorter, so a worker that just started is not shown at a fraction of its speed).
///
/// A value type with no clock: callers pass `now` as the time since a fixed origin, as they do
/// to `LeaseTable`, so the tests advance a number instead of sleeping.
public struct WorkerThroughput<Worker: Hashable & Sendable>: Sendable {
    public let window: Duration
    private var arrivals: [Worker: [Duration]] = [:]
    private var firstArrival: [Worker: Duration] = [:]

    public init(window: Duration = Liveness.throughputWindow) {
        precondition(window > .zero, "a window must be positive")
        self.window = window
    }

    /// One frame arrived from `worker` at `now`.
    public mutating func record(_ worker: Worker, now: Duration) {
        if firstArrival[worker] == nil { firstArrival[worker] = now }
        arrivals[worker, default: []].append(now)
        arrivals[worker]!.removeAll { $0 <= now - window }
    }

    /// Frames per second from `worker` over the recent window; 0 when none arrived in it.
    public func rate(of worker: Worker, now: Duration) -> Double {
        guard let times = arrivals[worker], let first = firstArrival[worker] else { return 0 }
        let recent = times.filter { $0 > now - window }.count
        guard recent > 0 else { return 0 }
        let span = min(window, max(now - first, .milliseconds(500)))
        return Double(recent) / span.seconds
    }

    /// Forgets a worker that left.
    public mutating func remove(_ worker: Worker) {
        arrivals[worker] = nil
        firstArrival[worker] = nil
    }
}
