import CFFmpeg

/// Decodes a film into RGB frames in presentation order, optionally scaled to a height.
///
/// Opening does all the checking up front, so a bad input fails before any work is planned:
/// the file must exist, parse, hold a video stream, and decode its first frame. Opening also
/// demuxes the whole file once (fast: no decoding) to count the frames exactly and learn their
/// timestamps, which is what `info.frameCount` and `framePTS` report.
///
/// Composition: a `Demuxer` feeds the video stream's packets to a `Decoder`; a `PixelConverter`
/// turns each decoded picture into rgb24 at the output size, still lying as stored, with the
/// matrix and range the picture is tagged with, else `info.resolvedColour`'s;
/// `nextFrame()` copies it into an `RGBImage` and turns that upright (`info.orientation`, the
/// stream's display matrix, as players and the ffmpeg command line do). At end of file the
/// decoder is drained, so the last frames held back for reordering come out too. Not
/// thread-safe: one reader per thread.
public final class VideoReader {
    public let path: String
    public let info: VideoInfo
    /// The pts of every frame in presentation order (sorted packet timestamps), or empty when
    /// the container does not store timestamps (raw streams).
    public let framePTS: [Int64]
    /// Index of the frame the next `nextFrame()` returns.
    public private(set) var nextIndex = 0

    private var demuxer: Demuxer
    private var decoder: Decoder
    private let streamIndex: Int
    private let converter: PixelConverter
    private let orientation: Orientation
    private let packet: Packet
    private let decoded: Frame
    private let rgb: Frame
    private var demuxerDrained = false
    /// A frame decoded ahead (opening decodes the first frame to prove the file is readable).
    private var pending: VideoFrame?
    private var previousPTS: Int64?
    /// Set when `skip` went past the last frame.
    private var exhausted = false

