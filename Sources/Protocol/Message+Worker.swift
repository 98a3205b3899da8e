/// Constructors and typed accessors for the worker channel (coordinator ROUTER <-> worker
/// DEALER). Constructors fill the header so that job, chunk and frame never disagree with the
/// payload; accessors check the kind and decode the payload, throwing `DecodeError`.
extension Message {
    /// W->C: ready for `credit` more chunks.
    public static func ready(credit: UInt32, hello: WorkerHello) -> Message {
        var creditBytes: [UInt8] = []
        creditBytes.appendLittleEndian(credit)
        return Message(.ready, payload: [creditBytes, JSONPayload.encode(hello)])
    }

    public func decodeReady() throws(DecodeError) -> (credit: UInt32, hello: WorkerHello) {
        try expect(.ready)
        guard payload[0].count == 4 else { throw .badPayload("READY credit is \(payload[0].count) bytes, expected 4") }
        return (payload[0].littleEndianUInt32(at: 0), try JSONPayload.decode(WorkerHello.self, from: payload[1]))
    }

    /// Both ways: a sign of life.
    public static func heartbeat() -> Message { Message(.heartbeat) }

    /// C->W: a chunk to render. `styles`, `frames` and `warmStart` are `FramePayload`s whose
    /// counts match the spec, and `model` is there exactly when the spec says it is attached (a
    /// programmer error otherwise). header.frame is the first input frame.
    public static func task(_ payload: TaskPayload) -> Message {
        let spec = payload.spec
        precondition(payload.styles.count == spec.styleCount && payload.frames.count == spec.frameCount
                     && (payload.warmStart == nil) == (spec.warmStartFrame == nil)
                     && (payload.model == nil) == !(spec.model?.attached ?? false)
                     && payload.clip?.count == spec.segment?.clipBytes && payload.renders.count == spec.expectedRenderCount,
                     "TASK payload counts disagree with its spec")
        var frames = [JSONPayload.encode(spec)] + payload.styles
        if let model = payload.model { frames.append(model) }
        if let clip = payload.clip { frames.append(clip) }
        frames += payload.frames
        if let warm = payload.warmStart { frames.append(warm) }
        frames += payload.renders
        return Message(.task, job: spec.job, chunk: spec.chunk, frame: UInt32(clamping: spec.firstInputFrame), payload: frames)
    }

    /// Splits a TASK after checking the spec, that it agrees with the header, and that the
    /// payload holds exactly the frames the spec announces (an attached model of the announced
    /// size). Frames are not decompressed and the model's hash is not checked here.
    public func decodeTask() throws(DecodeError) -> TaskPayload {
        try expect(.task)
        let spec = try JSONPayload.decode(TaskSpec.self, from: payload[0])
        try spec.validate()
        guard spec.job == header.job, spec.chunk == header.chunk else {
            throw .badPayload("task spec names job \(spec.job) chunk \(spec.chunk), header job \(header.job) chunk \(header.chunk)")
        }
        let warmCount = spec.warmStartFrame == nil ? 0 : 1
        let modelCount = spec.model?.attached == true ? 1 : 0
        let clipCount = spec.segment == nil ? 0 : 1
        let expected = 1 + spec.styleCount + modelCount + clipCount + spec.frameCount + warmCount + spec.expectedRenderCount
        guard payload.count == expected else {
            throw .badPayload("task spec announces \(expected) payload frames, message has \(payload.count)")
        }
        let stylesEnd = 1 + spec.styleCount, framesStart = stylesEnd + modelCount + clipCount, framesEnd = framesStart + spec.frameCount
        var model: [UInt8]?
        if modelCount == 1, let reference = spec.model {
            model = payload[stylesEnd]
            guard model!.count == reference.byteCount else {
                throw .badPayload("task model is \(model!.count) bytes, its spec says \(reference.byteCount)")
            }
        }
        var clip: [UInt8]?
        if let segment = spec.segment {
            clip = payload[stylesEnd + modelCount]
            guard clip!.count == segment.clipBytes else {
                throw .badPayload("task clip is \(clip!.count) bytes, its spec says \(segment.clipBytes)")
            }
        }
        return TaskPayload(spec: spec, styles: Array(payload[1..<stylesEnd]), frames: Array(payload[framesStart..<framesEnd]),
                           warmStart: warmCount == 1 ? payload[framesEnd] : nil, model: model, clip: clip,
                           renders: Array(payload[(framesEnd + warmCount)...]))
    }

