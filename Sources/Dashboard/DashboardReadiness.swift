import Protocol

/// Whether the coordinator is serving, as `/readyz` answers it. The loop publishes a snapshot
/// when it starts (after the job store is open and both sockets are bound) and then every
/// `DashboardCompanion.interval` while it steps; each step is bounded (a poll, an assembly
/// budget, long joins on their own thread), so a recent publish means the loop is turning and
/// answering workers and clients. No snapshot yet means it is still starting; an old one means
/// the loop is stuck (a hung disk, say), and then it answers no one either, although the HTTP
/// server, on its own threads, still does: that is why readiness looks at the time of the
/// publish, not only at whether there is a snapshot.
public enum DashboardReadiness: Equatable, Sendable {
    case ready
    /// Not serving; the reason as one line.
    case notReady(String)

    /// A snapshot older than this means a stuck loop: a client's control request (submit,
    /// status, ...) waits this long for its reply before it gives up, so past it the
    /// coordinator is not serving clients.
    public static let staleAfter: Duration = Liveness.controlReplyTimeout

    /// Judges from when the loop last published (nil: never) as of `now`.
    public static func of(lastPublished: ContinuousClock.Instant?, now: ContinuousClock.Instant) -> DashboardReadiness {
        guard let lastPublished else { return .notReady("the coordinator has not published its first snapshot yet") }
        let age = now - lastPublished
        guard age <= staleAfter else {
            return .notReady("the coordinator's loop last published \(Int(age.seconds)) s ago, more than \(staleAfter.secondsText) s")
        }
        return .ready
    }
}
