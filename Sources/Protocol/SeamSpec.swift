/// A seam task (`TaskSpec.seam`, `submit --seam-refine`): once both chunks of a boundary have
/// rendered it, any free worker re-renders the boundary's overlap and seam-tail frames. It
/// stitches them as the coordinator would (`Stitcher`), then re-optimises each one from that
/// stitch with temporal losses toward both neighbours: the frame before (refined), and the
/// stitched frame after it or, for the last, the later chunk's render of the frame after the
/// seam (the anchor the seam must arrive at).
///
/// The TASK's range: `renderStart` is the frame before the seam, whose final frame is the warm
/// start; results are sent for `ownStart..<seamEnd`; `end` is one past the last input frame
/// (the anchor's, when there is one). After the input frames and the warm start come the
/// renders: for each frame from the first refined one to `seamEnd`, the earlier chunk's render
/// and then the later chunk's inside the overlap, the later chunk's alone in the tail; then
/// the anchor's later render.
public struct SeamSpec: Codable, Sendable, Equatable {
    /// The later chunk's first rendered and first own frame: the overlap is between them.
    public var laterRenderStart: Int
    public var laterOwnStart: Int
    /// Frames of the hand-over after the overlap (`submit --seam-tail`).
    public var tail: Int
    /// One past the last refined frame.
    public var seamEnd: Int
    /// True when the frame `seamEnd` (the later chunk's, after the seam) is attached as anchor.
    public var anchored: Bool

    public init(laterRenderStart: Int, laterOwnStart: Int, tail: Int, seamEnd: Int, anchored: Bool) {
        self.laterRenderStart = laterRenderStart
        self.laterOwnStart = laterOwnStart
        self.tail = tail
        self.seamEnd = seamEnd
        self.anchored = anchored
    }

    /// How many renders a TASK refining `firstRefined..<seamEnd` carries.
    public func renderCount(firstRefined: Int) -> Int {
        let frames = (firstRefined..<max(firstRefined, seamEnd)).reduce(0) { $0 + ($1 < laterOwnStart ? 2 : 1) }
        return frames + (anchored ? 1 : 0)
    }

    /// Checks the seam against its TASK's range.
    func validate(in spec: TaskSpec) throws(DecodeError) {
        guard spec.warmStartFrame != nil, spec.segment == nil else {
            throw .badPayload("a seam task needs a warm-start frame and no segment")
        }
        guard laterRenderStart < laterOwnStart, laterRenderStart == spec.ownStart, tail >= 0,
              laterOwnStart + tail >= seamEnd, seamEnd > spec.ownStart, seamEnd + (anchored ? 1 : 0) == spec.end else {
            throw .badPayload("seam \(laterRenderStart)..<\(laterOwnStart) tail \(tail) end \(seamEnd) does not fit task range \(spec.ownStart)..<\(spec.end)")
        }
    }
}
