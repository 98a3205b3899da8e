import Engine
import Media
import MediaBridge
import Protocol

/// The keyframe hand-over's pull on a chunk's last frames (`HoldSpec`): the next chunk's
/// keyframe render, carried back onto each held frame by the flow from the keyframe's input
/// frame (computed directly, not chained), is where that frame starts and what it is held to,
/// in proportion to `HoldSpec.share` and to the flow's reliability. The last frame before the
/// keyframe thus starts at the carried keyframe wherever the flow sees it, and the chain's
/// difference from the next chain is spread over the held frames in equal steps instead of
/// falling between two frames.
struct KeyframeHold {
    let spec: HoldSpec
    /// The keyframe's render as sent, [1, 3, h, w].
    let keyframe: Tensor
    /// The chunk-relative index of the keyframe's input frame (the last input frame).
    let keyframeIndex: Int

    /// How much more the pull weighs than the chain's temporal loss (`--temporal-weight`) at a
    /// share of 1: the held frame must give up its own chain's pattern for the keyframe's,
    /// which the chain's loss toward the frame before resists.
    static let temporalBoost = 4.0

    /// The hold of `chunk`, nil when its TASK has none; throws for a TASK without the render.
    init?(_ chunk: ChunkInput) throws(WorkerError) {
        guard let spec = chunk.spec.hold else { return nil }
        guard let render = chunk.renders.first, chunk.frames.count >= 2 else {
            throw .badTask("a chunk held toward keyframe \(spec.keyframe) carries no keyframe render")
        }
        self.spec = spec
        keyframe = render.tensor
        keyframeIndex = chunk.frames.count - 1
    }

    /// The keyframe carried onto a held frame, and how hard each pixel is pulled to it.
    typealias Pull = (target: Tensor, mask: [Float])

    /// The pull on chunk-relative frame `i`: the carried keyframe and a per-pixel mask (the
    /// flow's reliability times the frame's share); nil for a frame not held.
    func pull(at i: Int, chunk: ChunkInput, motions: ChunkMotions) throws(WorkerError) -> Pull? {
        let share = spec.share(at: chunk.frameIndex(i))
        guard share > 0, i < keyframeIndex else { return nil }
        let motion = try motions.motion(from: keyframeIndex, to: i)
        return (motion.carry(PlanarImage(tensor: keyframe)).tensor, motion.reliability.data.map { $0 * share })
    }
}
