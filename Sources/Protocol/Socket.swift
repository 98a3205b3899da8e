import CZMQ
#if canImport(Glibc)
import Glibc
#endif

/// The libzmq context: its I/O threads and the registry of its sockets. Create one per process
/// and share it; libzmq makes the context itself thread-safe, hence `@unchecked Sendable`.
///
/// Lifecycle: create the context, create sockets from it, close the sockets, drop the context.
/// Every `Socket` holds a strong reference to its context, so the context is terminated (in
/// `deinit`) only after its last socket is gone; sockets linger for `Socket.Options.linger`
/// (0 by default), so termination does not wait on unsent messages.
public final class ZMQContext: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    public init() throws(SocketError) {
        guard let handle = zmq_ctx_new() else { throw SocketError(operation: "zmq_ctx_new", code: zmq_errno()) }
        self.handle = handle
    }

    /// Makes every blocking call on this context's sockets, in any thread, fail with
    /// `SocketError.terminated`; the way to stop threads blocked in `receive` for good.
    public func shutdown() {
        _ = zmq_ctx_shutdown(handle)
    }

    /// The libzmq version in use, e.g. "4.3.4", for logs and `--version`.
    public static var libraryVersion: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }

    deinit {
        while zmq_ctx_term(handle) == -1 && zmq_errno() == EINTR {}
    }
}

/// A ZeroMQ socket: with `ZMQContext` above, the only place in vst that calls libzmq. Frames go
/// in and out as `[[UInt8]]`; `Message`, `Envelope` and their codecs stay pure and never see a
/// socket.
///
/// Lifecycle: `init` (options are applied before any connection exists, which is when libzmq
/// honours them), `bind` or `connect`, then `send`/`receive` from one thread, then `close()`
/// (or let `deinit` close it). On a ROUTER, `receive` returns the sending peer's identity as the
/// first frame and `send` routes on the first frame; wrap both with `Envelope`.
///
/// Threads: a libzmq socket is not thread-safe. Use each `Socket` from one thread at a time (it
/// may move between threads with a proper hand-off, such as an actor or a lock). It is marked
/// `@unchecked Sendable` so that it can be handed to the thread that owns it, under this rule.
/// `send` and `receive` block the calling thread: run a socket loop on a `Thread` of its own,
/// not in a Swift concurrency task, whose cooperative pool has one thread per core and stalls
/// whole programs (and test runs) when those threads block.
public final class Socket: @unchecked Sendable {
    public enum SocketType: Sendable {
        /// Coordinator side: many peers, routes by identity.
        case router
        /// Worker and client side: one connection to the coordinator, asynchronous both ways.
        case dealer
        /// Exactly one peer; for in-process signalling between two threads (inproc://).
        case pair
        /// Answers each request in turn; vst uses it only for `CurveAuthenticator`'s ZAP handler.
        case rep

        var zmqValue: Int32 {
            switch self {
            case .router: ZMQ_ROUTER
            case .dealer: ZMQ_DEALER
            case .pair: ZMQ_PAIR
            case .rep: ZMQ_REP
            }
        }
    }

    /// How the connection is secured; applied in `init`, before bind or connect.
    public enum Security: Sendable, Equatable {
        /// No encryption, no authentication: only for a trusted network (`--insecure`).
        case plain
        /// The coordinator's side of CURVE: traffic is encrypted with `keys`. Which clients are
        /// admitted is decided by a `CurveAuthenticator` on the same context; without a running
        /// one, no client gets in (ZMQ_ZAP_ENFORCE_DOMAIN).
        case curveServer(keys: CurveKeyPair)
        /// A worker's or client tool's side: its own `keys`, and the coordinator's public key,
        /// which authenticates the server (a wrong one never completes the handshake).
        case curveClient(keys: CurveKeyPair, server: CurveKey)
    }

