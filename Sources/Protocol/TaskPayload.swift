/// A TASK's payload split into its parts, after the counts have been checked against the spec.
/// Frames stay LZ4-compressed (`FramePayload`) until the worker needs them, so a long chunk is
/// not held raw in memory all at once.
public struct TaskPayload: Sendable, Equatable {
    public var spec: TaskSpec
    /// `spec.styleCount` style images.
    public var styles: [[UInt8]]
    /// `spec.frameCount` input frames, from `spec.firstInputFrame` to `spec.end`.
    public var frames: [[UInt8]]
    /// The already-styled frame `spec.warmStartFrame`, when there is one.
    public var warmStart: [UInt8]?
    /// The model file's bytes, when `spec.model` is attached.
    public var model: [UInt8]?
    /// The chunk's input as one compressed clip, when `spec.segment` is set (`frames` is then empty).
    public var clip: [UInt8]?
    /// A seam task's renders of the frames it refines (`SeamSpec`), after the warm start; or
    /// the next chunk's keyframe render that a chunk's last frames are held toward (`HoldSpec`).
    public var renders: [[UInt8]]

    public init(spec: TaskSpec, styles: [[UInt8]], frames: [[UInt8]], warmStart: [UInt8]? = nil, model: [UInt8]? = nil,
                clip: [UInt8]? = nil, renders: [[UInt8]] = []) {
        self.spec = spec
        self.styles = styles
        self.frames = frames
        self.warmStart = warmStart
        self.model = model
        self.clip = clip
        self.renders = renders
    }
}

extension TaskSpec {
    /// The first input frame sent. A resumed chunk starts at its warm-start frame, whose input is
    /// needed for the flow to the next frame; a fresh chunk starts at `renderStart`.
    public var firstInputFrame: Int { warmStartFrame ?? renderStart }

    /// The number of input frames a TASK with this spec carries: `end - firstInputFrame` (and
    /// the keyframe's after them with `hold`), or none when a clip carries them (`segment`); a
    /// keyframe task started from the previous keyframe carries that keyframe's and its own.
    public var expectedFrameCount: Int {
        if keyframeFrom != nil { return 2 }
        return segment == nil ? end - firstInputFrame + (hold == nil ? 0 : 1) : 0
    }

    /// The renders a seam task carries, or the keyframe's with `hold` (none for any other task).
    public var expectedRenderCount: Int { seam?.renderCount(firstRefined: firstInputFrame + 1) ?? (hold == nil ? 0 : 1) }

    /// Checks the spec's own consistency; `Message.decodeTask` calls it on every TASK.
    public func validate() throws(DecodeError) {
        guard (1...Int(FramePayload.maxSide)).contains(width), (1...Int(FramePayload.maxSide)).contains(height) else {
            throw .badPayload("task frame size \(width)x\(height) outside 1...\(FramePayload.maxSide)")
        }
        guard 0 <= renderStart, renderStart <= ownStart, ownStart < end else {
            throw .badPayload("task range renderStart \(renderStart), ownStart \(ownStart), end \(end) is not ordered")
        }
        guard styleCount >= 0, styleWeights.count == styleCount else {
            throw .badPayload("task has \(styleCount) styles but \(styleWeights.count) weights")
        }
        if let from = keyframeFrom {
            guard from < renderStart, renderStart == ownStart, end == ownStart + 1, warmStartFrame == from,
                  segment == nil, seam == nil, hold == nil else {
                throw .badPayload("keyframe task \(renderStart)..<\(end) from keyframe \(from) (warm start \(warmStartFrame.map(String.init) ?? "none")) is malformed")
            }
        } else if let warm = warmStartFrame, !(renderStart..<end - 1).contains(warm) {
            throw .badPayload("task warm-start frame \(warm) outside \(renderStart)..<\(end - 1)")
        }
        guard frameCount == expectedFrameCount else {
            throw .badPayload("task carries \(frameCount) input frames, its range needs \(expectedFrameCount)")
        }
        try GatysParameters.check(gatys, of: method, in: "task")
        try ReCoNetParameters.check(reconet, of: method, in: "task")
        try model?.validate()
        if let segment {
            guard warmStartFrame == nil else { throw .badPayload("a task encoded by its worker cannot resume from a warm-start frame") }
            try segment.validate(frames: end - renderStart)
        }
        try seam?.validate(in: self)
        try hold?.validate(in: self)
    }
}
