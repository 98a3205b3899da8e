import Logging
import Protocol

/// What a worker process needs to know to join a farm.
public struct WorkerConfiguration: Sendable, Equatable {
    /// Coordinator endpoint, e.g. tcp://coord:5555.
    public var endpoint: String
    /// Compute threads; nil means all cores.
    public var threads: Int?
    /// Exit when this process is no longer our parent: local workers of an embedded `submit`
    /// must not outlive it, even when it is killed without a chance to stop them.
    public var parentProcess: Int32?
    /// How long a stopping worker (SIGTERM) waits for its current frame to finish and be
    /// acknowledged before it leaves anyway (`--stop-grace`).
    public var stopGrace: Duration = Liveness.stopGrace
    /// CURVE (`.curveClient`: the worker's key pair and the coordinator's public key) or plain.
    public var security: Socket.Security
    /// `--log-level`: lines below it are neither printed nor sent to the coordinator.
    public var logLevel: Logger.Level = .info
    /// `--heartbeat`: how often the worker heartbeats; a coordinator silent for
    /// `Liveness.missedBeatsBeforeDead` of them counts as gone. The coordinator's must match.
    public var heartbeat: Duration = Liveness.heartbeatInterval

    public init(endpoint: String, threads: Int? = nil, parentProcess: Int32? = nil, security: Socket.Security = .plain) {
        self.endpoint = endpoint
        self.security = security
        self.threads = threads
        self.parentProcess = parentProcess
    }
}
