import Hummingbird
import NIOCore

/// Hummingbird's basic context plus the peer's address, which `BearerTokenMiddleware` needs
/// to tell the coordinator's own host (loopback) from everyone else.
public struct DashboardRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Nil when there is no socket (in-memory tests): such a request counts as remote.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// True when the request came over a loopback connection.
    var isLoopback: Bool {
        guard let ip = remoteAddress?.ipAddress else { return false }
        return HTTPAddress.isLoopback(ip)
    }
}
