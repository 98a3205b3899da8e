import Foundation
import Protocol

/// The client side of the control channel (`--control`, default port 5556): `submit
/// --coordinator`, `status`, `cancel`, `pause`, `resume` and `retry` send one request over a
/// DEALER and wait for the one reply. See docs/protocol.md, "Client channel".
public final class ControlClient {
    public let endpoint: String
    private let context: ZMQContext
    private let socket: Socket
    private let timeout: Duration

    /// Connects to `endpoint` with `security` (CURVE: this tool's key pair and the
    /// coordinator's public key; a wrong one never gets an answer, reported as `noAnswer`).
    public init(endpoint: String, security: Socket.Security = .plain, timeout: Duration = Liveness.controlReplyTimeout) throws(CoordinatorError) {
        self.endpoint = endpoint
        self.timeout = timeout
        do {
            context = try ZMQContext()
            var options = Socket.Options()
            options.sendTimeout = timeout
            options.security = security
            socket = try Socket(context: context, type: .dealer, options: options)
            try socket.connect(endpoint)
        } catch {
            throw .network("cannot connect to \(endpoint): \(error)")
        }
    }

    deinit {
        socket.close()
        context.shutdown()
    }

    public func submit(_ request: JobRequest) throws(CoordinatorError) -> UInt32 {
        let reply = try exchange(.submit(request))
        do { return try reply.decodeAccepted().job } catch { throw .rejected("bad reply to SUBMIT: \(error)") }
    }

    /// One job's state, or every job's when `job` is nil.
    public func status(job: UInt32? = nil) throws(CoordinatorError) -> [JobStatus] {
        let reply = try exchange(.status(job: job ?? 0))
        do { return try reply.decodeStatusReply() } catch { throw .rejected("bad reply to STATUS: \(error)") }
    }

    public func control(job: UInt32, action: ControlRequest.Action, priority: Int? = nil) throws(CoordinatorError) -> JobStatus {
        let reply = try exchange(.control(job: job, action: action, priority: priority))
        do { return try reply.decodeControlReply() } catch { throw .rejected("bad reply to CONTROL: \(error)") }
    }

    private func exchange(_ request: Message) throws(CoordinatorError) -> Message {
        do {
            try socket.send(request.frames())
            guard let frames = try socket.receive(timeout: timeout) else { throw CoordinatorError.noAnswer(endpoint: endpoint) }
            let reply = try Message.decode(frames)
            if reply.kind == .error { throw CoordinatorError.rejected((try? reply.decodeReason()) ?? "the coordinator refused") }
            return reply
        } catch let error as CoordinatorError {
            throw error
        } catch {
            throw .network("\(endpoint): \(error)")
        }
    }
}