    /// Settings applied when the socket is created.
    public struct Options: Sendable {
        /// The identity a DEALER presents to a ROUTER (1...255 bytes, not starting with 0);
        /// nil lets the ROUTER pick a random one.
        public var identity: [UInt8]?
        /// Messages queued per peer before `send` waits (up to `sendTimeout`, then throws
        /// `wouldBlock`); a ROUTER without `routerMandatory` would drop them instead.
        public var sendHighWaterMark: Int32 = 1000
        public var receiveHighWaterMark: Int32 = 1000
        /// How long `close()` keeps trying to deliver unsent messages; zero drops them at once,
        /// so a dead peer can never hang shutdown. A worker sending BYE may want a short linger.
        public var linger: Duration = .zero
        /// How long `send` may block when the peer's queue is full; nil blocks for ever.
        public var sendTimeout: Duration?
        /// Largest single inbound frame; a peer sending more is disconnected by libzmq before
        /// the frame is allocated. nil means no limit.
        public var maxFrameBytes: Int? = Message.maxPayloadBytes
        /// ROUTER only: sending to an unknown peer throws `SocketError.peerUnreachable` instead
        /// of dropping the message silently, so the coordinator learns the worker is gone.
        public var routerMandatory = true
        public var security: Security = .plain

        public init(identity: [UInt8]? = nil) {
            self.identity = identity
        }
    }

    public let type: SocketType
    private let context: ZMQContext
    private var handle: UnsafeMutableRawPointer?
    /// One zmq_msg_t reused by every receive; libzmq requires it at a stable address, so it
    /// lives on the heap rather than in a Swift struct that may move.
    private let message: UnsafeMutablePointer<zmq_msg_t>

    public init(context: ZMQContext, type: SocketType, options: Options = Options()) throws(SocketError) {
        guard let handle = zmq_socket(context.handle, type.zmqValue) else {
            throw SocketError(operation: "zmq_socket", code: zmq_errno())
        }
        self.context = context
        self.type = type
        self.handle = handle
        message = .allocate(capacity: 1)
        try apply(options)
    }

    deinit {
        close()
        message.deallocate()
    }

    private func apply(_ options: Options) throws(SocketError) {
        try setOption(ZMQ_LINGER, options.linger.milliseconds, "ZMQ_LINGER")
        try setOption(ZMQ_SNDHWM, options.sendHighWaterMark, "ZMQ_SNDHWM")
        try setOption(ZMQ_RCVHWM, options.receiveHighWaterMark, "ZMQ_RCVHWM")
        try setOption(ZMQ_SNDTIMEO, options.sendTimeout?.milliseconds ?? -1, "ZMQ_SNDTIMEO")
        try setOption(ZMQ_MAXMSGSIZE, options.maxFrameBytes.map(Int64.init) ?? -1, "ZMQ_MAXMSGSIZE")
        if type == .router, options.routerMandatory {
            try setOption(ZMQ_ROUTER_MANDATORY, Int32(1), "ZMQ_ROUTER_MANDATORY")
        }
        if let identity = options.identity {
            try setBytes(ZMQ_ROUTING_ID, identity, "ZMQ_ROUTING_ID")
        }
        switch options.security {
        case .plain:
            break
        case .curveServer(let keys):
            try setOption(ZMQ_CURVE_SERVER, Int32(1), "ZMQ_CURVE_SERVER")
            try setBytes(ZMQ_CURVE_SECRETKEY, keys.secretKey.bytes, "ZMQ_CURVE_SECRETKEY")
            try setBytes(ZMQ_ZAP_DOMAIN, Array(CurveAuthenticator.domain.utf8), "ZMQ_ZAP_DOMAIN")
            // Fail closed: without this, libzmq admits every client that knows the server key
            // whenever no ZAP handler (CurveAuthenticator) is running. A libzmq too old for the
            // option rejects it; there the authenticator must simply outlive the socket.
            try? setOption(czmq_zap_enforce_domain(), Int32(1), "ZMQ_ZAP_ENFORCE_DOMAIN")
        case .curveClient(let keys, let server):
            try setBytes(ZMQ_CURVE_SERVERKEY, server.bytes, "ZMQ_CURVE_SERVERKEY")
            try setBytes(ZMQ_CURVE_PUBLICKEY, keys.publicKey.bytes, "ZMQ_CURVE_PUBLICKEY")
            try setBytes(ZMQ_CURVE_SECRETKEY, keys.secretKey.bytes, "ZMQ_CURVE_SECRETKEY")
        }
    }

