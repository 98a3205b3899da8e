/// Who may stay silent until when: every message from a worker renews its lease, and a worker
/// whose lease ran out is presumed dead so that its chunk can move to another worker.
///
/// A value type with no clock of its own: callers pass `now` as the time since any fixed origin
/// (the coordinator uses its start), so tests drive expiry by advancing a number, never sleeping.
public struct LeaseTable<Holder: Hashable & Sendable>: Sendable {
    /// How long a holder may stay silent.
    public let lease: Duration
    private var deadlines: [Holder: Duration] = [:]

    public init(lease: Duration) {
        precondition(lease > .zero, "a lease must be positive")
        self.lease = lease
    }

    /// Extends (or starts) `holder`'s lease to `now + lease`.
    public mutating func renew(_ holder: Holder, now: Duration) {
        deadlines[holder] = now + lease
    }

    /// Forgets `holder` (it said goodbye or was declared dead).
    public mutating func remove(_ holder: Holder) {
        deadlines[holder] = nil
    }

    public func contains(_ holder: Holder) -> Bool { deadlines[holder] != nil }

    /// When `holder`'s lease runs out, or nil if it holds none.
    public func deadline(of holder: Holder) -> Duration? { deadlines[holder] }

    /// Removes and returns every holder whose lease ended at or before `now`, earliest first.
    public mutating func expire(now: Duration) -> [Holder] {
        let expired = deadlines.filter { $0.value <= now }.sorted { $0.value < $1.value }.map(\.key)
        for holder in expired { deadlines[holder] = nil }
        return expired
    }

    public var count: Int { deadlines.count }
}
