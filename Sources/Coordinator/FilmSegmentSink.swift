import Foundation
import Media

/// A chunk's final frames encoded into its segment file (`segments/K.mkv`), which the join
/// later puts into the output film.
final class FilmSegmentSink: FrameSink {
    let path: String
    /// fsync the segment when it is finished (false only for jobs of tests that do not crash).
    let durable: Bool
    private let writer: VideoWriter

    init(path: String, writer: VideoWriter, durable: Bool) {
        self.path = path
        self.writer = writer
        self.durable = durable
    }

    func write(_ image: RGBImage, frame: Int, pts: Int64) throws(MediaError) {
        try writer.write(image, pts: pts)
    }

    func finish() throws(MediaError) {
        try writer.finish()
        if durable { try FileSync.synchronize(path) }
    }
}
