import Engine

/// Why the weights could not be downloaded.
public enum WeightsDownloadError: Error, Equatable, CustomStringConvertible {
    case io(String)
    case toolFailed(command: String, status: Int, message: String)
    case checksumMismatch(path: String, expected: String, found: String)
    /// Reading a file or importing the ONNX failed.
    case store(ModelStoreError)

    public var description: String {
        switch self {
        case .io(let m): m
        case .toolFailed(let c, let s, let m): "`\(c)` failed (exit \(s)): \(m)"
        case .checksumMismatch(let p, let e, let f): "\(p): sha256 \(f), expected \(e)"
        case .store(let e): "\(e)"
        }
    }
}
