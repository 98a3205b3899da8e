import Engine
import Media
import MediaBridge
import Protocol

/// The keyframe hand-over's pull on a chunk's last frames (`HoldSpec`): the next chunk's
/// keyframe render, carried back onto each held frame, is where that frame starts and what it is
/// held to, in proportion to `HoldSpec.share`; its render is then faded that share of the way
/// toward it (`TextureCrossFade`). The last frame before the keyframe is the carried keyframe,
/// and the chain's difference from the next chain is spread over the held frames in equal steps
/// instead of falling between two frames.
///
/// How the keyframe is carried and where it pulls, measured on issue 20's job (docs/benchmarks.md,
/// "The keyframe hold"): it is carried back one frame at a time along the chain's own flows, so
/// that consecutive held frames are pulled toward pictures that agree with each other (carried
/// directly over several frames, each held frame met the keyframe's strokes somewhere else);
/// and it pulls every pixel by the frame's share, the flow's unreliable ones too (11 % of the
/// frame there, mostly motion-boundary flags), which otherwise kept the chain's paint to the
/// last held frame and jumped at the keyframe.
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

    /// The keyframe carried onto a held frame, and the frame's share (0...1) of the way to it.
    typealias Pull = (target: Tensor, share: Float)

    /// The pulls of every held frame, by chunk-relative index.
    func pulls(chunk: ChunkInput, motions: ChunkMotions) throws(WorkerError) -> [Int: Pull] {
        var out: [Int: Pull] = [:]
        var carried = PlanarImage(tensor: keyframe)
        var i = keyframeIndex - 1
        while i >= 0 {
            let share = spec.share(at: chunk.frameIndex(i))
            guard share > 0 else { break }
            // The chain's motion from frame i to i + 1 (the one its warm start uses): its forward
            // flow, on frame i's grid, points into frame i + 1, so it carries i + 1's picture onto i.
            let motion = try motions.motion(from: i, to: i + 1)
            carried = Warp.backward(carried, by: motion.forward)
            out[i] = (carried.tensor, share)
            i -= 1
        }
        return out
    }

    /// `image` faded `pull.share` of the way toward the carried keyframe.
    static func faded(_ image: Tensor, toward pull: Pull) -> Tensor {
        let plane = image.shape[2] * image.shape[3]
        return TextureCrossFade.fade(image, toward: pull.target, weight: Array(repeating: pull.share, count: plane),
                                     sigma: TextureCrossFade.sigma(forWidth: image.shape[3]))
    }
}
