import CFFmpeg

/// Joins films encoded separately (one per chunk of a long render) into one film without
/// re-encoding, copying the sound of the source film alongside.
///
/// Why: the coordinator encodes each run of finished frames into its own segment as soon as it
/// is final, so stored frames never pile up and a restart resumes from the segments on disk.
/// The final film is then these segments' packets, in order, plus the source's audio.
///
/// Segments must come from `VideoWriter` with the same size, frame rate, time base and
/// `EncoderOptions` (so their codec parameters match: checked), and hold consecutive,
/// non-overlapping frames with the source's pts (checked). Each segment starts with a
/// keyframe, as every `VideoWriter` output does, so the joined stream decodes across the joins.
/// Matroska (.mkv) and NUT (.nut) suit segments: one cut short by a crash is still readable up
/// to the cut. NUT keeps the source's time base exactly; Matroska rounds pts to milliseconds.
///
/// Decoding timestamps are rebuilt for the whole joined stream rather than copied: Matroska
/// stores none, and each segment's encoder started its own B-frame delay, so copied ones would
/// step backwards at the joins. With the frames' pts sorted into `shown`, packet i in decoding
/// order gets `shown[i - delay]`, where `delay` is the smallest reordering depth that keeps
/// every dts at or before its pts.
///
/// Call order: `join(...)` does it all: a first pass demuxes the segments to check them and
/// collect their pts; then a `Muxer` gets the first segment's parameters and an
/// `AudioPassthrough` for the source, the second pass writes the packets with their new dts
/// (pacing the copied sound with them), and the trailer is written.
public enum SegmentJoiner {
    /// Writes `segments`' video packets, in order, and the source's audio and subtitle streams
    /// into `path`.
    /// - Parameters:
    ///   - timeBase: the source's video time base (`VideoInfo.timeBase`, what the segments'
    ///     writers were given): `timestampOffset` counts in it, and the output asks for it, so
    ///     an MP4 keeps the source's timescale.
    ///   - source, window, timestampOffset: as for `VideoWriter`; the offset applies to the
    ///     segments' frames and the copied sound alike.
    /// - Returns: the streams of `source` the container could not hold (see `VideoWriter`).
    @discardableResult
    public static func join(segments: [String], into path: String, timeBase: Rational,
                            copyingStreamsFrom source: String? = nil, window: TimeWindow? = nil,
                            timestampOffset: Int64 = 0) throws(MediaError) -> [String] {
        guard let firstPath = segments.first else { throw MediaError.invalidArgument("no segments to join") }
        let first = try Demuxer(path: firstPath)
        guard let firstIndex = first.bestVideoStream() else { throw MediaError.noVideoStream(path: firstPath) }
        let firstStream = first.stream(firstIndex)

        let muxer = try Muxer(path: path)
        let codec = firstStream.pointee.codecpar.pointee.codec_id
        guard muxer.canHold(codec) else {
            throw MediaError.codecNotInContainer(codec: String(cString: avcodec_get_name(codec)), path: path)
        }
        let video = try muxer.addStream()
        try check(avcodec_parameters_copy(video.pointee.codecpar, firstStream.pointee.codecpar), "avcodec_parameters_copy")
        video.pointee.codecpar.pointee.codec_tag = 0
        video.pointee.time_base = timeBase.av
        video.pointee.avg_frame_rate = firstStream.pointee.avg_frame_rate
        video.pointee.r_frame_rate = firstStream.pointee.r_frame_rate
        let passthrough = try source.map { source throws(MediaError) in
            try AudioPassthrough(source: source, into: muxer, window: window, offset: timestampOffset, offsetTimeBase: timeBase)
        }
        // The first pass needs the output time base, which the header fixes; the video's
        // parameters are final by then except for the delay, which no muxer reads before packets.
        let isMP4Family = ["mp4", "mov", "ipod", "ismv"].contains(muxer.formatName)
        try muxer.writeHeader(options: isMP4Family ? ["movflags": "+faststart"] : [:])
        let outputBase = Rational(video.pointee.time_base)

        // First pass: check every segment and collect its pts in decoding order.
        let packet = try Packet()
        var decodeOrder: [Int64] = []
        var previousEnd: Int64? = nil
        for (number, segmentPath) in segments.enumerated() {
            // Later segments unprobed: their headers say all the join needs, and probing each
            // (decoding its first frames) cost more than the rest of a long film's join.
            let segment = number == 0 ? first : try Demuxer(path: segmentPath, probe: false)
            let index = try videoStream(of: segment, like: firstStream, firstPath: firstPath)
            var low = Int64.max, high = Int64.min
            while try segment.read(into: packet) {
                guard packet.streamIndex == index else { continue }
                guard let pts = outputPTS(packet, segment: segment, index: index, offset: timestampOffset,
                                          offsetBase: timeBase, outputBase: outputBase) else {
                    throw MediaError.invalidMedia(path: segmentPath, reason: "a video packet has no timestamp")
                }
                decodeOrder.append(pts)
                low = min(low, pts)
                high = max(high, pts)
            }
            if let previousEnd, low != .max, low <= previousEnd {
                throw MediaError.invalidArgument("\(segmentPath) overlaps or precedes the segment before it in time")
            }
            if high != .min { previousEnd = high }
        }
        let shown = decodeOrder.sorted()
        var rank: [Int64: Int] = [:]
        for (i, pts) in shown.enumerated() {
            if rank[pts] != nil { throw MediaError.invalidArgument("two frames of the segments share pts \(pts)") }
            rank[pts] = i
        }
        let delay = decodeOrder.enumerated().map { $0.offset - rank[$0.element]! }.max() ?? 0
        let frameTicks = max(1, Rational(firstStream.pointee.avg_frame_rate).inverse.rescale(1, to: outputBase))
        video.pointee.codecpar.pointee.video_delay = Int32(max(Int(video.pointee.codecpar.pointee.video_delay), delay))

        // Second pass: the packets, with pts shifted and rescaled and the rebuilt dts.
        var position = 0
        for segmentPath in segments {
            let segment = try Demuxer(path: segmentPath, probe: false)
            let index = try videoStream(of: segment, like: firstStream, firstPath: firstPath)
            while try segment.read(into: packet) {
                guard packet.streamIndex == index else { continue }
                let p = packet.pointer
                let duration = Rational(segment.stream(index).pointee.time_base).rescale(p.pointee.duration, to: outputBase)
                p.pointee.pts = decodeOrder[position]
                p.pointee.dts = position >= delay ? shown[position - delay] : shown[0] - Int64(delay - position) * frameTicks
                p.pointee.duration = max(duration, 0)
                p.pointee.stream_index = video.pointee.index
                p.pointee.pos = -1
                position += 1
                try passthrough?.copy(through: p.pointee.dts, timeBase: outputBase)
                try muxer.write(packet)
            }
        }
        try passthrough?.finish()
        try muxer.writeTrailer()
        return passthrough?.skipped ?? []
    }

