import Engine
import Media

/// Walks the output in order and produces each final frame from its renders, remembering the
/// last final frame so that an overlap can be stitched in time (`Stitcher.stitch`).
///
/// The motion between frames comes from the *input* film, read here through its own forward
/// reader (`inputFrame`), so the stitcher needs nothing from the task path and works the same
/// after a restart. Frames outside overlaps cost nothing but a copy of the last final frame;
/// overlap frames cost two flows. Where the two renders are identical (method `copy`) no flow is
/// computed and the frame is passed through.
final class SeamStitcher {
    /// The input frame at a relative index, at the job's size.
    private let inputFrame: (Int) throws -> RGBImage
    private let flow: DISFlow
    private var previous: (frame: Int, pixels: [UInt8])?

    init(flow: DISFlow = DISFlow(preset: .fast), inputFrame: @escaping (Int) throws -> RGBImage) {
        self.flow = flow
        self.inputFrame = inputFrame
    }

    /// The final frame `frame` from its renders: one, or, inside an overlap, the earlier and the
    /// later chunk's (in that order) with the frame's `position` in an overlap of `overlapLength`.
    func final(frame: Int, renders: [[UInt8]], position: Int = 0, overlapLength: Int = 0) throws -> [UInt8] {
        precondition(renders.count == 1 || renders.count == 2)
        let result: [UInt8]
        if renders.count == 1 || renders[0] == renders[1] {
            result = renders[renders.count - 1]
        } else if let previous, previous.frame == frame - 1 {
            let before = try inputFrame(frame - 1), now = try inputFrame(frame)
            let motion = try FrameMotion(previous: PlanarImage(packedRGB: before.pixels, width: before.width, height: before.height),
                                         current: PlanarImage(packedRGB: now.pixels, width: now.width, height: now.height), flow: flow)
            let carried = motion.carry(PlanarImage(packedRGB: previous.pixels, width: now.width, height: now.height))
            result = Stitcher.stitch(earlier: renders[0], later: renders[1], carried: carried, reliability: motion.reliability.data,
                                     position: position, overlapLength: overlapLength)
        } else {
            // No stitched predecessor (the film's first frame): the plain ramp.
            result = Stitcher.blend(earlier: renders[0], later: renders[1], position: position, overlapLength: overlapLength)
        }
        previous = (frame, result)
        return result
    }
}
