import Testing
import Engine

@Suite struct ChunkPlanTests {
    @Test func ownRangesTileTheFilmAndOverlapsPrecedeEachChunk() {
        let plan = ChunkPlan(frameCount: 100, chunkFrames: 32, overlapFrames: 4)
        #expect(plan.chunks.map(\.ownStart) == [0, 32, 64, 96])
        #expect(plan.chunks.last?.end == 100)
        #expect(plan.chunks[0].renderStart == 0)
        #expect(plan.chunks[1].renderStart == 28)
        #expect(plan.chunks(rendering: 30).map(\.index) == [0, 1])
        #expect(plan.chunks(rendering: 40).map(\.index) == [1])
        for frame in 0..<100 { #expect(plan.chunks.filter { $0.ownRange.contains(frame) }.count == 1) }
    }

    @Test func emptyFilmHasNoChunksAndOverlapIsClamped() {
        #expect(ChunkPlan(frameCount: 0).chunks.isEmpty)
        #expect(ChunkPlan(frameCount: 10, chunkFrames: 3, overlapFrames: 9).overlapFrames == 2)
    }
}
