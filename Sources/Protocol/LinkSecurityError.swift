/// Why a command's link security cannot be set up; each case prints as one line.
public enum LinkSecurityError: Error, Equatable, CustomStringConvertible {
    /// `--insecure` was asked for on an endpoint that is not loopback, without `--force-insecure`.
    case plainOffLoopback(endpoint: String)
    /// A coordinator was started without its key or its allow-list.
    case serverKeysMissing
    /// A worker or client tool was started without its key or the coordinator's public key.
    case clientKeysMissing
    /// A key file is missing, malformed or open to other users.
    case keyFile(CurveKeyError)

    public var description: String {
        switch self {
        case .plainOffLoopback(let endpoint):
            "--insecure links stay on loopback; \(endpoint) is not (use CURVE keys, or --force-insecure on a trusted network)"
        case .serverKeysMissing:
            "serve needs --key FILE and --authorized FILE (make keys with vst-coord keygen), or --insecure on loopback"
        case .clientKeysMissing:
            "connecting to a coordinator needs --key FILE and --server-key FILE (make keys with vst-coord keygen), or --insecure on loopback"
        case .keyFile(let error): error.description
        }
    }
}
