/// What vst needs to know about a ZeroMQ endpoint string without touching a socket.
public enum Endpoint {
    /// True when a worker can connect to `endpoint` from its own process: `tcp://` or `ipc://`.
    /// (`inproc://` reaches only sockets of the same ZeroMQ context, never a coordinator's.)
    /// The one check of a worker's `--connect`, made by the command line and by `WorkerLoop`.
    public static func isConnectable(_ endpoint: String) -> Bool {
        endpoint.hasPrefix("tcp://") || endpoint.hasPrefix("ipc://")
    }

    /// True when traffic on `endpoint` cannot leave this host: `ipc://` and `inproc://`, or
    /// `tcp://` to or on a loopback address (127.0.0.0/8, `localhost`, `[::1]`). A wildcard
    /// bind (`tcp://*:5555`) listens on every interface and is not local. Plain (unencrypted)
    /// links are allowed only where this holds, unless the user forces them.
    public static func isLoopback(_ endpoint: String) -> Bool {
        if endpoint.hasPrefix("ipc://") || endpoint.hasPrefix("inproc://") { return true }
        guard endpoint.hasPrefix("tcp://") else { return false }
        let rest = endpoint.dropFirst(6)
        // A source address ("tcp://SRC;DST") is not something vst writes; refuse to guess.
        guard !rest.contains(";") else { return false }
        let host: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return false }
            host = rest[rest.index(after: rest.startIndex)..<close]
        } else {
            host = rest.prefix { $0 != ":" }
        }
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
