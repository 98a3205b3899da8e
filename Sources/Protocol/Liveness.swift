/// Timings that define reliability, shared by vst-coord and vst-worker; both sides must agree,
/// so change values only here. Derived values are computed, never retyped. `serve --heartbeat`
/// and `vst-worker --heartbeat` override the interval; a farm gives both the same value.
public enum Liveness {
    public static let heartbeatInterval: Duration = .seconds(1)
    /// How many heartbeats a peer may miss before it counts as dead (3-5 is reasonable).
    public static let missedBeatsBeforeDead = 3
    public static var peerExpiry: Duration { expiry(heartbeat: heartbeatInterval) }
    /// How long a peer heartbeating every `heartbeat` may stay silent before it counts as dead.
    public static func expiry(heartbeat: Duration) -> Duration { heartbeat * missedBeatsBeforeDead }
    /// A worker silent this long loses its chunk to another worker.
    public static let workerLease: Duration = .seconds(10)
    public static let reconnectBackoff: ClosedRange<Duration> = .seconds(1) ... .seconds(32)
}
