import Foundation
import Media

/// Putting written files on disk before the job store records them: what a crash right after
/// the record must find there.
enum FileSync {
    /// fsync of the file at `path`.
    static func synchronize(_ path: String) throws(MediaError) {
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.synchronize()
            try handle.close()
        } catch {
            throw MediaError.cannotWrite(path: path, reason: "fsync failed: \(error.localizedDescription)")
        }
    }

    /// Writes `bytes` to `path` so that no reader ever sees half of them: into a hidden file
    /// beside it, fsynced when `durable`, then renamed over `path` (rename is atomic within a
    /// folder, and replaces an older file of that name).
    static func writeAtomically(_ bytes: [UInt8], to path: String, durable: Bool) throws(MediaError) {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(bytes)) else {
            throw MediaError.cannotWrite(path: path, reason: "cannot create \(temporary.lastPathComponent) beside it")
        }
        if durable { try synchronize(temporary.path) }
        guard rename(temporary.path, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw MediaError.cannotWrite(path: path, reason: "rename failed: \(reason)")
        }
    }
}
