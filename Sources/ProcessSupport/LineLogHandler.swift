import Foundation
import Logging

/// swift-log's output for vst's processes: one line on stderr per message, `PROGRAM: message`
/// (what the commands always printed, so scripts reading it keep working), with the level
/// named for warnings and worse: `vst-worker: warning: ...`. Levels below `logLevel` are
/// dropped (`--log-level`). Shared by the coordinator and the worker so both read alike.
public struct LineLogHandler: LogHandler {
    public let program: String
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]

    public init(program: String, level: Logger.Level = .info) {
        self.program = program
        logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let level = event.level >= .warning ? "\(event.level): " : ""
        FileHandle.standardError.write(Data("\(program): \(level)\(event.message)\n".utf8))
    }

    /// A logger for `program` at `level` that writes through this handler (no global bootstrap,
    /// so tests may run several in one process).
    public static func logger(_ program: String, level: Logger.Level = .info) -> Logger {
        Logger(label: program) { _ in LineLogHandler(program: program, level: level) }
    }
}
