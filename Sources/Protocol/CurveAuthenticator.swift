import Foundation

/// The coordinator's allow-list for CURVE: a ZAP handler (ZeroMQ RFC 27) that libzmq consults
/// for every CURVE handshake on a `.curveServer` socket of the same context, admitting only
/// clients whose public key is authorized. A rejected client never gets a message through;
/// libzmq drops its connection during the handshake.
///
/// Lifecycle: create it (it binds inproc://zeromq.zap.01 and starts its thread) before the
/// server sockets accept connections; keep it alive as long as they serve; `stop()` or drop it.
/// At most one per context. The handler thread owns its REP socket; the allow-list can be
/// replaced at any time from any thread with `authorize(_:)`.
public final class CurveAuthenticator: @unchecked Sendable {
    /// The ZAP domain every vst CURVE server socket sets.
    public static let domain = "vst"
    static let endpoint = "inproc://zeromq.zap.01"

    /// What the handler thread shares with the owner, behind a lock.
    private final class State: @unchecked Sendable {
        let lock = NSLock()
        var authorized: Set<CurveKey>
        var stopping = false
        var rejected = 0
        let finished = DispatchSemaphore(value: 0)
        init(authorized: Set<CurveKey>) { self.authorized = authorized }
        func withLock<T>(_ body: (State) -> T) -> T { lock.lock(); defer { lock.unlock() }; return body(self) }
    }

    private let state: State

    /// Called on the handler thread for every refused handshake with the peer's address (as
    /// libzmq reports it, e.g. "127.0.0.1") and the reason, so the coordinator can log who
    /// knocked; must be thread-safe and quick.
    public typealias RejectionHandler = @Sendable (_ address: String, _ reason: String) -> Void

    /// Binds the ZAP endpoint on `context` and starts answering with `authorized`.
    public init(context: ZMQContext, authorized: some Sequence<CurveKey>,
                onReject: @escaping RejectionHandler = { _, _ in }) throws(SocketError) {
        let socket = try Socket(context: context, type: .rep)
        do {
            try socket.bind(Self.endpoint)
        } catch {
            socket.close()
            throw error
        }
        let state = State(authorized: Set(authorized))
        self.state = state
        // The thread captures the socket and the state, never `self`, so dropping the
        // authenticator runs `deinit`, which stops the thread.
        let thread = Thread { Self.serve(socket, state, onReject) }
        thread.name = "vst-zap"
        thread.start()
    }

    deinit { stop() }

    /// Replaces the allow-list; connections already admitted stay.
    public func authorize(_ keys: some Sequence<CurveKey>) {
        let keys = Set(keys)
        state.withLock { $0.authorized = keys }
    }

    /// Handshakes refused so far.
    public var rejectedCount: Int { state.withLock { $0.rejected } }

    /// Stops the handler thread and closes its socket; waits at most one poll interval.
    public func stop() {
        let first = state.withLock { state -> Bool in
            defer { state.stopping = true }
            return !state.stopping
        }
        // The thread signals once when it ends, whether it saw the flag or the context ended it.
        if first { state.finished.wait() }
    }

    private static func serve(_ socket: Socket, _ state: State, _ onReject: RejectionHandler) {
        defer {
            socket.close()
            state.finished.signal()
        }
        while !state.withLock({ $0.stopping }) {
            // A short poll so that stop() is noticed. Any socket error (the context was shut
            // down) ends the handler: libzmq then refuses CURVE handshakes on its own.
            let request: [[UInt8]]?
            do { request = try socket.receive(timeout: .milliseconds(50)) } catch { return }
            guard let request else { continue }
            let authorized = state.withLock { $0.authorized }
            let reply = Self.reply(to: request, authorized: authorized)
            if reply[2] != Array("200".utf8) {
                state.withLock { $0.rejected += 1 }
                // ZAP request frame 3 is the peer's address (RFC 27).
                let address = request.count > 3 ? String(decoding: request[3], as: UTF8.self) : "?"
                onReject(address, String(decoding: reply[3], as: UTF8.self))
            }
            do { try socket.send(reply) } catch { return }
        }
    }

    /// The ZAP reply to one request: [version, request id, status code, status text, user id,
    /// metadata]. CURVE clients pass when their key is authorized; NULL (plain sockets sharing
    /// the context) passes, as those sockets chose no security; anything else is refused.
    static func reply(to request: [[UInt8]], authorized: Set<CurveKey>) -> [[UInt8]] {
        let version = Array("1.0".utf8)
        let requestID = request.count > 1 ? request[1] : []
        func answer(_ code: String, _ text: String, user: String = "") -> [[UInt8]] {
            [version, requestID, Array(code.utf8), Array(text.utf8), Array(user.utf8), []]
        }
        guard request.count >= 6, request[0] == version else { return answer("500", "malformed ZAP request") }
        switch String(decoding: request[5], as: UTF8.self) {
        case "NULL":
            return answer("200", "OK")
        case "CURVE":
            guard request.count >= 7, let key = try? CurveKey(bytes: request[6]) else { return answer("400", "no client key") }
            return authorized.contains(key) ? answer("200", "OK", user: key.z85) : answer("400", "key not authorized")
        default:
            return answer("400", "mechanism not allowed")
        }
    }
}
