import Engine

/// The seam tasks of a job with `--seam-refine`: one per chunk boundary, re-rendering the
/// boundary's overlap and seam-tail frames once both chunks have rendered them (`SeamSpec`).
///
/// A seam is scheduled like a chunk, under an index after the plan's chunks, so that leases,
/// resumption from its first missing frame and retries work the same; its results are the
/// final frames of its range, which the assembler then takes as they are.
struct SeamPlan: Sendable {
    struct Seam: Sendable, Equatable {
        /// The scheduler's chunk index of the seam task: the plan's chunk count + the boundary's number.
        let index: Int
        let earlier: ChunkPlan.Chunk
        let later: ChunkPlan.Chunk
        /// Relative frames refined: the later chunk's overlap and the tail after it.
        let range: Range<Int>
        /// The later chunk's frame after the seam, which the seam must arrive at; nil when the
        /// seam runs to the later chunk's end.
        var anchor: Int? { range.upperBound < later.end ? range.upperBound : nil }
    }

    let seams: [Seam]

    init(plan: ChunkPlan, tail: Int, enabled: Bool) {
        guard enabled else { seams = []; return }
        var seams: [Seam] = []
        for later in plan.chunks where later.renderStart < later.ownStart && later.index > 0 {
            let range = later.renderStart..<min(later.ownStart + tail, later.end)
            seams.append(Seam(index: plan.chunks.count + seams.count, earlier: plan.chunks[later.index - 1], later: later, range: range))
        }
        self.seams = seams
    }

    func seam(index: Int) -> Seam? { seams.first { $0.index == index } }
    func seam(containing frame: Int) -> Seam? { seams.first { $0.range.contains(frame) } }
}
