import Coordinator
import Foundation

/// The secret a request must carry (`Authorization: Bearer TOKEN`) to control jobs, and to see
/// anything from a host other than the coordinator's own.
///
/// From `--http-token FILE` (its first line), or else `DATA/http-token`: read when it is there
/// (so a restart keeps the token people already have), generated otherwise, 32 random bytes
/// in hex, written with mode 0600.
public enum DashboardToken {
    public static let fileName = "http-token"

    /// The token and the file it is in.
    public static func load(file: String?, dataDirectory: String) throws(CoordinatorError) -> (token: String, path: String) {
        let path = file ?? URL(fileURLWithPath: dataDirectory).appendingPathComponent(fileName).path
        if let data = FileManager.default.contents(atPath: path) {
            let token = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first
                .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard token.count >= 16 else { throw .invalidOption("--http-token \(path): the token must be at least 16 characters on its first line") }
            return (token, path)
        }
        if file != nil { throw .badInput(path: path, reason: "cannot read the token file") }
        var generator = SystemRandomNumberGenerator()
        let token = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        do {
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: path, contents: Data((token + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
                throw CoordinatorError.cannotWrite(path: path, reason: "cannot create the token file")
            }
        } catch let error as CoordinatorError {
            throw error
        } catch {
            throw .cannotWrite(path: path, reason: "\(error)")
        }
        return (token, path)
    }

    /// Compares in time independent of where the strings differ, so the token cannot be
    /// guessed byte by byte from response times.
    static func matches(_ candidate: String, _ token: String) -> Bool {
        let a = Array(candidate.utf8), b = Array(token.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<max(a.count, b.count) { difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0) }
        return difference == 0
    }
}
