import CZMQ
#if canImport(Glibc)
import Glibc
#endif

/// A ZeroMQ socket: the only place in vst that calls libzmq on sockets. Frames go in and out as
/// `[[UInt8]]`; `Message`, `Envelope` and their codecs stay pure and never see a socket.
///
/// Lifecycle: `init` (options are applied before any connection exists, which is when libzmq
/// honours them), `bind` or `connect`, then `send`/`receive` from one thread, then `close()`
/// (or let `deinit` close it). On a ROUTER, `receive` returns the sending peer's identity as the
/// first frame and `send` routes on the first frame; wrap both with `Envelope`.
///
/// Threads: a libzmq socket is not thread-safe. Use each `Socket` from one thread at a time (it
/// may move between threads with a proper hand-off, such as an actor or a lock). It is marked
/// `@unchecked Sendable` so that it can be handed to the thread that owns it, under this rule.
public final class Socket: @unchecked Sendable {
    public enum SocketType: Sendable {
        /// Coordinator side: many peers, routes by identity.
        case router
        /// Worker and client side: one connection to the coordinator, asynchronous both ways.
        case dealer
        /// Exactly one peer; for in-process signalling between two threads (inproc://).
        case pair

        var zmqValue: Int32 {
            switch self {
            case .router: ZMQ_ROUTER
            case .dealer: ZMQ_DEALER
            case .pair: ZMQ_PAIR
            }
        }
    }

    /// How the connection is secured. CURVE (an allow-list of worker keys on the coordinator,
    /// the server's public key on workers and clients) will be added here as further cases and
    /// applied in `init`, before bind or connect; version 1 of vst speaks plain TCP only.
    public enum Security: Sendable, Equatable {
        /// No encryption, no authentication: only for a trusted network (`--insecure`).
        case plain
    }

    /// Settings applied when the socket is created.
    public struct Options: Sendable {
        /// The identity a DEALER presents to a ROUTER (1...255 bytes, not starting with 0);
        /// nil lets the ROUTER pick a random one.
        public var identity: [UInt8]?
        /// Messages queued per peer before `send` blocks (DEALER) or fails (ROUTER).
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
        try setOption(ZMQ_LINGER, Int32(clamping: options.linger.milliseconds), "ZMQ_LINGER")
        try setOption(ZMQ_SNDHWM, options.sendHighWaterMark, "ZMQ_SNDHWM")
        try setOption(ZMQ_RCVHWM, options.receiveHighWaterMark, "ZMQ_RCVHWM")
        try setOption(ZMQ_SNDTIMEO, options.sendTimeout.map { Int32(clamping: $0.milliseconds) } ?? -1, "ZMQ_SNDTIMEO")
        try setOption(ZMQ_MAXMSGSIZE, options.maxFrameBytes.map(Int64.init) ?? -1, "ZMQ_MAXMSGSIZE")
        if type == .router, options.routerMandatory {
            try setOption(ZMQ_ROUTER_MANDATORY, Int32(1), "ZMQ_ROUTER_MANDATORY")
        }
        if let identity = options.identity {
            try call("zmq_setsockopt(ZMQ_ROUTING_ID)") { handle in
                identity.withUnsafeBytes { zmq_setsockopt(handle, ZMQ_ROUTING_ID, $0.baseAddress, $0.count) }
            }
        }
        switch options.security {
        case .plain: break
        }
    }

    private func setOption<T>(_ option: Int32, _ value: T, _ name: String) throws(SocketError) {
        try call("zmq_setsockopt(\(name))") { handle in
            withUnsafeBytes(of: value) { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
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
    /// Whole milliseconds, truncated; for libzmq options given in milliseconds.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// Whole milliseconds, rounded up so that a short wait is never turned into no wait.
    var millisecondsRoundedUp: Int {
        let (seconds, attoseconds) = components
        let ms = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int(ms)
    }
}
