import CZMQ

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

    deinit {
        while zmq_ctx_term(handle) == -1 && zmq_errno() == EINTR {}
    }
}