    private func setOption<T>(_ option: Int32, _ value: T, _ name: String) throws(SocketError) {
        try call("zmq_setsockopt(\(name))") { handle in
            withUnsafeBytes(of: value) { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
        }
    }

    private func setBytes(_ option: Int32, _ bytes: [UInt8], _ name: String) throws(SocketError) {
        try call("zmq_setsockopt(\(name))") { handle in
            bytes.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
        }
    }

    /// Listens on `endpoint`, e.g. "tcp://127.0.0.1:5555" or "tcp://127.0.0.1:*" for a free port
    /// (read it back from `lastEndpoint`).
    public func bind(_ endpoint: String) throws(SocketError) {
        try call("bind \(endpoint)") { zmq_bind($0, endpoint) }
    }

    /// Connects to `endpoint`; returns at once, libzmq connects (and reconnects) in the background.
    public func connect(_ endpoint: String) throws(SocketError) {
        try call("connect \(endpoint)") { zmq_connect($0, endpoint) }
    }

    /// The endpoint last bound or connected, with a wildcard port resolved to the real one.
    public var lastEndpoint: String {
        get throws(SocketError) {
            var buffer = [CChar](repeating: 0, count: 256)
            var size = buffer.count
            try call("zmq_getsockopt(ZMQ_LAST_ENDPOINT)") { handle in
                zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buffer, &size)
            }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// Sends one multipart message (ZMQ_SNDMORE on every frame but the last). libzmq queues the
    /// parts atomically: the peer gets all of them or none. `frames` must not be empty.
    public func send(_ frames: [[UInt8]]) throws(SocketError) {
        precondition(!frames.isEmpty, "a ZeroMQ message needs at least one frame")
        for (index, frame) in frames.enumerated() {
            let flags = index < frames.count - 1 ? ZMQ_SNDMORE : 0
            try call("zmq_send") { handle in
                frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
            }
        }
    }

    /// Waits up to `timeout` (nil: for ever) for a message and returns all its frames, or nil if
    /// none arrived in time.
    public func receive(timeout: Duration?) throws(SocketError) -> [[UInt8]]? {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        while true {
            let remaining = deadline.map { max(.zero, $0 - ContinuousClock.now) }
            guard try Socket.poll([self], timeout: remaining).isEmpty == false else { return nil }
            if let frames = try receiveReady() { return frames }
            // Readable yet nothing there (libzmq may report a spurious wake-up): wait again.
            if let deadline, ContinuousClock.now >= deadline { return nil }
        }
    }

    /// Where the last message received came from: the TCP peer's address and, on a CURVE link,
    /// the user id the ZAP handler gave it (the client's public key in Z85). Nil fields where
    /// libzmq has no such property (inproc, or a plain link's user id).
    public private(set) var lastPeer: (address: String?, user: String?) = (nil, nil)

    private static func peer(of message: UnsafeMutablePointer<zmq_msg_t>) -> (address: String?, user: String?) {
        func property(_ name: String) -> String? {
            guard let value = zmq_msg_gets(message, name) else { return nil }
            let text = String(cString: value)
            return text.isEmpty ? nil : text
        }
        return (property("Peer-Address"), property("User-Id"))
    }

    /// Reads every frame of a message that poll reported, without blocking; nil if none was there.
    private func receiveReady() throws(SocketError) -> [[UInt8]]? {
        var frames: [[UInt8]] = []
        repeat {
            zmq_msg_init(message)
            defer { zmq_msg_close(message) }
            do {
                // Later parts of a multipart message are already queued: only the first can be missing.
                try call("zmq_msg_recv") { zmq_msg_recv(message, $0, ZMQ_DONTWAIT) }
            } catch .wouldBlock where frames.isEmpty {
                return nil
            }
            // A ROUTER's identity frame is made locally and carries no properties: take them
            // from whichever frame of the message has them.
            let peer = Self.peer(of: message)
            if frames.isEmpty { lastPeer = peer } else { lastPeer = (lastPeer.address ?? peer.address, lastPeer.user ?? peer.user) }
            let size = zmq_msg_size(message)
            let data = zmq_msg_data(message)
            frames.append(size == 0 ? [] : Array(UnsafeRawBufferPointer(start: data, count: size)))
        } while zmq_msg_more(message) != 0
        return frames
    }

    /// Waits up to `timeout` (nil: for ever) until at least one of `sockets` has a message to
    /// read, and returns the indices of those that do, ascending; empty on timeout. The loop of a
    /// process that serves several sockets calls this, then `receive(timeout: .zero)` on each.
    public static func poll(_ sockets: [Socket], timeout: Duration?) throws(SocketError) -> [Int] {
        var items = [zmq_pollitem_t]()
        for socket in sockets {
            guard let handle = socket.handle else { throw .closed }
            items.append(zmq_pollitem_t(socket: handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0))
        }
        let deadline = timeout.map { ContinuousClock.now + $0 }
        let count = try retryingInterrupts("zmq_poll") {
            // Recomputed on each retry so that an interrupted wait does not start over.
            let milliseconds = deadline.map { max(.zero, $0 - ContinuousClock.now).millisecondsRoundedUp } ?? -1
            return zmq_poll(&items, Int32(items.count), milliseconds)
        }
        if count == 0 { return [] }
        return items.indices.filter { items[$0].revents & Int16(ZMQ_POLLIN) != 0 }
    }

    /// Closes the socket, dropping unsent messages after `Options.linger`. Safe to call twice.
    public func close() {
        if let handle {
            zmq_close(handle)
            self.handle = nil
        }
    }

    /// Runs a libzmq call on the open socket through `retryingInterrupts`.
    @discardableResult
    private func call(_ operation: String, _ body: (UnsafeMutableRawPointer) -> Int32) throws(SocketError) -> Int32 {
        guard let handle else { throw .closed }
        return try retryingInterrupts(operation) { body(handle) }
    }
}

extension CurveKeyPair {
    /// A fresh random key pair from libzmq (which draws on libsodium).
    public static func generate() throws(CurveKeyError) -> CurveKeyPair {
        var publicText = [CChar](repeating: 0, count: 41), secretText = [CChar](repeating: 0, count: 41)
        guard zmq_curve_keypair(&publicText, &secretText) == 0 else { throw .curveUnsupported }
        return try CurveKeyPair(publicKey: CurveKey(z85: String(cString: publicText)),
                                secretKey: CurveKey(z85: String(cString: secretText)))
    }

    /// The pair of `secretKey`, its public key derived by libzmq.
    public init(secretKey: CurveKey) throws(CurveKeyError) {
        var publicText = [CChar](repeating: 0, count: 41)
        let secretText = Array(secretKey.z85.utf8CString)
        guard zmq_curve_public(&publicText, secretText) == 0 else { throw .curveUnsupported }
        self.init(publicKey: try CurveKey(z85: String(cString: publicText)), secretKey: secretKey)
    }
}

/// Runs a libzmq call, retrying while it fails with EINTR (a signal arrived), and turns any other
/// failure (-1 and zmq_errno) into a `SocketError`; the one place errno is read, as swift-nio's
/// `syscall(blocking:)` is for POSIX calls.
@discardableResult
func retryingInterrupts(_ operation: String, _ body: () -> Int32) throws(SocketError) -> Int32 {
    while true {
        let result = body()
        if result != -1 { return result }
        let code = zmq_errno()
        if code != EINTR { throw SocketError(operation: operation, code: code) }
    }
}

extension Duration {
    /// Whole milliseconds, truncated and clamped to 0...Int32.max; for libzmq options in ms.
    var milliseconds: Int32 {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 || seconds > 0 else { return 0 }
        guard seconds < Int64(Int32.max) / 1000 else { return Int32.max }
        return Int32(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }

    /// Whole milliseconds, rounded up so that a short wait is never turned into no wait.
    var millisecondsRoundedUp: Int {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 || seconds > 0 else { return 0 }
        guard seconds < Int64(Int32.max) / 1000 else { return Int(Int32.max) }
        return Int(seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }
}