    /// W->C: styled frame `frame` (absolute index), already encoded with `FramePayload.encode`.
    public static func result(job: UInt32, chunk: UInt32, frame: UInt32, payload: [UInt8]) -> Message {
        Message(.result, job: job, chunk: chunk, frame: frame, payload: [payload])
    }

    /// W->C: styled frame `frame`, encoded here.
    public static func result(job: UInt32, chunk: UInt32, frame: UInt32, width: Int, height: Int, pixels: [UInt8]) -> Message {
        result(job: job, chunk: chunk, frame: frame, payload: FramePayload.encode(width: width, height: height, pixels: pixels))
    }

    /// The decompressed frame of a RESULT; its index is header.frame.
    public func decodeResult() throws(DecodeError) -> (width: Int, height: Int, pixels: [UInt8]) {
        try expect(.result)
        return try FramePayload.decode(payload[0])
    }

    /// W->C: the chunk's styled frames as one encoded segment file (`TaskSpec.segment`);
    /// header.frame is the chunk's first frame, and the ACK names it.
    public static func segment(job: UInt32, chunk: UInt32, firstFrame: UInt32, file: [UInt8]) -> Message {
        Message(.segment, job: job, chunk: chunk, frame: firstFrame, payload: [file])
    }

    /// The segment file of a SEGMENT (not checked as media here).
    public func decodeSegment() throws(DecodeError) -> [UInt8] {
        try expect(.segment)
        guard !payload[0].isEmpty else { throw .badPayload("SEGMENT is empty") }
        return payload[0]
    }

    /// C->W: frame `frame` of the chunk is stored.
    public static func ack(job: UInt32, chunk: UInt32, frame: UInt32) -> Message {
        Message(.ack, job: job, chunk: chunk, frame: frame)
    }

    /// W->C: every frame of the chunk has been sent.
    public static func chunkDone(job: UInt32, chunk: UInt32) -> Message {
        Message(.chunkDone, job: job, chunk: chunk)
    }

    /// W->C: the worker gave up on the chunk; `reason` is flattened to one line.
    public static func chunkFailed(job: UInt32, chunk: UInt32, reason: String) -> Message {
        Message(.chunkFailed, job: job, chunk: chunk, payload: [Array(oneLine(reason).utf8)])
    }

    /// C->W: drop the chunk.
    public static func cancel(job: UInt32, chunk: UInt32) -> Message {
        Message(.cancel, job: job, chunk: chunk)
    }

    /// Either side: leaving.
    public static func bye() -> Message { Message(.bye) }

    /// The UTF-8 reason of CHUNK_FAILED or ERROR.
    public func decodeReason() throws(DecodeError) -> String {
        guard kind == .chunkFailed || kind == .error else { throw .wrongKind(kind, expected: .error) }
        guard let text = String(validating: payload[0], as: UTF8.self) else { throw .badPayload("\(kind) reason is not UTF-8") }
        return text
    }

    /// Throws unless this message is of `expected` kind. Payload counts were checked by `decode`,
    /// but a message built in memory may not have been decoded, so check them here too.
    func expect(_ expected: MessageKind) throws(DecodeError) {
        guard kind == expected else { throw .wrongKind(kind, expected: expected) }
        guard expected.payloadFrames.contains(payload.count) else {
            throw .wrongFrameCount(kind: kind, count: payload.count, expected: expected.payloadFrames)
        }
    }

    /// Reasons travel as one line so that logs and `error:` messages stay one line.
    static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
