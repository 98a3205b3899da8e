/// Everything that stops a coordinator command; each case prints as one line, and `exitCode`
/// says how the executable ends (2 for bad input or usage, 1 for anything else).
public enum CoordinatorError: Error, Equatable, CustomStringConvertible {
    /// An option's value is out of range or malformed.
    case invalidOption(String)
    /// An input file (film, style image, model) is missing or unreadable.
    case badInput(path: String, reason: String)
    /// A file or folder of the job cannot be written.
    case cannotWrite(path: String, reason: String)
    /// A ZeroMQ endpoint cannot be bound or connected.
    case network(String)
    /// The job stopped: a worker gave up on a chunk, or the output could not be assembled.
    /// Prints the reason alone (it names what failed); the job id is in `status`.
    case jobFailed(job: UInt32, reason: String)
    /// The job was cancelled before it finished.
    case jobCancelled(job: UInt32)
    /// The coordinator answered a client request with an error.
    case rejected(String)
    /// The coordinator did not answer in time.
    case noAnswer(endpoint: String)
    /// Keys are missing, malformed or exposed, or plain TCP was asked for off loopback.
    case security(String)
    /// The local worker executable is not where it should be.
    case workerExecutableMissing(path: String)

    public var description: String {
        switch self {
        case .invalidOption(let what): what
        case .badInput(let path, let reason): "\(path): \(reason)"
        case .cannotWrite(let path, let reason): "\(path): cannot write (\(reason))"
        case .network(let what): what
        case .jobFailed(_, let reason): reason
        case .jobCancelled(let job): "job \(job) was cancelled"
        case .rejected(let reason): reason
        case .noAnswer(let endpoint): "no answer from the coordinator at \(endpoint)"
        case .security(let what): what
        case .workerExecutableMissing(let path): "worker executable not found at \(path) (build vst-worker next to vst-coord)"
        }
    }

    /// 2 for bad input or usage, 1 otherwise.
    public var exitCode: Int32 {
        switch self {
        case .invalidOption, .badInput, .security: 2
        default: 1
        }
    }
}
