/// Constructors and typed accessors for the client channel (submit/status tool DEALER <->
/// coordinator ROUTER on `--control`). The tool sends one request and waits for its reply.
extension Message {
    /// T->C: start a job.
    public static func submit(_ request: JobRequest) -> Message {
        Message(.submit, payload: [JSONPayload.encode(request)])
    }

    public func decodeSubmit() throws(DecodeError) -> JobRequest {
        try expect(.submit)
        let request = try JSONPayload.decode(JobRequest.self, from: payload[0])
        try request.validate()
        return request
    }

    /// C->T: the job was queued as `job`.
    public static func accepted(job: UInt32) -> Message {
        Message(.accepted, job: job, payload: [JSONPayload.encode(JobAccepted(job: job))])
    }

    public func decodeAccepted() throws(DecodeError) -> JobAccepted {
        try expect(.accepted)
        return try JSONPayload.decode(JobAccepted.self, from: payload[0])
    }

    /// T->C: ask for one job's state, or every job's when `job` is 0.
    public static func status(job: UInt32 = 0) -> Message { Message(.status, job: job) }

    /// C->T: the state of the jobs asked for.
    public static func statusReply(_ jobs: [JobStatus]) -> Message {
        Message(.statusReply, payload: [JSONPayload.encode(jobs)])
    }

    public func decodeStatusReply() throws(DecodeError) -> [JobStatus] {
        try expect(.statusReply)
        return try JSONPayload.decode([JobStatus].self, from: payload[0])
    }

    /// T->C: cancel, pause, resume or retry `job`.
    public static func control(job: UInt32, action: ControlRequest.Action, priority: Int? = nil) -> Message {
        Message(.control, job: job, payload: [JSONPayload.encode(ControlRequest(action: action, priority: priority))])
    }

    public func decodeControl() throws(DecodeError) -> ControlRequest {
        try expect(.control)
        return try JSONPayload.decode(ControlRequest.self, from: payload[0])
    }

    /// C->T: the job's state after a control action.
    public static func controlReply(_ status: JobStatus) -> Message {
        Message(.controlReply, job: status.job, payload: [JSONPayload.encode(status)])
    }

    public func decodeControlReply() throws(DecodeError) -> JobStatus {
        try expect(.controlReply)
        return try JSONPayload.decode(JobStatus.self, from: payload[0])
    }

    /// C->T: the request failed; `reason` is flattened to one line. Read it with `decodeReason()`.
    public static func error(_ reason: String, job: UInt32 = 0) -> Message {
        Message(.error, job: job, payload: [Array(oneLine(reason).utf8)])
    }
}
