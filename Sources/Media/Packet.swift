import CFFmpeg

/// Owns one AVPacket (av_packet_alloc / av_packet_free). `av_read_frame` and
/// `avcodec_receive_packet` fill it with a reference; `unref()` releases it for reuse.
final class Packet {
    let pointer: UnsafeMutablePointer<AVPacket>

    init() throws(MediaError) {
        guard let packet = av_packet_alloc() else { throw MediaError.ffmpeg(AVErrorCode.invalidArgument, "av_packet_alloc") }
        pointer = packet
    }

    deinit {
        var packet: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&packet)
    }

    func unref() { av_packet_unref(pointer) }

    var streamIndex: Int { Int(pointer.pointee.stream_index) }

    /// The packet's presentation time if it has one, else its decoding time, else nil.
    var timestamp: Int64? {
        if pointer.pointee.pts != noPTS { return pointer.pointee.pts }
        if pointer.pointee.dts != noPTS { return pointer.pointee.dts }
        return nil
    }
}
