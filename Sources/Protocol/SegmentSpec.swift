/// How a worker encodes its chunk itself (`TaskSpec.segment`): the TASK carries the chunk's
/// input as one compressed clip (the film's own packets, cut without decoding) instead of
/// decoded frames, and the worker answers with one SEGMENT, its styled frames encoded into the
/// segment file the coordinator would otherwise have written. Used for jobs without overlap
/// (nothing to stitch) whose frames are cheap (every method but gatys), so that the
/// coordinator's work per frame is moving compressed bytes.
///
/// The segment is stored whole or not at all: a worker lost mid-chunk costs that chunk.
public struct SegmentSpec: Codable, Sendable, Equatable {
    /// The coordinator's `--height` for the job (nil: the source's size); the worker scales
    /// the clip's frames with it, exactly as the coordinator's reader would.
    public var scaleHeight: Int?
    /// Frames renderStart..<end in the clip's video time base, in order (`VideoClip.pts`).
    public var clipPTS: [Int64]
    /// The same frames' pts in the film's time base: what the segment's frames carry.
    public var outputPTS: [Int64]
    /// The film's video time base and frame rate, numerator and denominator.
    public var timeBase: [Int32]
    public var frameRate: [Int32]
    /// The job's encoder settings (`EncoderOptions`).
    public var crf: Int
    public var preset: String
    public var lossless: Bool
    /// "mkv" or "webm": the segment file's container.
    public var container: String
    /// Size of the clip, the payload frame after the model (or after the styles).
    public var clipBytes: Int
    /// How the clip's pictures turn upright (Media's `Orientation`): mirrored left to right
    /// first when `mirrored`, then turned `rotation` degrees clockwise (0, 90, 180 or 270).
    /// The film's display matrix does not survive the cut into a Matroska clip, so it travels
    /// here; nil (a coordinator from before it did) means upright.
    public var rotation: Int?
    public var mirrored: Bool?
    /// The film's colour, which the segment is converted to and tagged with; nil (a
    /// coordinator from before it did) means BT.709 limited range, what such a coordinator's
    /// own segments carried.
    public var colour: ColourTags?
    /// Whether the segment's first frame follows another segment in the film, and whether
    /// another follows its last: those frames are encoded finer (Media's `SegmentEdges`), so
    /// the join shows no compression step. nil (a coordinator from before it did) means no.
    public var meetsPrevious: Bool?
    public var meetsNext: Bool?
    /// How many quantiser steps finer those frames are (the job's `--join-gain`); nil is Media's default.
    public var joinGain: Int?

    /// Larger than any chunk's clip of a real film (a 4K GOP of a few seconds), small enough
    /// that a hostile TASK cannot make a worker allocate without bound.
    public static let maxClipBytes = 256 << 20

    public init(scaleHeight: Int?, clipPTS: [Int64], outputPTS: [Int64], timeBase: [Int32], frameRate: [Int32],
                crf: Int, preset: String, lossless: Bool, container: String, clipBytes: Int,
                rotation: Int? = nil, mirrored: Bool? = nil, colour: ColourTags? = nil,
                meetsPrevious: Bool? = nil, meetsNext: Bool? = nil, joinGain: Int? = nil) {
        self.scaleHeight = scaleHeight
        self.clipPTS = clipPTS
        self.outputPTS = outputPTS
        self.timeBase = timeBase
        self.frameRate = frameRate
        self.crf = crf
        self.preset = preset
        self.lossless = lossless
        self.container = container
        self.clipBytes = clipBytes
        self.rotation = rotation
        self.mirrored = mirrored
        self.colour = colour
        self.meetsPrevious = meetsPrevious
        self.meetsNext = meetsNext
        self.joinGain = joinGain
    }

    /// Checks what a TASK with `frames` frames to render needs of it.
    func validate(frames: Int) throws(DecodeError) {
        guard clipPTS.count == frames, outputPTS.count == frames else {
            throw .badPayload("task segment lists \(clipPTS.count) clip and \(outputPTS.count) output timestamps for \(frames) frames")
        }
        guard timeBase.count == 2, frameRate.count == 2, (timeBase + frameRate).allSatisfy({ $0 > 0 }) else {
            throw .badPayload("task segment time base \(timeBase) or frame rate \(frameRate) is not two positive numbers")
        }
        guard ["mkv", "webm"].contains(container) else { throw .badPayload("task segment container \(container.prefix(40)) is not mkv or webm") }
        guard (1...Self.maxClipBytes).contains(clipBytes) else {
            throw .badPayload("task clip size \(clipBytes) outside 1...\(Self.maxClipBytes)")
        }
        if let scaleHeight, !(2...Int(FramePayload.maxSide)).contains(scaleHeight) {
            throw .badPayload("task segment height \(scaleHeight) outside 2...\(FramePayload.maxSide)")
        }
        if let rotation, ![0, 90, 180, 270].contains(rotation) {
            throw .badPayload("task segment rotation \(rotation) is not 0, 90, 180 or 270 degrees")
        }
        try colour?.validate()
        if let joinGain, !(0...63).contains(joinGain) { throw .badPayload("task segment join gain \(joinGain) outside 0...63") }
        guard (0...63).contains(crf), !preset.isEmpty, preset.count <= 20 else {
            throw .badPayload("task segment crf \(crf) or preset \(preset.prefix(40)) is out of range")
        }
    }
}
