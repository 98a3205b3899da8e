/// Timings that define reliability, shared by vst-coord and vst-worker; both sides must agree,
/// so change values only here. Derived values are computed, never retyped, and the help texts
/// of both executables read them from here. `serve --heartbeat` and `vst-worker --heartbeat`
/// override the interval; a farm gives both the same value.
public enum Liveness {
    public static let heartbeatInterval: Duration = .seconds(1)
    /// What `--heartbeat` accepts on either side: faster floods the link, slower makes a dead
    /// peer take an hour to notice.
    public static let heartbeatRange: ClosedRange<Duration> = .milliseconds(50) ... .seconds(3600)
    /// How many heartbeats a peer may miss before it counts as dead (3-5 is reasonable).
    public static let missedBeatsBeforeDead = 3
    public static var peerExpiry: Duration { expiry(heartbeat: heartbeatInterval) }
    /// How long a peer heartbeating every `heartbeat` may stay silent before it counts as dead.
    public static func expiry(heartbeat: Duration) -> Duration { heartbeat * missedBeatsBeforeDead }
    /// A worker silent this long loses its chunk to another worker.
    public static let workerLease: Duration = .seconds(10)
    /// A lease shorter than this many heartbeats would take a worker for dead between two beats.
    public static let minimumLeaseHeartbeats = 2
    public static let reconnectBackoff: ClosedRange<Duration> = .seconds(1) ... .seconds(32)
    /// How long a send on a link to a peer (coordinator or worker) may wait on the peer's full
    /// queue before it fails: a stuck peer must never stall the coordinator's loop or a worker's
    /// heartbeats.
    public static let sendTimeout: Duration = .seconds(1)
    /// How long a client tool (submit, status, cancel, ...) waits for the coordinator's reply.
    public static let controlReplyTimeout: Duration = .seconds(10)
    /// How long a closing worker socket keeps trying to deliver its BYE: long enough to deliver
    /// it, short enough never to hang a shutdown.
    public static let byeLinger: Duration = .milliseconds(200)
    /// How long a stopping worker (SIGTERM) may take to finish its frame and have it
    /// acknowledged before it leaves anyway (`vst-worker --stop-grace`).
    public static let stopGrace: Duration = .seconds(60)
    /// What a stopping worker keeps of its grace for sending its last frame and hearing the
    /// ACK: a frame expected to end later than the grace less this is not waited for.
    public static let stopAckAllowance: Duration = .seconds(1)
    /// The window over which the dashboard counts each worker's recent frames per second.
    public static let throughputWindow: Duration = .seconds(5)
}
