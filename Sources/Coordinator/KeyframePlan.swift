import Engine

/// The tasks of a job with the keyframe hand-over (`Handover.keyframe`): one keyframe task per
/// chunk, rendering the chunk's first frame on its own, and each chunk's chain, which starts
/// from its keyframe (its warm start) and renders the rest of the chunk, its last frames held
/// toward the next chunk's keyframe (`HoldSpec`).
///
/// A keyframe task is scheduled like a chunk, under an index after the plan's chunks (as a seam
/// task is), so that leases, retries and resumption work the same. The keyframes form a spine:
/// the first starts from its content, each later one from the keyframe before it carried over
/// by the flow (`TaskSpec.keyframeFrom`), so it is queued once that one is stored. Rendered in
/// parallel from their contents, two keyframes disagreed wherever the picture was still (a wall
/// painted twice differs by tens of levels), and the held frames had to cross that gap in a
/// few steps; started from each other, still parts agree and only what moved differs. The
/// spine is serial, one warm-started frame per chunk, which is cheap against the chains it
/// unlocks. A chunk's chain is queued once its own keyframe and the next one (when it holds
/// toward it) are stored. The plan itself has no overlap: every frame is rendered once, the
/// keyframe frames by their keyframe tasks.
struct KeyframePlan: Sendable {
    struct Keyframe: Sendable, Equatable {
        /// The scheduler's chunk index of the keyframe task: the plan's chunk count + the chunk's.
        let index: Int
        /// The chunk whose first frame it is.
        let chunk: ChunkPlan.Chunk
        var frame: Int { chunk.ownStart }
        var range: Range<Int> { frame..<(frame + 1) }
    }

    /// Empty unless the job hands over by keyframes.
    let keyframes: [Keyframe]
    /// Frames at the end of each chunk held toward the next keyframe (`heldFrames(overlap:)`).
    let holdFrames: Int

    /// The frames held for `submit --overlap N`: 2N (each chain's frames at most). The hand-over
    /// renders nothing twice, so its overlap is where the chains meet instead. Spread over more
    /// frames, each step toward the keyframe is smaller; but a held frame is part keyframe
    /// carried (and blurred) by the flow, so it holds less of the painting's texture. On issue
    /// 20's job (chunk 8, overlap 2) holding 4 frames instead of 2 cut the largest hand-over
    /// step's warping error from 2.95x the chains' own to 2.4x and the film's style loss from
    /// 1.089x the old build's to 1.060x; 6 frames gave 1.8x and 1.094x at 160 px, and 1.44x
    /// with 1.40x the style loss at 360 (docs/benchmarks.md, "The keyframe hold").
    static func heldFrames(overlap: Int) -> Int { 2 * overlap }

    var isEnabled: Bool { !keyframes.isEmpty }

    init(plan: ChunkPlan, holdFrames: Int, enabled: Bool) {
        self.holdFrames = holdFrames
        keyframes = enabled ? plan.chunks.map { Keyframe(index: plan.chunks.count + $0.index, chunk: $0) } : []
    }

    func keyframe(index: Int) -> Keyframe? {
        guard let first = keyframes.first, index >= first.index, index - first.index < keyframes.count else { return nil }
        return keyframes[index - first.index]
    }

    /// The keyframe `keyframe` starts from: the one before it, nil for the first.
    func previous(of keyframe: Keyframe) -> Keyframe? {
        let position = keyframe.chunk.index
        return position > 0 && position - 1 < keyframes.count ? keyframes[position - 1] : nil
    }

    /// The keyframe task that renders `frame`, when `frame` is a chunk's first.
    func keyframe(at frame: Int) -> Keyframe? { keyframes.first { $0.frame == frame } }

    /// The frames chunk `chunk`'s chain renders: all of its own but its keyframe (empty for a
    /// chunk of one frame, which its keyframe task renders alone).
    func chainRange(of chunk: ChunkPlan.Chunk) -> Range<Int> { (chunk.ownStart + 1)..<chunk.end }

    /// The next keyframe that chunk `chunk`'s last frames are held toward, and how many frames
    /// are held (at most the chain's frames); nil for the last chunk or without held frames.
    func hold(for chunk: ChunkPlan.Chunk) -> (keyframe: Keyframe, frames: Int)? {
        let frames = min(holdFrames, chainRange(of: chunk).count)
        guard frames > 0, chunk.index + 1 < keyframes.count else { return nil }
        return (keyframes[chunk.index + 1], frames)
    }
}
