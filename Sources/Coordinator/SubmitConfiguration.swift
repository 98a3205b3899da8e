import Logging
import Protocol

/// Everything `vst-coord submit` was told beyond the job itself: where the coordinator is (or
/// how to run an embedded one) and how to report.
public struct SubmitConfiguration: Sendable {
    public var options: SubmitOptions
    /// Client endpoint of a running coordinator (`--coordinator`); nil runs an embedded one.
    public var coordinator: String?
    /// Print the job id and return (needs `coordinator`).
    public var detach = false
    /// Local worker processes for an embedded coordinator; nil is `LocalWorkers.defaultCount`.
    public var localWorkers: Int?
    /// Compute threads per local worker; nil lets each use every core.
    public var workerThreads: Int?
    /// The worker lease; nil is `Coordinator.defaultLease()`.
    public var lease: Duration?
    /// The `vst-worker` to start; nil is the one next to the running executable.
    public var workerExecutable: String?
    /// Progress display; nil picks a bar on a terminal, lines otherwise.
    public var progress: ProgressPrinter.Style?
    /// Log workers joining and leaving, chunks moving (stderr).
    public var verbose = false
    /// `--disk-budget` of the embedded coordinator; nil is `CoordinatorServer.Settings.defaultDiskBudget`.
    /// The budget guards the coordinator's disk, so it belongs to whoever runs the coordinator:
    /// a `submit` without `--coordinator` runs its own and takes it, one with `--coordinator`
    /// refuses it (that farm's is its `serve --disk-budget`), and it stays out of `SubmitOptions`
    /// and the job request.
    public var diskBudget: Int?
    /// Keys for `coordinator`; for an embedded coordinator only `insecure` counts (without it,
    /// the embedded coordinator and its local workers use fresh throw-away CURVE keys).
    public var security = LinkSecurity()

    public init(options: SubmitOptions) { self.options = options }
}

/// What `vst-coord serve` needs.
public struct ServeConfiguration: Sendable {
    /// Worker endpoint (`--bind`), e.g. tcp://*:5555.
    public var bind: String
    /// Client endpoint (`--control`), e.g. tcp://*:5556.
    public var control: String
    /// Job folders and journals (`--data`).
    public var dataDirectory: String
    /// The worker lease; nil is `Coordinator.defaultLease()`.
    public var lease: Duration?
    /// `--key`/`--authorized`, or `--insecure`.
    public var security: LinkSecurity
    /// `--heartbeat`: how often workers are heartbeated (they must use the same interval).
    public var heartbeat: Duration = Liveness.heartbeatInterval
    /// `--log-level`: `info` logs workers joining and leaving and chunks moving, `notice` only
    /// the coordinator starting and stopping, `warning` only trouble.
    public var logLevel: Logger.Level = .info
    /// `--disk-budget`: bytes of renders each job may keep waiting for the encoder; nil is
    /// `CoordinatorServer.Settings.defaultDiskBudget`.
    public var diskBudget: Int?

    public init(bind: String, control: String, dataDirectory: String, lease: Duration? = nil, security: LinkSecurity = LinkSecurity()) {
        self.security = security
        self.bind = bind
        self.control = control
        self.dataDirectory = dataDirectory
        self.lease = lease
    }
}
