/// Failures of the optical-flow code: bad files and mismatched inputs. Each case prints as one line.
public enum FlowError: Error, Equatable, CustomStringConvertible {
    case badMagic(path: String, found: Float)
    case badSize(path: String, width: Int, height: Int)
    case truncated(path: String, expectedBytes: Int, foundBytes: Int)
    case unreadable(path: String, reason: String)
    case unwritable(path: String, reason: String)
    case sizeMismatch(String)
    case tooSmall(width: Int, height: Int)

    public var description: String {
        switch self {
        case .badMagic(let path, let found): "\(path): not a .flo file (magic \(found), expected 202021.25)"
        case .badSize(let path, let w, let h): "\(path): implausible .flo size \(w)x\(h)"
        case .truncated(let path, let expected, let found): "\(path): .flo file truncated (\(found) of \(expected) bytes)"
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .unwritable(let path, let reason): "cannot write \(path): \(reason)"
        case .sizeMismatch(let what): "size mismatch: \(what)"
        case .tooSmall(let w, let h): "image \(w)x\(h) is too small for optical flow (need at least 2x2)"
        }
    }
}
