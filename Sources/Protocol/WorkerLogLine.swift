/// The payload of LOG (W->C): one line of a worker's log about the chunk in the header, with
/// its swift-log level name (`info`, `warning`, ...). The coordinator records it among the
/// job's events, where the dashboard's job page shows it.
public struct WorkerLogLine: Codable, Sendable, Equatable {
    public var level: String
    public var message: String

    public init(level: String, message: String) {
        self.level = level
        self.message = message
    }
}

extension Message {
    /// W->C: `line` about `chunk` of `job`; the message is flattened to one line.
    public static func log(job: UInt32, chunk: UInt32, _ line: WorkerLogLine) -> Message {
        Message(.log, job: job, chunk: chunk,
                payload: [JSONPayload.encode(WorkerLogLine(level: line.level, message: oneLine(line.message)))])
    }

    public func decodeLog() throws(DecodeError) -> WorkerLogLine {
        try expect(.log)
        return try JSONPayload.decode(WorkerLogLine.self, from: payload[0])
    }
}
