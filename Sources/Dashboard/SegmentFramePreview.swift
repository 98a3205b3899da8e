import Foundation
import Media

/// The latest render of a job whose workers encode their own segments (the coordinator holds
/// no pixels of it): the last frame of the newest segment stored, decoded from the segment file
/// when the page asks, once per segment (the JPEG is kept until a newer segment comes).
/// Called from HTTP handlers.
final class SegmentFramePreview: @unchecked Sendable {
    private let lock = NSLock()
    private var latest: [UInt32: (path: String, jpeg: [UInt8])] = [:]

    /// The last frame of the segment at `path`, as JPEG.
    func jpeg(job: UInt32, path: String) throws -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        if let cached = latest[job], cached.path == path { return cached.jpeg }
        let reader = try VideoReader(path: path)
        try reader.seek(toFrame: max(0, reader.info.frameCount - 1))
        guard let frame = try reader.nextFrame() else {
            throw MediaError.invalidMedia(path: path, reason: "its last frame could not be decoded")
        }
        let jpeg = try ImageIO.encode(frame.image, as: .jpeg)
        latest[job] = (path, jpeg)
        return jpeg
    }
}
