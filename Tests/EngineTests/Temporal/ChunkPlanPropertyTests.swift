import Testing
import Engine

@Suite struct ChunkPlanPropertyTests {
    /// For random film lengths, chunk sizes and overlaps: own ranges tile the film in order, each
    /// chunk after the first renders exactly `overlap` frames before its own (fewer only at the
    /// film's start), and every frame is rendered by one chunk or, inside an overlap, by two.
    @Test func randomPlansTileTheFilmWithBoundedOverlaps() {
        var rng = SplitMix64(seed: 2024)
        for _ in 0..<200 {
            let frames = Int(rng.next() % 300), chunk = 1 + Int(rng.next() % 40), overlap = Int(rng.next() % 12)
            let plan = ChunkPlan(frameCount: frames, chunkFrames: chunk, overlapFrames: overlap)
            #expect(plan.overlapFrames == min(overlap, chunk - 1))
            var next = 0
            for c in plan.chunks {
                #expect(c.ownStart == next && c.end > c.ownStart && c.ownRange.count <= chunk)
                #expect(c.renderStart == (c.index == 0 ? 0 : max(0, c.ownStart - plan.overlapFrames)))
                next = c.end
            }
            #expect(next == frames)
            for frame in 0..<frames {
                let covering = plan.chunks(rendering: frame)
                #expect((1...2).contains(covering.count))
                if covering.count == 2 { #expect(covering[1].overlapRange.contains(frame)) }
            }
        }
    }
}
