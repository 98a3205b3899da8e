#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The text files that hold CURVE keys, as `vst-coord keygen --out PATH` writes them:
///
/// - `PATH.key`: the secret key, private to its owner (mode 0600). A comment line states the
///   public key for reference; only the key line counts.
/// - `PATH.pub`: the public key, to hand to the other side (`--server-key` for the coordinator's,
///   a line of `--authorized` for a worker's or client's).
/// - An authorized-keys file: one public key per line, optionally followed by whitespace and a
///   note (a host name); blank lines and lines starting with `#` are ignored.
///
/// In every file, blank lines and `#` lines are comments and a key line starts with the key.
public enum CurveKeyFile {
    /// Writes `PATH.key` and `PATH.pub` for `pair`; returns the two paths.
    @discardableResult
    public static func write(_ pair: CurveKeyPair, to basePath: String) throws(CurveKeyError) -> (secret: String, public: String) {
        let secretPath = basePath + ".key", publicPath = basePath + ".pub"
        let secretText = "# vst CURVE secret key: keep it private. Public key: \(pair.publicKey.z85)\n\(pair.secretKey.z85)\n"
        try writeFile(secretPath, secretText, permissions: 0o600)
        try writeFile(publicPath, "\(pair.publicKey.z85)\n", permissions: 0o644)
        return (secretPath, publicPath)
    }

    /// Reads a `.key` file and derives its public key (with libzmq). The file must not be
    /// readable or writable by group or others (as ssh insists for its keys): a secret key
    /// anyone on the host can read authenticates nobody.
    public static func readKeyPair(_ path: String) throws(CurveKeyError) -> CurveKeyPair {
        try requireMode(path, forbidden: 0o077, what: "secret key")
        return try CurveKeyPair(secretKey: readSingleKey(path))
    }

    /// Reads an authorized-keys file that decides who gets in: it must not be writable by
    /// group or others, who could otherwise add themselves.
    public static func readAuthorizedKeys(_ path: String) throws(CurveKeyError) -> [CurveKey] {
        try requireMode(path, forbidden: 0o022, what: "authorized-keys file")
        return try readKeys(path)
    }

    /// Throws `.unsafePermissions` when `path`'s mode has any of the `forbidden` bits.
    static func requireMode(_ path: String, forbidden: mode_t, what: String) throws(CurveKeyError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .cannotRead(path: path, reason: String(cString: strerror(errno)))
        }
        let mode = info.st_mode & 0o777
        if mode & forbidden != 0 {
            throw .unsafePermissions(path: path, mode: String(mode, radix: 8), what: what,
                                     fix: String(mode & ~forbidden, radix: 8))
        }
    }

    /// Reads a file that holds exactly one key, such as a `.pub` file given as `--server-key`.
    public static func readSingleKey(_ path: String) throws(CurveKeyError) -> CurveKey {
        let keys = try readKeys(path)
        guard keys.count == 1 else { throw .wrongKeyCount(path: path, count: keys.count) }
        return keys[0]
    }

    /// Reads an authorized-keys file: every key line, in order.
    public static func readKeys(_ path: String) throws(CurveKeyError) -> [CurveKey] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .cannotRead(path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
        }
        return try parseKeys(String(decoding: data, as: UTF8.self), path: path)
    }

    /// The key lines of a key file's text; `path` only names the file in errors.
    public static func parseKeys(_ text: String, path: String) throws(CurveKeyError) -> [CurveKey] {
        try parseEntries(text, path: path).map(\.key)
    }

    /// Every key line with its note (the rest of the line, trimmed; empty when there is none),
    /// by which the dashboard names a worker's key.
    public static func parseEntries(_ text: String, path: String) throws(CurveKeyError) -> [(key: CurveKey, note: String)] {
        var entries: [(key: CurveKey, note: String)] = []
        // isNewline also splits "\r\n", which Swift reads as one Character.
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let token = trimmed.prefix { $0 != " " && $0 != "\t" }
            guard let key = try? CurveKey(z85: String(token)) else { throw .malformedLine(path: path, line: index + 1) }
            entries.append((key, trimmed.dropFirst(token.count).trimmingCharacters(in: .whitespaces)))
        }
        return entries
    }

    private static func writeFile(_ path: String, _ text: String, permissions: mode_t) throws(CurveKeyError) {
        // Created with its final mode (O_EXCL after removing an old file), so that a secret key is
        // never readable by others, not even between creating and chmod-ing it.
        if unlink(path) != 0 && errno != ENOENT { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
            written += n
        }
    }
}
