import CFFmpeg

/// One stream's decoder (libavcodec's send/receive state machine).
///
/// Call order: `init(stream:path:)` opens a decoder for the stream's codec parameters. Then,
/// repeatedly: `receive(into:)` until it answers `.needsInput`, and `send(_:)` the stream's
/// next packet. When the demuxer is drained, `sendEndOfStream()` once and `receive(into:)`
/// until `.endOfStream`. After a seek, `flush()` returns the decoder to its initial state.
///
/// Ownership: `send` takes its own reference to the packet's data, so the caller may reuse the
/// packet at once. `receive` fills the caller's `Frame` with a reference to a decoded picture,
/// dropping what the frame held before.
///
/// Drained: `receive` returned `.endOfStream` after `sendEndOfStream()`: every frame held back
/// for reordering (B-frames) or frame threading has come out.
final class Decoder {
    enum Output { case frame, needsInput, endOfStream }

    let context: UnsafeMutablePointer<AVCodecContext>
    private let path: String

    init(stream: UnsafeMutablePointer<AVStream>, path: String) throws(MediaError) {
        let parameters = stream.pointee.codecpar!
        guard let codec = avcodec_find_decoder(parameters.pointee.codec_id) else {
            let name = String(cString: avcodec_get_name(parameters.pointee.codec_id))
            throw MediaError.invalidMedia(path: path, reason: "no decoder for \(name)")
        }
        guard let context = avcodec_alloc_context3(codec) else {
            throw MediaError.ffmpeg(AVErrorCode.invalidArgument, "avcodec_alloc_context3")
        }
        self.context = context
        self.path = path
        try check(avcodec_parameters_to_context(context, parameters), "avcodec_parameters_to_context")
        context.pointee.pkt_timebase = stream.pointee.time_base
        context.pointee.thread_count = 0 // one per core: decoding keeps pace with the scaler
        let code = avcodec_open2(context, codec, nil)
        if code < 0 { throw MediaError.invalidMedia(path: path, reason: "cannot open decoder: \(MediaError.reason(for: code))") }
    }

    deinit {
        var ctx: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&ctx)
    }

    /// Feeds one packet. Corrupt data in a packet throws `.invalidMedia`. (EAGAIN cannot happen
    /// here: callers receive until `.needsInput` before sending, as the API requires.)
    func send(_ packet: Packet) throws(MediaError) {
        let code = avcodec_send_packet(context, packet.pointer)
        if code < 0 {
            throw MediaError.invalidMedia(path: path, reason: "decoding failed: \(MediaError.reason(for: code))")
        }
    }

    /// Tells the decoder no more packets follow, so it releases the frames it holds back.
    func sendEndOfStream() throws(MediaError) {
        let code = avcodec_send_packet(context, nil)
        if code < 0 && code != AVErrorCode.endOfFile {
            throw MediaError.ffmpeg(code, "avcodec_send_packet(end of stream)")
        }
    }

    func receive(into frame: Frame) throws(MediaError) -> Output {
        frame.unref()
        let code = avcodec_receive_frame(context, frame.pointer)
        if code == AVErrorCode.again { return .needsInput }
        if code == AVErrorCode.endOfFile { return .endOfStream }
        if code < 0 { throw MediaError.invalidMedia(path: path, reason: "decoding failed: \(MediaError.reason(for: code))") }
        return .frame
    }

    /// Forgets buffered packets and frames (after a seek).
    func flush() { avcodec_flush_buffers(context) }
}
