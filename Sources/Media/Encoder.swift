import CFFmpeg

/// One video encoder (libavcodec's send/receive state machine, the mirror of `Decoder`).
///
/// Call order: `init(codecName:...)` configures and opens the codec (after it returns,
/// `context` holds the parameters a muxer stream copies, extradata included). Then, per frame:
/// `send(_:)` and `receive(into:)` until `.needsInput`. At the end: `sendEndOfStream()` once,
/// then `receive(into:)` until `.endOfStream`.
///
/// Ownership: `send` takes its own reference to the frame's buffers (the caller must not write
/// into a frame the encoder may still hold: `PixelConverter` makes frames writable first).
/// `receive` fills the caller's `Packet`, dropping what it held before.
///
/// Drained: `receive` returned `.endOfStream` after `sendEndOfStream()`: the frames held in
/// the encoder's lookahead (x264 keeps dozens) have all come out as packets. Stopping
/// earlier loses the film's last frames.
final class Encoder {
    enum Output { case packet, needsInput, endOfStream }

    let context: UnsafeMutablePointer<AVCodecContext>

    /// - Parameters:
    ///   - codecName: an FFmpeg encoder name ("libx264", "ffv1", "png", ...).
    ///   - configure: sets size, pixel format, time base and flags on the fresh context.
    ///   - options: codec private options (e.g. "crf", "preset"), applied at open.
    init(codecName: String, configure: (UnsafeMutablePointer<AVCodecContext>) -> Void,
         options: [String: String] = [:]) throws(MediaError) {
        MediaLogging.configure()
        guard let codec = avcodec_find_encoder_by_name(codecName) else {
            throw MediaError.encoderUnavailable(name: codecName)
        }
        guard let context = avcodec_alloc_context3(codec) else {
            throw MediaError.ffmpeg(AVErrorCode.invalidArgument, "avcodec_alloc_context3(\(codecName))")
        }
        self.context = context
        configure(context)
        var dictionary: OpaquePointer? = nil
        for (key, value) in options { av_dict_set(&dictionary, key, value, 0) }
        defer { av_dict_free(&dictionary) }
        try check(avcodec_open2(context, codec, &dictionary), "avcodec_open2(\(codecName))")
    }

    deinit {
        var ctx: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&ctx)
    }

    var timeBase: Rational { Rational(context.pointee.time_base) }

    func send(_ frame: Frame) throws(MediaError) {
        try check(avcodec_send_frame(context, frame.pointer), "avcodec_send_frame")
    }

    func sendEndOfStream() throws(MediaError) {
        let code = avcodec_send_frame(context, nil)
        if code < 0 && code != AVErrorCode.endOfFile { throw MediaError.ffmpeg(code, "avcodec_send_frame(end of stream)") }
    }

    func receive(into packet: Packet) throws(MediaError) -> Output {
        packet.unref()
        let code = avcodec_receive_packet(context, packet.pointer)
        if code == AVErrorCode.again { return .needsInput }
        if code == AVErrorCode.endOfFile { return .endOfStream }
        try check(code, "avcodec_receive_packet")
        return .packet
    }
}
