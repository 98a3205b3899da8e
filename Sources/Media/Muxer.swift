import CFFmpeg

/// One output container, written packet by packet (libavformat's muxing lifecycle).
///
/// Call order: `init(path:)` picks the container from the file name; `addStream()` once per
/// stream (the video first, then copied streams); `writeHeader()` creates the file and fixes
/// each stream's time base (a container may replace the one asked for: Matroska always uses
/// 1/1000); `write(_:)` any number of packets, whose timestamps must already be in their output
/// stream's time base; `writeTrailer()` once at the end (MP4 writes its index there, so a file
/// without it does not play). Deinit closes the file and frees the context.
///
/// Ownership: `write` takes over the packet's data (av_interleaved_write_frame leaves the
/// caller's packet blank), so the caller's `Packet` is ready for reuse.
///
/// Drained: `writeTrailer()` has flushed the interleaving queue, in which packets of one stream
/// wait until every other stream has caught up in time.
final class Muxer {
    let path: String
    let context: UnsafeMutablePointer<AVFormatContext>
    private var fileOpen = false
    private(set) var headerWritten = false
    private(set) var trailerWritten = false

    /// - Throws: `.unsupportedContainer` when FFmpeg knows no muxer for the name's extension.
    init(path: String) throws(MediaError) {
        MediaLogging.configure()
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        let code = avformat_alloc_output_context2(&context, nil, nil, path)
        guard code >= 0, let context else { throw MediaError.unsupportedContainer(path: path) }
        self.path = path
        self.context = context
    }

    deinit {
        if fileOpen { avio_closep(&context.pointee.pb) }
        avformat_free_context(context)
    }

    /// FFmpeg's short name for the container ("matroska", "mp4", "mov", "webm", "avi").
    var formatName: String { String(cString: context.pointee.oformat.pointee.name) }

    /// Whether the container can hold `codec`. Unknown (FFmpeg cannot tell) counts as yes;
    /// `writeHeader` then has the last word.
    func canHold(_ codec: AVCodecID) -> Bool {
        avformat_query_codec(context.pointee.oformat, codec, FF_COMPLIANCE_NORMAL) != 0
    }

    /// Whether encoders feeding this container must put their headers in extradata.
    var needsGlobalHeader: Bool { context.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0 }

    func addStream() throws(MediaError) -> UnsafeMutablePointer<AVStream> {
        guard let stream = avformat_new_stream(context, nil) else {
            throw MediaError.ffmpeg(AVErrorCode.invalidArgument, "avformat_new_stream(\(path))")
        }
        return stream
    }

    func stream(_ index: Int) -> UnsafeMutablePointer<AVStream> { context.pointee.streams[index]! }

    /// Creates the file and writes the container header. `options` are muxer options such as
    /// MP4's "movflags".
    func writeHeader(options: [String: String] = [:]) throws(MediaError) {
        if context.pointee.oformat.pointee.flags & AVFMT_NOFILE == 0 {
            let code = avio_open(&context.pointee.pb, path, AVIO_FLAG_WRITE)
            if code < 0 { throw MediaError.cannotWrite(path: path, reason: MediaError.reason(for: code)) }
            fileOpen = true
        }
        var dictionary: OpaquePointer? = nil
        for (key, value) in options { av_dict_set(&dictionary, key, value, 0) }
        defer { av_dict_free(&dictionary) }
        try check(avformat_write_header(context, &dictionary), "avformat_write_header(\(path))")
        headerWritten = true
    }

    func write(_ packet: Packet) throws(MediaError) {
        try check(av_interleaved_write_frame(context, packet.pointer), "av_interleaved_write_frame(\(path))")
    }

    func writeTrailer() throws(MediaError) {
        try check(av_write_trailer(context), "av_write_trailer(\(path))")
        trailerWritten = true
        if fileOpen {
            avio_closep(&context.pointee.pb)
            fileOpen = false
        }
    }
}
