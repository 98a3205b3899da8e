import Testing
@testable import Coordinator
import Engine
import Protocol

struct FrameStripTests {
    /// 20 frames in chunks of 8 with overlap 2: own ranges 0-7, 8-15, 16-19.
    let plan = ChunkPlan(frameCount: 20, chunkFrames: 8, overlapFrames: 2)

    @Test func runsFollowEachChunksProgress() {
        let statuses = [
            ChunkStatus(chunk: 0, state: "delivered", framesDelivered: 8, framesTotal: 8),
            ChunkStatus(chunk: 1, state: "rendering", framesDelivered: 5, framesTotal: 10, worker: "w1"), // renders 6...: own 8-10 stored
            ChunkStatus(chunk: 2, state: "queued", framesDelivered: 0, framesTotal: 6, failures: 1),
        ]
        let strip = FrameStrip(chunks: plan.chunks, statuses: statuses, finalFrames: 3, jobState: .running)
        #expect(strip.frameCount == 20)
        #expect(strip.runs == [
            .init(start: 0, count: 3, state: .stitched), .init(start: 3, count: 8, state: .stored),
            .init(start: 11, count: 1, state: .rendering), .init(start: 12, count: 4, state: .queued),
            .init(start: 16, count: 4, state: .failed),
        ])
        #expect(FrameStrip.State.allCases.map { strip.count($0) }.reduce(0, +) == 20)
    }

    @Test func aFailedJobShowsWhatItDidNotDeliverAsFailed() {
        let statuses = plan.chunks.map { ChunkStatus(chunk: $0.index, state: "queued", framesDelivered: 0, framesTotal: $0.renderRange.count) }
        let strip = FrameStrip(chunks: plan.chunks, statuses: statuses, finalFrames: 0, jobState: .failed)
        #expect(strip.runs == [.init(start: 0, count: 20, state: .failed)])
        let done = FrameStrip(chunks: plan.chunks, statuses: statuses, finalFrames: 20, jobState: .done)
        #expect(done.runs == [.init(start: 0, count: 20, state: .stitched)])
    }
}

struct WorkerThroughputTests {
    @Test func rateCountsTheRecentWindowOnly() {
        var rates = WorkerThroughput<String>(window: .seconds(5))
        #expect(rates.rate(of: "a", now: .seconds(1)) == 0)
        for tenth in 0..<20 { rates.record("a", now: .milliseconds(10_000 + tenth * 250)) } // 4 frames/s for 5 s
        #expect(abs(rates.rate(of: "a", now: .milliseconds(14_999)) - 4) < 0.25)
        #expect(rates.rate(of: "a", now: .seconds(30)) == 0)
        rates.remove("a")
        #expect(rates.rate(of: "a", now: .milliseconds(14_999)) == 0)
    }
}
