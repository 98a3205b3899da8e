import Coordinator

/// Where the dashboard listens: `serve --http HOST:PORT`. `:8080` means 127.0.0.1:8080, so the
/// dashboard is only on loopback unless a host is named; `[::1]:8080` is IPv6.
public struct HTTPAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`, `:PORT` or `[V6]:PORT`; throws `invalidOption` for anything else.
    public init(parsing text: String) throws(CoordinatorError) {
        guard let colon = text.lastIndex(of: ":") else {
            throw .invalidOption("--http \(text) is not HOST:PORT (e.g. :8080 for 127.0.0.1:8080)")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port), !host.contains(" ") else {
            throw .invalidOption("--http \(text) is not HOST:PORT with a port 0...65535 (e.g. :8080 for 127.0.0.1:8080)")
        }
        self.host = host.isEmpty ? "127.0.0.1" : host
        self.port = port
    }

    /// True for 127.0.0.0/8, ::1 and localhost: nobody else can reach the listener.
    public var isLoopback: Bool { Self.isLoopback(host) }

    /// True when `host` (an address or `localhost`) is a loopback address.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.") || host == "::ffff:127.0.0.1"
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
