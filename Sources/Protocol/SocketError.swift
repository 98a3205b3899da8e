import CZMQ

/// Everything that can go wrong on a ZeroMQ socket; each case prints as one line.
public enum SocketError: Error, Equatable, CustomStringConvertible {
    /// A libzmq call failed; `reason` is zmq_strerror's text for `code`.
    case zmq(operation: String, code: Int32, reason: String)
    /// The send would have blocked past `Socket.Options.sendTimeout` (peer's queue is full).
    case wouldBlock(operation: String)
    /// A ROUTER was asked to send to a peer identity that is not connected (or no longer is).
    case peerUnreachable
    /// The context was shut down (`ZMQContext.shutdown()`); the socket must be closed.
    case terminated
    /// The socket was used after `close()`.
    case closed

    /// Classifies libzmq's errno for `operation`, so callers can match the cases they handle.
    init(operation: String, code: Int32) {
        switch code {
        case EAGAIN: self = .wouldBlock(operation: operation)
        case EHOSTUNREACH: self = .peerUnreachable
        case ETERM: self = .terminated
        default: self = .zmq(operation: operation, code: code, reason: String(cString: zmq_strerror(code)))
        }
    }

    public var description: String {
        switch self {
        case .zmq(let operation, let code, let reason): "\(operation) failed (\(code)): \(reason)"
        case .wouldBlock(let operation): "\(operation) timed out: the peer is not taking messages"
        case .peerUnreachable: "peer is not connected"
        case .terminated: "ZeroMQ context was shut down"
        case .closed: "socket is closed"
        }
    }
}
