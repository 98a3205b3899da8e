import CFFmpeg
import Foundation

/// FFmpeg prints warnings and errors to stderr by default. vst reports every failure itself as
/// one `error:` line, so FFmpeg's own log is silenced unless `VST_FFMPEG_LOG` asks for it
/// (quiet, panic, fatal, error, warning, info, verbose, debug) while diagnosing a file.
enum MediaLogging {
    private static let once: Void = {
        let levels: [String: Int32] = [
            "quiet": AV_LOG_QUIET, "panic": AV_LOG_PANIC, "fatal": AV_LOG_FATAL, "error": AV_LOG_ERROR,
            "warning": AV_LOG_WARNING, "info": AV_LOG_INFO, "verbose": AV_LOG_VERBOSE, "debug": AV_LOG_DEBUG,
        ]
        let requested = ProcessInfo.processInfo.environment["VST_FFMPEG_LOG"].flatMap { levels[$0.lowercased()] }
        av_log_set_level(requested ?? AV_LOG_QUIET)
    }()

    /// Applies the log level once per process; every Media entry point calls it.
    static func configure() { _ = once }
}
