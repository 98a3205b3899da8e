import Engine
import Media
import MediaBridge

/// Walks the output in order and produces each final frame from its renders, remembering the
/// last final frame so that an overlap can be stitched in time (`Stitcher.stitch`).
///
/// The motion between frames comes from the *input* film, read here through its own forward
/// reader (`inputFrame`), so the stitcher needs nothing from the task path and works the same
/// after a restart. Frames outside overlaps cost nothing but a copy of the last final frame;
/// overlap and seam-tail frames cost two flows. Where the two renders are identical (method `copy`) no flow is
/// computed and the frame is passed through.
final class SeamStitcher {
    /// The input frame at a relative index, at the job's size.
    private let inputFrame: (Int) throws -> RGBImage
    private let flow: DISFlow
    private var previous: (frame: Int, pixels: [UInt8])?
    /// True while a hand-over between two chains that differ is under way: the overlap's renders
    /// differed, so its seam tail (if any) goes on carrying. Never for `copy`, whose tail frames
    /// are therefore passed through exactly like the rest.
    private var handingOver = false

    init(flow: DISFlow = DISFlow(preset: .fast), inputFrame: @escaping (Int) throws -> RGBImage) {
        self.flow = flow
        self.inputFrame = inputFrame
    }

    /// The final frame `frame` from its renders: one, or, inside an overlap, the earlier and the
    /// later chunk's (in that order) with the frame's `position` in an overlap of `overlapLength`
    /// (`position` counts from the later chunk's first rendered frame). A single render at a
    /// position below overlapLength + `tail` is a frame of the seam tail.
    func final(frame: Int, renders: [[UInt8]], position: Int = 0, overlapLength: Int = 0, tail: Int = 0) throws -> [UInt8] {
        precondition(renders.count == 1 || renders.count == 2)
        let result: [UInt8]
        let inTail = renders.count == 1 && overlapLength > 0 && position >= overlapLength && position < overlapLength + tail
        if renders.count == 2 && renders[0] != renders[1] {
            handingOver = true
            if let carried = try carriedPrevious(to: frame) {
                result = Stitcher.stitch(earlier: renders[0], later: renders[1], carried: carried.image, reliability: carried.reliability,
                                         position: position, overlapLength: overlapLength, tail: tail)
            } else {
                // No stitched predecessor (the film's first frame, or a restart): the plain ramp.
                result = Stitcher.blend(earlier: renders[0], later: renders[1], position: position, overlapLength: overlapLength)
            }
        } else if inTail && handingOver, let carried = try carriedPrevious(to: frame) {
            result = Stitcher.stitchTail(later: renders[0], carried: carried.image, reliability: carried.reliability,
                                         position: position, overlapLength: overlapLength, tail: tail)
        } else {
            if !inTail { handingOver = false }
            result = renders[renders.count - 1]
        }
        previous = (frame, result)
        return result
    }

    /// The last final frame carried onto `frame` along the input's flow, with the flow's
    /// reliability; nil when the last final frame is not `frame - 1`.
    private func carriedPrevious(to frame: Int) throws -> (image: PlanarImage, reliability: [Float])? {
        guard let previous, previous.frame == frame - 1 else { return nil }
        let before = try inputFrame(frame - 1), now = try inputFrame(frame)
        let motion = try FrameMotion(previous: before.planar, current: now.planar, flow: flow)
        return (motion.carry(RGBImage(width: now.width, height: now.height, pixels: previous.pixels).planar), motion.reliability.data)
    }
}
