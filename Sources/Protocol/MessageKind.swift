/// What a message means; the one-byte `kind` field of `MessageHeader`.
///
/// Two channels share the numbering so that a message sent to the wrong endpoint is recognised
/// and rejected rather than misread: the worker channel (values 1-15, coordinator ROUTER <->
/// worker DEALER) and the client channel (values 16-31, coordinator ROUTER on `--control` <->
/// submit/status tool DEALER). "C" is the coordinator, "W" a worker, "T" the client tool.
public enum MessageKind: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    // Worker channel.
    /// W->C: the worker can take `credit` more chunks. Payload: credit (UInt32 LE, 4 bytes),
    /// then a JSON `WorkerHello`.
    case ready = 1
    /// Both ways: a sign of life. No payload.
    case heartbeat = 2
    /// C->W: render a chunk. Payload: JSON `TaskSpec`, then `styleCount` style images and
    /// `frameCount` input frames as `FramePayload`s, then the warm-start frame if the spec has one.
    case task = 3
    /// W->C: one styled frame; header.frame is its absolute index. Payload: one `FramePayload`.
    case result = 4
    /// C->W: the frame header.frame of header.chunk is stored and survives a crash. No payload.
    case ack = 5
    /// W->C: every frame of header.chunk has been sent. No payload.
    case chunkDone = 6
    /// W->C: the worker gave up on header.chunk. Payload: a UTF-8 reason, one line.
    case chunkFailed = 7
    /// C->W: drop header.chunk of header.job (cancelled, paused or reassigned). No payload.
    case cancel = 8
    /// Either side: leaving now; the peer should forget the sender. No payload.
    case bye = 9
    /// W->C: a log line about header.chunk of header.job, shown with the job's events.
    /// Payload: JSON `WorkerLogLine`. Coordinators older than it count it as malformed and drop it.
    case log = 10
    /// W->C: every styled frame of header.chunk, encoded by the worker into one segment file
    /// (the TASK had `segment`); header.frame is the chunk's first frame. Payload: the file.
    /// Answered by ACK with the same frame once the file is on disk.
    case segment = 11

    // Client channel.
    /// T->C: start a job. Payload: JSON `JobRequest`.
    case submit = 16
    /// C->T: the job was queued. Payload: JSON `JobAccepted`.
    case accepted = 17
    /// T->C: ask for the state of header.job, or of all jobs when header.job is 0. No payload.
    case status = 18
    /// C->T: answer to `status`. Payload: JSON array of `JobStatus`.
    case statusReply = 19
    /// T->C: act on header.job. Payload: JSON `ControlRequest`.
    case control = 20
    /// C->T: the job's state after a `control`. Payload: JSON `JobStatus`.
    case controlReply = 21
    /// C->T: the request failed. Payload: a UTF-8 reason, one line.
    case error = 22

    /// How many payload frames a message of this kind may carry; `Message.decode` enforces it.
    public var payloadFrames: ClosedRange<Int> {
        switch self {
        case .ready: 2...2
        case .heartbeat, .ack, .chunkDone, .cancel, .bye, .status: 0...0
        case .task: 1...Message.maxPayloadFrames
        case .result, .chunkFailed, .log, .segment, .submit, .accepted, .statusReply, .control, .controlReply, .error: 1...1
        }
    }

    /// True for the kinds of the client channel (submit tool <-> coordinator).
    public var isClientChannel: Bool { rawValue >= 16 }

    public var description: String {
        switch self {
        case .ready: "READY"
        case .heartbeat: "HEARTBEAT"
        case .task: "TASK"
        case .result: "RESULT"
        case .ack: "ACK"
        case .chunkDone: "CHUNK_DONE"
        case .chunkFailed: "CHUNK_FAILED"
        case .cancel: "CANCEL"
        case .bye: "BYE"
        case .log: "LOG"
        case .segment: "SEGMENT"
        case .submit: "SUBMIT"
        case .accepted: "ACCEPTED"
        case .status: "STATUS"
        case .statusReply: "STATUS_REPLY"
        case .control: "CONTROL"
        case .controlReply: "CONTROL_REPLY"
        case .error: "ERROR"
        }
    }
}
