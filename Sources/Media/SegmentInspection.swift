import CFFmpeg

/// What a segment file a worker encoded holds, read from its packets alone (no decoding), so
/// that the coordinator can refuse a wrong one before it stores it: a segment that does not
/// parse, is of another size, or has another number of frames would only fail the join later.
public struct SegmentInspection: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var frameCount: Int
    /// FFmpeg's name of the video codec, e.g. "h264".
    public var codecName: String
    /// Whether the first video packet is a keyframe (the join needs every segment to start so).
    public var startsWithKeyframe: Bool

    public init(bytes: [UInt8], name: String) throws(MediaError) {
        let demuxer = try Demuxer(bytes: bytes, name: name, probe: false)
        guard let index = demuxer.bestVideoStream() else { throw MediaError.noVideoStream(path: name) }
        let parameters = demuxer.stream(index).pointee.codecpar.pointee
        width = Int(parameters.width)
        height = Int(parameters.height)
        codecName = String(cString: avcodec_get_name(parameters.codec_id))
        let packet = try Packet()
        var count = 0, firstIsKey = false
        while try demuxer.read(into: packet) {
            guard packet.streamIndex == index else { continue }
            if count == 0 { firstIsKey = packet.pointer.pointee.flags & AV_PKT_FLAG_KEY != 0 }
            count += 1
        }
        frameCount = count
        startsWithKeyframe = firstIsKey
    }
}
