import Engine
import Media
import MediaBridge
import Protocol

/// The keyframe hand-over's pull on a chunk's last frames (`HoldSpec`): the next chunk's
/// keyframe render, carried back onto each held frame, pulls that frame 1/d of the way that is
/// left, d frames before the keyframe: its start is faded that fraction toward it, a temporal
/// loss holds the render to it with the weight at which the pull and the chain's own temporal
/// loss balance at that fraction, and the render is faded that fraction again
/// (`TextureCrossFade`). The last held frame (d = 1) is the carried keyframe, and the chain's
/// difference from the next chain is spread over the held frames instead of falling between two.
///
/// The fraction of what is left, not a share of the whole: the share (1/N, 2/N, ... of the whole
/// way, applied to a frame that had already moved) front-loaded the walk. On issue 20's 160 px
/// job the first two held steps were 1.65x the chunk's own mean pair and the third 0.8x; with
/// 1/d they are 1.48x, 1.1x, 1.15x, 1.3x (docs/benchmarks.md, "The hold's fraction").
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

    /// The pull's weight relative to the chain's temporal loss (`--temporal-weight`) for a frame
    /// pulled `fraction` of the remaining way: f / (1 - f), where the two quadratic losses
    /// balance at f. The last held frame (f = 1) is the carried keyframe and is not optimised
    /// (`GatysChunkRenderer`), so its weight only needs to be strong.
    static func pullWeight(fraction: Float) -> Double {
        fraction < 1 ? Double(fraction / (1 - fraction)) : 4
    }

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

    /// The keyframe carried onto a held frame, and the fraction (0...1] of the remaining way to
    /// it that the frame moves: 1/d, d frames before the keyframe.
    typealias Pull = (target: Tensor, fraction: Float)

    /// The pulls of every held frame, by chunk-relative index.
    func pulls(chunk: ChunkInput, motions: ChunkMotions) throws(WorkerError) -> [Int: Pull] {
        var out: [Int: Pull] = [:]
        var carried = PlanarImage(tensor: keyframe)
        var i = keyframeIndex - 1
        while i >= 0 {
            let fraction = spec.fraction(at: chunk.frameIndex(i))
            guard fraction > 0 else { break }
            // The chain's motion from frame i to i + 1 (the one its warm start uses): its forward
            // flow, on frame i's grid, points into frame i + 1, so it carries i + 1's picture onto i.
            let motion = try motions.motion(from: i, to: i + 1)
            carried = Warp.backward(carried, by: motion.forward)
            out[i] = (carried.tensor, fraction)
            i -= 1
        }
        return out
    }

    /// `image` faded `pull.fraction` of the way toward the carried keyframe.
    static func faded(_ image: Tensor, toward pull: Pull) -> Tensor {
        let plane = image.shape[2] * image.shape[3]
        return TextureCrossFade.fade(image, toward: pull.target, weight: Array(repeating: pull.fraction, count: plane),
                                     sigma: TextureCrossFade.sigma(forWidth: image.shape[3]))
    }
}
