/// What a worker must render for one chunk: the first payload frame of TASK (C->W).
///
/// Frame indices are absolute in the input film. The worker renders [renderStart, end) and sends
/// RESULT for every frame in [ownStart, end) plus the overlap [renderStart, ownStart) that the
/// stitcher blends. The TASK's remaining payload frames are `styleCount` style images, then the
/// model file's bytes when `model` is attached, then `frameCount` input frames starting at
/// renderStart (or at `warmStartFrame`), then the warm-start frame if there is one; images and
/// frames as `FramePayload`s, then a seam task's renders (`seam`) or the next keyframe's render
/// (`hold`). With `segment`, one clip replaces the input frames.
///
/// A keyframe task (`Handover.keyframe`) is a TASK of one frame, a chunk's first: its chunk index
/// follows the plan's chunks (and seams), as a seam task's does. The first keyframe starts from
/// its content; every later one from the keyframe before it (`keyframeFrom`), whose input frame
/// comes first and whose render is the warm start.
public struct TaskSpec: Codable, Sendable, Equatable {
    public var job: UInt32
    public var chunk: UInt32
    /// First frame rendered: ownStart minus the overlap (equal to ownStart for the first chunk).
    public var renderStart: Int
    /// First frame this chunk owns; frames before it are overlap.
    public var ownStart: Int
    /// One past the last frame rendered.
    public var end: Int
    /// Output size in pixels; input frames arrive already scaled to it.
    public var width: Int
    public var height: Int
    public var method: RenderMethod
    /// The settings of a `gatys` TASK, and only of one (`validate()` checks).
    public var gatys: GatysParameters?
    /// The settings of a `reconet` TASK (`--stabilize`); nil renders every frame on its own.
    public var reconet: ReCoNetParameters?
    public var styleCount: Int
    /// One weight per style image.
    public var styleWeights: [Double]
    /// Number of input frame payloads that follow the style images.
    public var frameCount: Int
    /// Absolute index of an already-styled frame sent as the last payload, when the chunk resumes
    /// after its previous worker died: rendering continues after it, warm-started from it.
    public var warmStartFrame: Int?
    /// The network of a `reconet` TASK (nil for every other method).
    public var model: ModelReference?
    /// Set when the worker encodes the chunk itself: the input is one clip (and `frameCount`
    /// is 0), the answer one SEGMENT. See `SegmentSpec`.
    public var segment: SegmentSpec?
    /// Set for a seam task: the boundary frames to refine and the renders attached (`SeamSpec`).
    public var seam: SeamSpec?
    /// Set for a chunk of a keyframe job that has a next chunk: its last frames are held toward
    /// the next chunk's keyframe, whose input frame and render are attached (`HoldSpec`).
    public var hold: HoldSpec?
    /// Set for a keyframe task that starts from the previous keyframe: that keyframe's absolute
    /// frame (also `warmStartFrame`). The TASK carries two input frames, that keyframe's and
    /// its own (`renderStart`, the one frame rendered), and that keyframe's render as the warm
    /// start; the flow between the two carries the render over.
    public var keyframeFrom: Int?

    public init(job: UInt32, chunk: UInt32, renderStart: Int, ownStart: Int, end: Int, width: Int, height: Int,
                method: RenderMethod, gatys: GatysParameters? = nil, styleCount: Int, styleWeights: [Double],
                frameCount: Int, warmStartFrame: Int? = nil, model: ModelReference? = nil, segment: SegmentSpec? = nil,
                seam: SeamSpec? = nil, hold: HoldSpec? = nil, reconet: ReCoNetParameters? = nil, keyframeFrom: Int? = nil) {
        self.job = job
        self.chunk = chunk
        self.renderStart = renderStart
        self.ownStart = ownStart
        self.end = end
        self.width = width
        self.height = height
        self.method = method
        self.gatys = gatys
        self.reconet = reconet
        self.styleCount = styleCount
        self.styleWeights = styleWeights
        self.frameCount = frameCount
        self.warmStartFrame = warmStartFrame
        self.model = model
        self.segment = segment
        self.seam = seam
        self.hold = hold
        self.keyframeFrom = keyframeFrom
    }
}