    /// Opens `path` and positions at `startFrame`.
    /// - Parameters:
    ///   - height: scale to this many lines of the upright picture keeping the aspect ratio
    ///     (see `VideoInfo.scaledSize`); nil keeps the source size.
    ///   - startFrame: the first frame `nextFrame()` returns (the `--start` option).
    ///   - orientation: how to turn the pictures upright; nil reads it from the stream's
    ///     display matrix. `VideoClip` passes the film's, which its Matroska copy cannot hold.
    /// - Throws: `.cannotOpen` (missing), `.invalidMedia` (truncated, corrupt, not media),
    ///   `.noVideoStream`, `.stillImage` (a single picture), `.invalidArgument`.
    public init(path: String, height: Int? = nil, startFrame: Int = 0, orientation: Orientation? = nil) throws(MediaError) {
        if let height, height < 2 { throw MediaError.invalidArgument("height \(height) is below 2") }
        guard startFrame >= 0 else { throw MediaError.invalidArgument("start frame \(startFrame) is negative") }
        self.path = path
        let survey = try Demuxer(path: path)
        guard let streamIndex = survey.bestVideoStream() else { throw MediaError.noVideoStream(path: path) }
        self.streamIndex = streamIndex
        let stream = survey.stream(streamIndex)
        let parameters = stream.pointee.codecpar.pointee
        guard parameters.width > 0, parameters.height > 0 else {
            throw MediaError.invalidMedia(path: path, reason: "the video stream has no picture size")
        }

        let index = survey.indexEntriesPastEnd(ofStream: streamIndex)
        if index.past > 0 {
            throw MediaError.invalidMedia(path: path, reason: "truncated: \(index.past) of \(index.total) frames lie past the end of the file")
        }

        // The counting pass: every packet of the video stream is one frame.
        let packet = try Packet()
        var count = 0, timestamps: [Int64] = [], timestampsComplete = true
        var first = Int64.max, end = Int64.min
        while try survey.read(into: packet) {
            // Packets an MP4 edit list cuts away are flagged; the decoder drops their frames.
            guard packet.streamIndex == streamIndex, packet.pointer.pointee.flags & AV_PKT_FLAG_DISCARD == 0 else { continue }
            count += 1
            let p = packet.pointer.pointee
            if p.pts != noPTS {
                timestamps.append(p.pts)
                first = min(first, p.pts)
                end = max(end, p.pts + max(p.duration, 0))
            } else {
                timestampsComplete = false
            }
        }
        guard count > 0 else { throw MediaError.invalidMedia(path: path, reason: "the video stream has no frames") }
        if count == 1 && ImageIO.isImageDemuxer(survey.formatName) { throw MediaError.stillImage(path: path) }

        var frameRate = Rational(stream.pointee.avg_frame_rate)
        if frameRate.numerator <= 0 || frameRate.denominator <= 0 { frameRate = Rational(stream.pointee.r_frame_rate) }
        let timeBase = Rational(stream.pointee.time_base)
        framePTS = timestampsComplete ? timestamps.sorted() : []
        if !timestampsComplete || first == .max {
            first = stream.pointee.start_time == noPTS ? 0 : stream.pointee.start_time
            end = first + (frameRate.numerator > 0 ? Int64(count) * frameRate.inverse.rescale(1, to: timeBase) : 0)
        }
        if frameRate.numerator <= 0 || frameRate.denominator <= 0 {
            // No declared rate: derive one from the measured duration.
            frameRate = Rational(Int32(clamping: Int64(count) * Int64(timeBase.denominator)),
                                 Int32(clamping: max(1, (end - first) * Int64(timeBase.numerator))))
        }
        var audio = 0, subtitles = 0
        for i in 0..<survey.streamCount {
            switch survey.kind(ofStream: i) {
            case .audio: audio += 1
            case .subtitle: subtitles += 1
            case .video, .other: break
            }
        }
        let orientation = orientation ?? survey.orientation(ofStream: streamIndex)
        self.orientation = orientation
        let upright = orientation.displayedSize(width: Int(parameters.width), height: Int(parameters.height))
        let size = VideoInfo.scaledSize(sourceWidth: upright.width, sourceHeight: upright.height, height: height)
        info = VideoInfo(sourceWidth: Int(parameters.width), sourceHeight: Int(parameters.height), orientation: orientation,
                         width: size.width, height: size.height, frameRate: frameRate, timeBase: timeBase,
                         frameCount: count, startPTS: first, duration: end - first,
                         audioStreamCount: audio, subtitleStreamCount: subtitles,
                         codecName: String(cString: avcodec_get_name(parameters.codec_id)),
                         colour: ColourDescription(parameters))

        // Decoding starts from a fresh open: reliable for every container, seekable or not.
        demuxer = try Demuxer(path: path)
        decoder = try Decoder(stream: demuxer.stream(streamIndex), path: path)
        // Scaled while still lying as stored; turned upright after conversion.
        let stored = orientation.storedSize(width: size.width, height: size.height)
        converter = PixelConverter(width: stored.width, height: stored.height, format: AV_PIX_FMT_RGB24,
                                   sourceColour: info.resolvedColour)
        self.packet = packet
        decoded = try Frame()
        rgb = try Frame(width: stored.width, height: stored.height, format: AV_PIX_FMT_RGB24)

        try skip(frames: startFrame)
        if !exhausted && pending == nil { pending = try decodeFrame() }
        if pending == nil && startFrame < count {
            throw MediaError.invalidMedia(path: path, reason: "no frame could be decoded")
        }
    }

    /// The next frame in presentation order, or nil after the last one.
    public func nextFrame() throws(MediaError) -> VideoFrame? {
        if exhausted { return nil }
        let frame: VideoFrame?
        if let ahead = pending {
            pending = nil
            frame = ahead
        } else {
            frame = try decodeFrame()
        }
        if frame != nil { nextIndex += 1 }
        return frame
    }

