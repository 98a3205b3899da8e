import CFFmpeg
import Foundation

/// Encodes RGB frames into a film, copying the sound and subtitles of a source film.
///
/// The container comes from the output name (.mkv, .mp4, .mov, .webm, .avi, .nut, or anything
/// else FFmpeg can mux). Matroska stores pts in milliseconds; MP4, MOV and NUT keep the
/// given time base, so their pts equal the input's exactly. The picture is H.264 (VP9 in .webm), or FFV1 in RGB with
/// `EncoderOptions.lossless`; see `EncoderOptions` for the defaults and why.
///
/// Colour: the frames are converted to YUV with `colour`'s matrix and range, and the stream is
/// tagged with all four of its values (x264 writes them into the bitstream, the muxer into the
/// container). Pass the input's `VideoInfo.resolvedColour` and the output keeps the input's
/// colours and tags; a full-range input stays full range. Lossless (RGB) output has no matrix
/// and is full range; it keeps the primaries and transfer.
///
/// Composition: a `PixelConverter` turns each `RGBImage` into the encoder's pixel format, an
/// `Encoder` compresses it, and a `Muxer` writes the packets; an `AudioPassthrough` reads the
/// source film alongside and hands its audio and subtitle packets to the muxer in step with
/// the video, so the file comes out interleaved.
///
/// Call order: `init` (writes the header), `write(_:pts:)` per frame in presentation order,
/// `finish()` once (drains the encoder, copies the remaining sound, writes the trailer).
/// A writer dropped without `finish()` leaves an incomplete file. Not thread-safe.
public final class VideoWriter {
    public let path: String
    public let width: Int
    public let height: Int
    /// Source streams the container cannot hold and that were therefore not copied, e.g.
    /// "stream 2 (mov_text subtitle)" for MP4 subtitles going into Matroska.
    public let skippedStreams: [String]
    /// What the frames are converted to and the stream is tagged with (resolved).
    public let colour: ColourDescription
    /// Frames accepted by `write` so far.
    public private(set) var framesWritten = 0

    private let muxer: Muxer
    private let encoder: Encoder
    private let converter: PixelConverter
    private let passthrough: AudioPassthrough?
    private let videoStream: UnsafeMutablePointer<AVStream>
    private let timeBase: Rational
    private let offset: Int64
    private let rgb: Frame
    private let encoded: Frame
    private let packet: Packet
    private var lastPTS: Int64?
    private var finished = false

