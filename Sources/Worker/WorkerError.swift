/// Why a worker gives up on a chunk or stops; each case prints as one line, which is what goes
/// back to the coordinator in CHUNK_FAILED.
public enum WorkerError: Error, Equatable, CustomStringConvertible {
    /// The task's frames or styles do not decode or do not match its spec.
    case badTask(String)
    /// The coordinator took the chunk back (cancel, pause, reassignment).
    case cancelled
    /// The coordinator endpoint is malformed or cannot be connected.
    case network(String)
    /// Keys are missing, malformed or exposed, or plain TCP was asked for off loopback.
    case security(String)

    public var description: String {
        switch self {
        case .badTask(let reason): "bad task: \(reason)"
        case .cancelled: "chunk cancelled"
        case .network(let reason): reason
        case .security(let reason): reason
        }
    }
}
