import CFFmpeg

extension MediaError {
    /// av_strerror's text for an FFmpeg error code.
    static func reason(for code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        if av_strerror(code, &buffer, buffer.count) < 0 { return "unknown error \(code)" }
        return String(cString: buffer)
    }

    /// Wraps a negative FFmpeg code, naming the call that returned it.
    static func ffmpeg(_ code: Int32, _ operation: String) -> MediaError {
        .ffmpeg(code: code, operation: operation, reason: reason(for: code))
    }
}

/// The one place an FFmpeg return code becomes a thrown error: negative codes throw
/// `MediaError.ffmpeg` naming `operation`; others are returned unchanged.
@discardableResult
func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(MediaError) -> Int32 {
    if code < 0 { throw MediaError.ffmpeg(code, operation()) }
    return code
}

/// FFmpeg's error codes, from the C shim (they are macros Swift cannot import).
enum AVErrorCode {
    static let again = cffmpeg_error_again()
    static let endOfFile = cffmpeg_error_eof()
    static let invalidData = cffmpeg_error_invalid_data()
    static let noEntry = cffmpeg_error_no_entry()
    static let invalidArgument = cffmpeg_error_invalid_argument()
    static let io = cffmpeg_error_io()
}

/// AV_NOPTS_VALUE: "no timestamp".
let noPTS = cffmpeg_nopts_value()