    /// Opens `path` for writing and writes the container header.
    /// - Parameters:
    ///   - width, height: the frame size (even for H.264 and VP9, which use 4:2:0).
    ///   - frameRate: the nominal rate, written as the stream's rate.
    ///   - timeBase: what `write`'s pts count in; pass the input's `VideoInfo.timeBase` so
    ///     output timestamps equal the input's.
    ///   - source: a film whose audio and subtitle streams are copied, packet for packet.
    ///   - window: copy only the source packets whose pts lies in this span. Without one, all
    ///     of the source's sound is copied, so pass one when writing a slice of the film.
    ///   - timestampOffset: subtracted (in `timeBase`) from every frame's pts and, rescaled,
    ///     from every copied packet's, so that a rendered slice can start at zero.
    ///   - colour: what the frames are converted to and the stream tagged with; what it leaves
    ///     unspecified is resolved for `width` x `height` (`ColourDescription.resolved`).
    public init(path: String, width: Int, height: Int, frameRate: Rational, timeBase: Rational,
                options: EncoderOptions = EncoderOptions(), copyingStreamsFrom source: String? = nil,
                window: TimeWindow? = nil, timestampOffset: Int64 = 0, colour: ColourDescription = .bt709) throws(MediaError) {
        guard width > 0, height > 0 else { throw MediaError.invalidArgument("frame size \(width)x\(height)") }
        guard frameRate.numerator > 0, frameRate.denominator > 0 else { throw MediaError.invalidArgument("frame rate \(frameRate)") }
        guard timeBase.numerator > 0, timeBase.denominator > 0 else { throw MediaError.invalidArgument("time base \(timeBase)") }
        self.path = path
        self.width = width
        self.height = height
        self.timeBase = timeBase
        offset = timestampOffset
        muxer = try Muxer(path: path)

        let choice = try VideoWriter.codec(for: muxer, options: options, path: path)
        if choice.pixelFormat == AV_PIX_FMT_YUV420P && (width % 2 != 0 || height % 2 != 0) {
            throw MediaError.invalidArgument("\(width)x\(height): 4:2:0 video needs even sides")
        }
        let globalHeader = muxer.needsGlobalHeader
        let rgbOutput = choice.pixelFormat == AV_PIX_FMT_BGR0
        let colour = colour.resolved(width: width, height: height)
        self.colour = colour
        encoder = try Encoder(codecName: choice.codec, configure: { context in
            context.pointee.width = Int32(width)
            context.pointee.height = Int32(height)
            context.pointee.pix_fmt = choice.pixelFormat
            context.pointee.time_base = timeBase.av
            context.pointee.framerate = frameRate.av
            context.pointee.sample_aspect_ratio = AVRational(num: 1, den: 1)
            context.pointee.thread_count = 0
            colour.tag(context, rgb: rgbOutput)
            if globalHeader { context.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        }, options: choice.options)
        converter = PixelConverter(width: width, height: height, format: choice.pixelFormat, colour: colour)

        videoStream = try muxer.addStream()
        try check(avcodec_parameters_from_context(videoStream.pointee.codecpar, encoder.context), "avcodec_parameters_from_context")
        // AVI has no timestamps, only a frame rate: one tick per frame there. Elsewhere the
        // input's time base (a hint: Matroska always uses 1/1000).
        videoStream.pointee.time_base = muxer.formatName == "avi" ? frameRate.inverse.av : timeBase.av
        videoStream.pointee.avg_frame_rate = frameRate.av
        videoStream.pointee.r_frame_rate = frameRate.av

        if let source {
            let copier = try AudioPassthrough(source: source, into: muxer, window: window,
                                              offset: timestampOffset, offsetTimeBase: timeBase)
            passthrough = copier
            skippedStreams = copier.skipped
        } else {
            passthrough = nil
            skippedStreams = []
        }
        let isMP4Family = ["mp4", "mov", "ipod", "ismv"].contains(muxer.formatName)
        // faststart moves the index to the front so a player can start before the download ends.
        try muxer.writeHeader(options: isMP4Family ? ["movflags": "+faststart"] : [:])

        rgb = try Frame(width: width, height: height, format: AV_PIX_FMT_RGB24)
        encoded = try Frame(width: width, height: height, format: choice.pixelFormat)
        packet = try Packet()
    }

    /// Encodes one frame shown at `pts` (in the writer's time base). Frames must come in
    /// presentation order with increasing pts.
    public func write(_ image: RGBImage, pts: Int64) throws(MediaError) {
        guard !finished else { throw MediaError.closed("video writer for \(path)") }
        guard image.width == width, image.height == height else {
            throw MediaError.sizeMismatch(expectedWidth: width, expectedHeight: height, width: image.width, height: image.height)
        }
        if let lastPTS, pts <= lastPTS { throw MediaError.nonIncreasingTimestamp(previous: lastPTS, pts: pts) }
        try rgb.fill(from: image)
        try converter.convert(rgb, into: encoded)
        let frame = encoded.pointer
        frame.pointee.pts = pts - offset
        colour.tag(frame, rgb: frame.pointee.format == AV_PIX_FMT_BGR0.rawValue)
        try encoder.send(encoded)
        lastPTS = pts
        framesWritten += 1
        try writeEncodedPackets()
    }

    /// Drains the encoder, copies the rest of the source's sound, and writes the trailer.
    /// After this the file is complete; further calls throw `.closed`.
    public func finish() throws(MediaError) {
        guard !finished else { throw MediaError.closed("video writer for \(path)") }
        finished = true
        try encoder.sendEndOfStream()
        try writeEncodedPackets()
        try passthrough?.finish()
        try muxer.writeTrailer()
    }

    private func writeEncodedPackets() throws(MediaError) {
        let streamBase = videoStream.pointee.time_base
        while try encoder.receive(into: packet) == .packet {
            av_packet_rescale_ts(packet.pointer, encoder.context.pointee.time_base, streamBase)
            packet.pointer.pointee.stream_index = videoStream.pointee.index
            if let passthrough {
                let p = packet.pointer.pointee
                let time = p.dts != noPTS ? p.dts : p.pts
                if time != noPTS { try passthrough.copy(through: time, timeBase: Rational(streamBase)) }
            }
            try muxer.write(packet)
        }
    }

    private struct CodecChoice {
        var codec: String
        var pixelFormat: AVPixelFormat
        var options: [String: String]
    }

    private static func codec(for muxer: Muxer, options: EncoderOptions, path: String) throws(MediaError) -> CodecChoice {
        if options.lossless {
            guard muxer.canHold(AV_CODEC_ID_FFV1) else { throw MediaError.codecNotInContainer(codec: "FFV1", path: path) }
            // Version 3 adds per-slice CRCs, and slices let it encode on several threads.
            return CodecChoice(codec: "ffv1", pixelFormat: AV_PIX_FMT_BGR0, options: ["level": "3", "slicecrc": "1"])
        }
        guard (0...63).contains(options.crf) else { throw MediaError.invalidArgument("crf \(options.crf) is outside 0...63") }
        if muxer.formatName == "webm" {
            return CodecChoice(codec: "libvpx-vp9", pixelFormat: AV_PIX_FMT_YUV420P,
                               options: ["crf": "\(options.crf)", "b": "0", "row-mt": "1"])
        }
        guard muxer.canHold(AV_CODEC_ID_H264) else { throw MediaError.codecNotInContainer(codec: "H.264", path: path) }
        guard options.crf <= 51 else { throw MediaError.invalidArgument("crf \(options.crf) is outside x264's 0...51") }
        let presets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo"]
        guard presets.contains(options.preset) else {
            throw MediaError.invalidArgument("x264 preset \(options.preset) (use one of \(presets.joined(separator: ", ")))")
        }
        var x264 = ["crf": "\(options.crf)", "preset": options.preset]
        if let zones = options.edges.x264Zones(crf: options.crf) { x264["x264-params"] = "zones=\(zones)" }
        return CodecChoice(codec: "libx264", pixelFormat: AV_PIX_FMT_YUV420P, options: x264)
    }
}
