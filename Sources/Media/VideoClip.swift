import CFFmpeg
import Foundation

/// A stretch of a film's video stream cut out without decoding: the packets from the keyframe
/// at or before the stretch's first frame up to the last one its frames need, copied into a
/// small Matroska file. The coordinator sends clips instead of decoded frames when workers
/// encode their own segments, so that no pixel of the film passes through it.
///
/// `pts` are the stretch's frames in the clip's own time base (Matroska rounds to
/// milliseconds), in presentation order; the clip may hold more frames than that (the GOP's
/// start, a reference frame shown after the stretch), which `frames(height:)` leaves out.
///
/// `orientation` is the film's (its display matrix): Matroska in FFmpeg 5.1 keeps no display
/// matrix, so it travels beside the bytes and the clip's frames are turned upright with it.
public struct VideoClip: Sendable, Equatable {
    public var bytes: [UInt8]
    public var pts: [Int64]
    public var orientation: Orientation

    public init(bytes: [UInt8], pts: [Int64], orientation: Orientation = .upright) {
        self.bytes = bytes
        self.pts = pts
        self.orientation = orientation
    }

    /// Decodes the clip's frames `pts`, in order, turned upright and scaled as
    /// `VideoReader(path:height:)` does (so the pixels equal what a reader of the whole film
    /// returns for the same frames).
    public func frames(height: Int?) throws(MediaError) -> [RGBImage] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vst-clip-\(UUID().uuidString).mkv")
        do { try Data(bytes).write(to: file) } catch { throw MediaError.cannotWrite(path: file.path, reason: "\(error)") }
        defer { try? FileManager.default.removeItem(at: file) }
        let reader = try VideoReader(path: file.path, height: height, orientation: orientation)
        let wanted = Dictionary(pts.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var images = [RGBImage?](repeating: nil, count: pts.count), found = 0
        while found < pts.count, let frame = try reader.nextFrame() {
            guard let slot = wanted[frame.pts], images[slot] == nil else { continue }
            images[slot] = frame.image
            found += 1
        }
        guard found == pts.count else {
            throw MediaError.invalidMedia(path: "clip", reason: "\(pts.count - found) of its \(pts.count) frames could not be decoded")
        }
        return images.map { $0! }
    }
}

/// Cuts `VideoClip`s out of one film, reading forward (a clip before the last one seeks back).
/// Not thread-safe.
public final class VideoClipper {
    public let path: String
    /// Every frame's pts in presentation order (`VideoReader.framePTS`, which must not be empty:
    /// a film without timestamps cannot be cut by them).
    public let framePTS: [Int64]
    /// The film's display matrix, which every clip carries (`VideoClip.orientation`).
    public let orientation: Orientation
    private var demuxer: Demuxer
    private let streamIndex: Int
    private let packet: Packet

    public init(path: String, framePTS: [Int64]) throws(MediaError) {
        guard !framePTS.isEmpty else { throw MediaError.invalidMedia(path: path, reason: "the video has no timestamps to cut it by") }
        self.path = path
        self.framePTS = framePTS
        demuxer = try Demuxer(path: path)
        guard let index = demuxer.bestVideoStream() else { throw MediaError.noVideoStream(path: path) }
        streamIndex = index
        orientation = demuxer.orientation(ofStream: index)
        packet = try Packet()
    }

    /// Frames `range` (absolute, presentation order) as a clip.
    public func clip(frames range: Range<Int>) throws(MediaError) -> VideoClip {
        guard !range.isEmpty, range.lowerBound >= 0, range.upperBound <= framePTS.count else {
            throw MediaError.invalidArgument("frames \(range) of a film of \(framePTS.count)")
        }
        let targets = Set(framePTS[range])
        let first = framePTS[range.lowerBound]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vst-cut-\(UUID().uuidString).mkv")
        defer { try? FileManager.default.removeItem(at: file) }

        let source = demuxer.stream(streamIndex)
        let sourceBase = Rational(source.pointee.time_base)
        let muxer = try Muxer(path: file.path)
        let output = try muxer.addStream()
        try check(avcodec_parameters_copy(output.pointee.codecpar, source.pointee.codecpar), "avcodec_parameters_copy")
        output.pointee.codecpar.pointee.codec_tag = 0
        output.pointee.time_base = source.pointee.time_base
        output.pointee.avg_frame_rate = source.pointee.avg_frame_rate
        try muxer.writeHeader()
        let outputBase = Rational(output.pointee.time_base)

        // From the keyframe at or before the first frame; a seek that lands after it (or a
        // container that cannot seek) reads from the start instead.
        var written: [Int64] = []
        var seen = 0
        var started = false
        var restartedFromTop = false
        do throws(MediaError) { try demuxer.seek(stream: streamIndex, to: first) } catch { restartedFromTop = true; try rewind() }
        while seen < targets.count {
            guard try demuxer.read(into: packet) else {
                throw MediaError.invalidMedia(path: path, reason: "frames \(range) end before the film's packets do")
            }
            guard packet.streamIndex == streamIndex, let pts = packet.timestamp else { continue }
            if !started {
                guard packet.pointer.pointee.flags & AV_PKT_FLAG_KEY != 0 else { continue }
                if pts > first && !restartedFromTop {
                    restartedFromTop = true
                    try rewind()
                    continue
                }
                started = true
            }
            if targets.contains(pts) { seen += 1 }
            written.append(pts)
            packet.pointer.pointee.stream_index = 0
            packet.pointer.pointee.pos = -1
            av_packet_rescale_ts(packet.pointer, sourceBase.av, outputBase.av)
            try muxer.write(packet)
        }
        try muxer.writeTrailer()

        // The clip's own timestamps, packet for packet in the order written.
        let reread = try Demuxer(path: file.path, probe: false)
        var clipPTS: [Int64] = []
        while try reread.read(into: packet) {
            guard let pts = packet.timestamp else { throw MediaError.invalidMedia(path: file.path, reason: "a clip packet has no timestamp") }
            clipPTS.append(pts)
        }
        guard clipPTS.count == written.count else {
            throw MediaError.invalidMedia(path: file.path, reason: "the clip holds \(clipPTS.count) packets, \(written.count) were written")
        }
        let mapping = Dictionary(zip(written, clipPTS).map { ($0, $1) }, uniquingKeysWith: { a, _ in a })
        let bytes: [UInt8]
        do { bytes = Array(try Data(contentsOf: file)) } catch { throw MediaError.cannotOpen(path: file.path, reason: "\(error)") }
        return VideoClip(bytes: bytes, pts: framePTS[range].map { mapping[$0]! }, orientation: orientation)
    }

    /// Back to the film's first packet: a fresh open, which every container supports.
    private func rewind() throws(MediaError) {
        demuxer = try Demuxer(path: path)
    }
}