    /// Moves forward past `frames` frames without returning them. Far jumps seek to the
    /// keyframe before the target and decode from there; if the container's seek lands past
    /// the target, the film is reopened and decoded from its start instead.
    public func skip(frames: Int) throws(MediaError) {
        guard frames > 0 else { return }
        var remaining = frames
        if pending != nil {
            pending = nil
            nextIndex += 1
            remaining -= 1
        }
        let target = nextIndex + remaining
        guard target < info.frameCount else {
            exhausted = true
            nextIndex = info.frameCount
            return
        }
        if !framePTS.isEmpty, remaining > Int(info.frameRate.doubleValue.rounded(.up)) {
            if try seekDecoder(toFrame: target) { return }
            try reopen()
        }
        while nextIndex < target, try decodeRaw() {
            _ = currentPTS()
            nextIndex += 1
        }
    }

    /// Positions the reader so that the next `nextFrame()` returns frame `index`, forwards or
    /// backwards (a chunk that starts inside the previous chunk's overlap re-reads frames).
    /// An index at or past `info.frameCount` leaves nothing to read.
    public func seek(toFrame index: Int) throws(MediaError) {
        guard index >= 0 else { throw MediaError.invalidArgument("frame \(index) is negative") }
        if index >= nextIndex {
            try skip(frames: index - nextIndex)
            return
        }
        exhausted = false
        pending = nil
        if !framePTS.isEmpty, try seekDecoder(toFrame: index) { return }
        try reopen()
        try skip(frames: index)
    }

    // MARK: - Decoding

    /// Decodes and converts the frame at `nextIndex` (which the caller advances).
    private func decodeFrame() throws(MediaError) -> VideoFrame? {
        guard try decodeRaw() else { return nil }
        let pts = currentPTS()
        return VideoFrame(image: try convertDecoded(), pts: pts, index: nextIndex)
    }

    /// Decodes the next picture into `decoded`; false once the decoder is drained.
    private func decodeRaw() throws(MediaError) -> Bool {
        while true {
            switch try decoder.receive(into: decoded) {
            case .frame: return true
            case .endOfStream: return false
            case .needsInput:
                if demuxerDrained { return false }
                if try demuxer.read(into: packet) {
                    if packet.streamIndex == streamIndex { try decoder.send(packet) }
                } else {
                    demuxerDrained = true
                    try decoder.sendEndOfStream()
                }
            }
        }
    }

    /// The decoded picture's pts (FFmpeg's best effort), or one frame after the previous one.
    private func currentPTS() -> Int64 {
        var pts = decoded.pointer.pointee.best_effort_timestamp
        if pts == noPTS {
            let step = info.frameRate.inverse.rescale(1, to: info.timeBase)
            pts = previousPTS.map { $0 + max(step, 1) } ?? info.startPTS
        }
        previousPTS = pts
        return pts
    }

    /// Seeks so that the next decoded frame is `target`; false if the seek landed past it.
    private func seekDecoder(toFrame target: Int) throws(MediaError) -> Bool {
        let targetPTS = framePTS[target]
        do throws(MediaError) { try demuxer.seek(stream: streamIndex, to: targetPTS) } catch { return false }
        decoder.flush()
        demuxerDrained = false
        while try decodeRaw() {
            let pts = decoded.pointer.pointee.best_effort_timestamp
            if pts == noPTS || pts > targetPTS { return false }
            if pts == targetPTS {
                previousPTS = pts
                pending = VideoFrame(image: try convertDecoded(), pts: pts, index: target)
                nextIndex = target
                return true
            }
        }
        return false
    }

    private func convertDecoded() throws(MediaError) -> RGBImage {
        try converter.convert(decoded, into: rgb)
        return rgb.rgbImage().oriented(orientation)
    }

    private func reopen() throws(MediaError) {
        demuxer = try Demuxer(path: path)
        decoder = try Decoder(stream: demuxer.stream(streamIndex), path: path)
        demuxerDrained = false
        pending = nil
        previousPTS = nil
        nextIndex = 0
    }
}
