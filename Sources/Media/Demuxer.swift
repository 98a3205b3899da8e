import CFFmpeg
import Foundation

/// One input container, read packet by packet (libavformat's demuxing lifecycle).
///
/// Call order: `init(path:)` or `init(bytes:name:)` opens the container and probes its streams
/// (avformat_open_input + avformat_find_stream_info); `read(into:)` is then called until it
/// returns false; `seek(stream:to:)` may move the read position back; deinit closes the file.
///
/// Ownership: `read(into:)` fills the caller's `Packet` with a reference to FFmpeg's buffer,
/// dropping whatever the packet held before; the data stays valid until the next read into
/// that packet or its `unref()`. Stream pointers live as long as the Demuxer.
///
/// Drained: `read(into:)` returned false, the container has no more packets (end of file).
final class Demuxer {
    /// The name errors print: the path, or the name given with in-memory bytes.
    let path: String
    let context: UnsafeMutablePointer<AVFormatContext>
    /// Keeps in-memory input alive while FFmpeg reads from it; nil for files.
    private let memory: MemoryInput?

    /// Opens a file. A missing or unreadable file is `.cannotOpen`; a file FFmpeg cannot
    /// parse (truncated, corrupt, not media) is `.invalidMedia`.
    ///
    /// `probe: false` skips avformat_find_stream_info, which decodes the first frames of every
    /// stream to fill in what a container's header leaves out: only for files whose header
    /// says it all (the Matroska clips and segments vst writes), where the decoding would
    /// cost more than everything else done with the file.
    init(path: String, probe: Bool = true) throws(MediaError) {
        MediaLogging.configure()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw MediaError.cannotOpen(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw MediaError.cannotOpen(path: path, reason: "is a directory") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw MediaError.cannotOpen(path: path, reason: "permission denied")
        }
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        let code = avformat_open_input(&context, path, nil, nil)
        guard code >= 0, let opened = context else {
            throw MediaError.invalidMedia(path: path, reason: MediaError.reason(for: code))
        }
        self.path = path
        self.context = opened
        self.memory = nil
        if probe { try findStreamInfo() }
    }

    /// Opens encoded bytes held in memory (an image file sent over the wire), probing the
    /// format from the content alone. `name` only appears in error messages.
    init(bytes: [UInt8], name: String, probe: Bool = true) throws(MediaError) {
        MediaLogging.configure()
        let memory = MemoryInput(bytes: bytes)
        guard let context = avformat_alloc_context() else {
            throw MediaError.ffmpeg(AVErrorCode.invalidArgument, "avformat_alloc_context")
        }
        guard let pb = memory.makeIOContext() else {
            var ctx: UnsafeMutablePointer<AVFormatContext>? = context
            avformat_close_input(&ctx)
            throw MediaError.ffmpeg(AVErrorCode.invalidArgument, "avio_alloc_context")
        }
        context.pointee.pb = pb
        var opened: UnsafeMutablePointer<AVFormatContext>? = context
        // On failure avformat_open_input frees the context (not our custom pb, which `memory` frees).
        let code = avformat_open_input(&opened, nil, nil, nil)
        guard code >= 0, let openedContext = opened else {
            throw MediaError.invalidMedia(path: name, reason: MediaError.reason(for: code))
        }
        self.path = name
        self.context = openedContext
        self.memory = memory
        if probe { try findStreamInfo() }
    }

    private func findStreamInfo() throws(MediaError) {
        let code = avformat_find_stream_info(context, nil)
        if code < 0 { throw MediaError.invalidMedia(path: path, reason: MediaError.reason(for: code)) }
    }

    deinit {
        var ctx: UnsafeMutablePointer<AVFormatContext>? = context
        avformat_close_input(&ctx)
        // `memory` (if any) frees its AVIOContext in its own deinit, after the container.
    }

    /// The demuxer FFmpeg chose, e.g. "mov,mp4,m4a,3gp,3g2,mj2", "png_pipe", "image2".
    var formatName: String { String(cString: context.pointee.iformat.pointee.name) }

    var streamCount: Int { Int(context.pointee.nb_streams) }

    func stream(_ index: Int) -> UnsafeMutablePointer<AVStream> {
        context.pointee.streams[index]!
    }

    enum StreamKind { case video, audio, subtitle, other }

    func kind(ofStream index: Int) -> StreamKind {
        switch stream(index).pointee.codecpar.pointee.codec_type {
        case AVMEDIA_TYPE_VIDEO: .video
        case AVMEDIA_TYPE_AUDIO: .audio
        case AVMEDIA_TYPE_SUBTITLE: .subtitle
        default: .other
        }
    }

    /// The stream FFmpeg would pick as "the" video (av_find_best_stream), or nil if none.
    /// Attached pictures (cover art in audio files) do not count as video.
    func bestVideoStream() -> Int? {
        let index = av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        guard index >= 0 else { return nil }
        if stream(Int(index)).pointee.disposition & AV_DISPOSITION_ATTACHED_PIC != 0 { return nil }
        return Int(index)
    }

