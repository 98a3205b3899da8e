import Foundation
import Media
import Protocol

/// A chunk's styled frames encoded on the worker (`TaskSpec.segment`) into the segment file the
/// coordinator joins: a `VideoWriter` on a temporary file with the job's encoder settings and
/// the film's timestamps and colour, read back whole when the last frame is in.
final class ChunkSegmentWriter {
    private let file: URL
    private let writer: VideoWriter
    private let pts: [Int64]
    private var next = 0

    init(_ segment: SegmentSpec, width: Int, height: Int) throws(MediaError) {
        file = FileManager.default.temporaryDirectory.appendingPathComponent("vst-segment-\(UUID().uuidString).\(segment.container)")
        pts = segment.outputPTS
        writer = try VideoWriter(path: file.path, width: width, height: height,
                                 frameRate: Rational(segment.frameRate[0], segment.frameRate[1]),
                                 timeBase: Rational(segment.timeBase[0], segment.timeBase[1]),
                                 options: EncoderOptions(crf: segment.crf, preset: segment.preset, lossless: segment.lossless,
                                                         edges: SegmentEdges(first: segment.meetsPrevious == true,
                                                                             last: segment.meetsNext == true && !pts.isEmpty ? pts.count - 1 : nil,
                                                                             gain: segment.joinGain ?? SegmentEdges.defaultGain)),
                                 colour: segment.colour.map(ColourDescription.init) ?? .bt709)
    }

    deinit { try? FileManager.default.removeItem(at: file) }

    /// The chunk's next frame, in order.
    func write(_ image: RGBImage) throws(MediaError) {
        guard next < pts.count else { throw MediaError.invalidArgument("segment of \(pts.count) frames got one more") }
        try writer.write(image, pts: pts[next])
        next += 1
    }

    /// The finished file's bytes, once every frame is written.
    func finish() throws(MediaError) -> [UInt8] {
        guard next == pts.count else { throw MediaError.invalidArgument("segment of \(pts.count) frames finished after \(next)") }
        try writer.finish()
        do { return Array(try Data(contentsOf: file)) } catch { throw MediaError.cannotOpen(path: file.path, reason: "\(error)") }
    }
}
