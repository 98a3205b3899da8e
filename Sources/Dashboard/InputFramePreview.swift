import Foundation
import Media

/// The input frame beside a job's latest render: decoded from the input (a film or an image
/// sequence, `FrameReaders.open`) at the job's output size, one reader per job kept open and moved forward, since renders arrive roughly
/// in order (going back re-reads from a seek). Called from HTTP handlers, one at a time per job.
final class InputFramePreview: @unchecked Sendable {
    private let lock = NSLock()
    private var readers: [UInt32: (path: String, height: Int, reader: any FrameReader)] = [:]

    /// Absolute frame `frame` of `path` at `height`, as JPEG.
    func jpeg(job: UInt32, path: String, height: Int, frame: Int) throws -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        var entry = readers[job]
        if entry == nil || entry!.path != path || entry!.height != height {
            // A sequence's rate only sets its timestamps, which a still preview does not show.
            entry = (path, height, try FrameReaders.open(path: path, height: height, startFrame: 0, sequenceRate: Rational(1, 1)))
        }
        let reader = entry!.reader
        try reader.seek(toFrame: frame)
        guard let decoded = try reader.nextFrame() else {
            throw MediaError.invalidMedia(path: path, reason: "frame \(frame) could not be decoded")
        }
        readers[job] = entry
        return try ImageIO.encode(decoded.image, as: .jpeg)
    }

    /// Closes the reader of a job that ended.
    func forget(job: UInt32) {
        lock.lock()
        readers[job] = nil
        lock.unlock()
    }
}