    /// The segment's video stream, checked to be encoded like the first segment's.
    private static func videoStream(of segment: Demuxer, like firstStream: UnsafeMutablePointer<AVStream>,
                                    firstPath: String) throws(MediaError) -> Int {
        guard let index = segment.bestVideoStream() else { throw MediaError.noVideoStream(path: segment.path) }
        guard sameEncoding(segment.stream(index).pointee.codecpar, firstStream.pointee.codecpar) else {
            throw MediaError.invalidArgument("\(segment.path) was not encoded like \(firstPath); segments must share size and encoder settings")
        }
        return index
    }

    /// The packet's pts less the offset, in the output time base; nil if it has none.
    private static func outputPTS(_ packet: Packet, segment: Demuxer, index: Int, offset: Int64,
                                  offsetBase: Rational, outputBase: Rational) -> Int64? {
        let pts = packet.pointer.pointee.pts
        guard pts != noPTS else { return nil }
        let base = Rational(segment.stream(index).pointee.time_base)
        return base.rescale(pts - offsetBase.rescale(offset, to: base), to: outputBase)
    }

    /// Same codec, size, pixel format and header bytes: a decoder set up for one decodes the other.
    /// An unprobed segment's pixel format is unknown (-1); its header bytes (H.264's SPS,
    /// FFV1's configuration) then carry the format.
    private static func sameEncoding(_ a: UnsafeMutablePointer<AVCodecParameters>, _ b: UnsafeMutablePointer<AVCodecParameters>) -> Bool {
        let x = a.pointee, y = b.pointee
        let formatsAgree = x.format == y.format || x.format < 0 || y.format < 0
        guard x.codec_id == y.codec_id, x.width == y.width, x.height == y.height, formatsAgree,
              x.extradata_size == y.extradata_size else { return false }
        guard x.extradata_size > 0 else { return true }
        return memcmp(x.extradata, y.extradata, Int(x.extradata_size)) == 0
    }
}
