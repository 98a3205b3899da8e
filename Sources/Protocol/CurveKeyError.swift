/// Everything that can be wrong with CURVE keys and key files; each case prints as one line.
public enum CurveKeyError: Error, Equatable, CustomStringConvertible {
    /// A key is not 40 characters of Z85 (32 bytes).
    case malformedKey(String)
    /// A key file's line `line` (1-based) does not start with a key.
    case malformedLine(path: String, line: Int)
    /// A file that must hold exactly one key holds `count`.
    case wrongKeyCount(path: String, count: Int)
    /// A secret key file's stated public key does not belong to its secret key.
    case mismatchedPublicKey(path: String)
    /// The libzmq in use was built without CURVE (libsodium).
    case curveUnsupported
    /// A key file others could read (a secret key) or write (an allow-list).
    case unsafePermissions(path: String, mode: String, what: String, fix: String)
    case cannotRead(path: String, reason: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .malformedKey(let key): "\"\(key.prefix(48))\" is not a CURVE key (40 characters of Z85)"
        case .malformedLine(let path, let line): "\(path):\(line): not a CURVE key (40 characters of Z85)"
        case .wrongKeyCount(let path, let count): "\(path): expected one key, found \(count)"
        case .mismatchedPublicKey(let path): "\(path): public key does not match the secret key"
        case .curveUnsupported: "this libzmq was built without CURVE support"
        case .unsafePermissions(let path, let mode, let what, let fix):
            "\(path): \(what) has mode \(mode), open to other users (chmod \(fix) \(path))"
        case .cannotRead(let path, let reason): "\(path): cannot read: \(reason)"
        case .cannotWrite(let path, let reason): "\(path): cannot write: \(reason)"
        }
    }
}
