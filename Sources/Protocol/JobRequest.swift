/// A job as the submit tool describes it: the payload of SUBMIT (T->C). Paths are as the
/// coordinator sees them (it reads the input and writes the output itself).
public struct JobRequest: Codable, Sendable, Equatable {
    public var input: String
    public var output: String
    public var styles: [String]
    /// One weight per style; empty means equal weights.
    public var styleWeights: [Double]
    public var method: RenderMethod
    /// The settings of a `gatys` job, and only of one (`validate()` checks).
    public var gatys: GatysParameters?
    /// The settings of a `reconet` job (`--stabilize`); nil renders every frame on its own, and
    /// is what requests from older tools decode to.
    public var reconet: ReCoNetParameters?
    /// The ReCoNet model file of a `reconet` job, or the one whose renders start a `gatys` job's
    /// chunks (`GatysParameters.startModel`), as the coordinator sees it.
    public var model: String?
    /// Output height in pixels (width follows the aspect ratio); nil keeps the input's.
    public var height: Int?
    /// First input frame to render.
    public var start: Int
    /// Number of frames to render; nil renders to the end.
    public var frames: Int?
    /// Frames per chunk.
    public var chunk: Int
    /// Frames rendered twice at each chunk boundary, for stitching; with the keyframe hand-over,
    /// the chunk's last frames held toward the next keyframe instead (`HoldSpec`).
    public var overlap: Int
    /// Encoder settings for the output (x264/x265 CRF and preset, or lossless).
    public var crf: Int
    public var preset: String
    public var lossless: Bool
    /// Queue priority: a job with a higher one gets workers first (default 0); optional so
    /// that requests from older tools still decode.
    public var priority: Int?
    /// Frames after each overlap the stitch goes on carrying the earlier chain into (the seam
    /// tail, `Stitcher`); nil is none. Optional so that requests from older tools still decode.
    public var seamTail: Int?
    /// True when each boundary's overlap and tail frames are re-optimised by a seam task
    /// (`SeamSpec`, `submit --seam-refine`); nil is false, so older requests decode.
    public var seamRefine: Bool?
    /// The frame rate of an image-sequence input (`submit --fps`), as FFmpeg reads a rate:
    /// `24`, `30000/1001`, `23.976`. Nil for a film, which carries its own; a sequence's files
    /// carry none, so a sequence job must give one. Optional so that older requests decode.
    public var fps: String?
    /// How chains hand over between chunks (`submit --handover`); nil is `stitch`, so that
    /// older requests decode and run as they did.
    public var handover: Handover?
    /// Quantiser steps finer at the frames where two chunks' segments meet (`submit --join-gain`,
    /// Media's `SegmentEdges`); nil is the default, so that older requests decode.
    public var joinGain: Int?

    public init(input: String, output: String, styles: [String], styleWeights: [Double] = [], method: RenderMethod,
                gatys: GatysParameters? = nil, model: String? = nil, height: Int? = nil, start: Int = 0, frames: Int? = nil,
                chunk: Int, overlap: Int, crf: Int, preset: String, lossless: Bool = false, priority: Int? = nil,
                seamTail: Int? = nil, seamRefine: Bool? = nil, fps: String? = nil, handover: Handover? = nil,
                reconet: ReCoNetParameters? = nil, joinGain: Int? = nil) {
        self.handover = handover
        self.joinGain = joinGain
        self.reconet = reconet
        self.seamRefine = seamRefine
        self.fps = fps
        self.priority = priority
        self.seamTail = seamTail
        self.input = input
        self.output = output
        self.styles = styles
        self.styleWeights = styleWeights
        self.method = method
        self.gatys = gatys
        self.model = model
        self.height = height
        self.start = start
        self.frames = frames
        self.chunk = chunk
        self.overlap = overlap
        self.crf = crf
        self.preset = preset
        self.lossless = lossless
    }
}

extension JobRequest {
    /// Checks that the method's settings are the method's own; the decoder of SUBMIT calls it,
    /// `SubmitOptions` has checked the same before sending.
    public func validate() throws(DecodeError) {
        try GatysParameters.check(gatys, of: method, in: "job")
        try ReCoNetParameters.check(reconet, of: method, in: "job")
        // A gatys job's model starts its chunks (a chained render's first frames) and nothing else.
        if method == .reconet && model == nil { throw .badPayload("a reconet job names no model") }
        if model != nil && !(method == .reconet || method == .gatys && gatys?.start == nil && gatys?.startModel == true) {
            throw .badPayload("a \(method) job names a model" + (method == .gatys ? " but renders no chain or refuses one" : ""))
        }
        if handover == .keyframe && (method != .gatys || seamRefine == true || seamTail != nil) {
            throw .badPayload("the keyframe hand-over is for method gatys, without seam tasks or a seam tail")
        }
        if let joinGain, !(0...63).contains(joinGain) { throw .badPayload("job join gain \(joinGain) outside 0...63") }
    }
}