    /// How the stream's pictures turn upright: its display matrix (stream side data, as MP4 and
    /// MOV store phone video's rotation), or upright when it has none.
    func orientation(ofStream index: Int) -> Orientation {
        var size = 0
        guard let data = av_stream_get_side_data(stream(index), AV_PKT_DATA_DISPLAYMATRIX, &size),
              size >= 9 * MemoryLayout<Int32>.size else { return .upright }
        let matrix = (0..<9).map { UnsafeRawPointer(data).loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self) }
        return Orientation(displayMatrix: matrix)
    }

    /// How many of the stream's indexed packets (MP4 and MOV index every sample in their
    /// header) lie past the end of the file, out of how many: a truncated file's index still
    /// describes the whole film. (0, 0) when there is no index or no file size.
    func indexEntriesPastEnd(ofStream index: Int) -> (past: Int, total: Int) {
        guard let pb = context.pointee.pb else { return (0, 0) }
        let fileSize = avio_size(pb)
        guard fileSize > 0 else { return (0, 0) }
        let stream = stream(index)
        let total = Int(avformat_index_get_entries_count(stream))
        var past = 0
        for i in 0..<total {
            guard let entry = avformat_index_get_entry(stream, Int32(i)) else { continue }
            if entry.pointee.pos + Int64(entry.pointee.size) > fileSize { past += 1 }
        }
        return (past, total)
    }

    /// Reads the next packet of any stream into `packet`; false at end of file.
    /// A read error other than end of file throws: a file cut short mid-packet is not silently
    /// treated as complete.
    func read(into packet: Packet) throws(MediaError) -> Bool {
        packet.unref()
        let code = av_read_frame(context, packet.pointer)
        if code == AVErrorCode.endOfFile { return false }
        if code < 0 { throw MediaError.invalidMedia(path: path, reason: MediaError.reason(for: code)) }
        return true
    }

    /// Moves every stream's read position to at or before `timestamp` (in `timeBase`), so that
    /// nothing from that time on is skipped. Packets before it may still come and must be
    /// filtered by the caller.
    func seekAll(to timestamp: Int64, timeBase: Rational) throws(MediaError) {
        let microseconds = timeBase.rescale(timestamp, to: Rational(1, 1_000_000)) // AV_TIME_BASE
        try check(av_seek_frame(context, -1, microseconds, AVSEEK_FLAG_BACKWARD), "av_seek_frame(\(path))")
    }

    /// Moves the read position to the last keyframe of `stream` at or before `timestamp`
    /// (in that stream's time base). Decoders fed from here must be flushed first.
    func seek(stream: Int, to timestamp: Int64) throws(MediaError) {
        try check(av_seek_frame(context, Int32(stream), timestamp, AVSEEK_FLAG_BACKWARD), "av_seek_frame(\(path))")
    }
}

/// Serves a byte array to FFmpeg through a custom AVIOContext (read and seek callbacks).
private final class MemoryInput {
    let bytes: [UInt8]
    var position = 0
    private var ioContext: UnsafeMutablePointer<AVIOContext>?

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The AVIOContext reading from `bytes`; freed with this object.
    func makeIOContext() -> UnsafeMutablePointer<AVIOContext>? {
        let bufferSize: Int32 = 64 * 1024
        guard let buffer = av_malloc(Int(bufferSize)) else { return nil }
        let opaque = Unmanaged.passUnretained(self).toOpaque()
        let read: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int32) -> Int32 = { opaque, destination, size in
            let input = Unmanaged<MemoryInput>.fromOpaque(opaque!).takeUnretainedValue()
            let count = min(Int(size), input.bytes.count - input.position)
            if count <= 0 { return cffmpeg_error_eof() }
            input.bytes.withUnsafeBufferPointer { source in
                destination!.update(from: source.baseAddress! + input.position, count: count)
            }
            input.position += count
            return Int32(count)
        }
        let seek: @convention(c) (UnsafeMutableRawPointer?, Int64, Int32) -> Int64 = { opaque, offset, whence in
            let input = Unmanaged<MemoryInput>.fromOpaque(opaque!).takeUnretainedValue()
            if whence & AVSEEK_SIZE != 0 { return Int64(input.bytes.count) }
            let base: Int
            switch whence & ~AVSEEK_FORCE {
            case SEEK_SET: base = 0
            case SEEK_CUR: base = input.position
            case SEEK_END: base = input.bytes.count
            default: return Int64(cffmpeg_error_invalid_argument())
            }
            let target = base + Int(offset)
            guard target >= 0, target <= input.bytes.count else { return Int64(cffmpeg_error_invalid_argument()) }
            input.position = target
            return Int64(target)
        }
        ioContext = avio_alloc_context(buffer.assumingMemoryBound(to: UInt8.self), bufferSize, 0, opaque, read, nil, seek)
        if ioContext == nil { av_free(buffer) }
        return ioContext
    }

    deinit {
        guard ioContext != nil else { return }
        av_freep(&ioContext!.pointee.buffer)
        avio_context_free(&ioContext)
    }
}
