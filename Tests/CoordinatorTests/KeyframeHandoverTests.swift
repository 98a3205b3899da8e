import Engine
import Foundation
import Protocol
import Testing
@testable import Coordinator

/// The keyframe hand-over on the coordinator (`KeyframePlan`): keyframe tasks first, each chain
/// once its keyframes are stored, every frame rendered once, and a job taken up after a restart
/// going on from what was stored.
@Suite struct KeyframeHandoverTests {
    /// A TASK as the worker would decode it.
    static func task(_ runner: JobRunner, _ index: Int, from first: Int) throws -> TaskPayload {
        let range = runner.renderRange(of: index)!
        let assignment = Scheduler.Assignment(worker: WorkerID(Array("a".utf8)), chunk: .init(job: runner.id, chunk: index),
                                              firstFrame: first, range: range)
        return try runner.task(for: assignment).message.decodeTask()
    }

    @Test func planHasOneKeyframeTaskPerChunkAfterTheChunksAndNoOverlap() {
        let plan = ChunkPlan(frameCount: 10, chunkFrames: 4, overlapFrames: 0)
        let keyframes = KeyframePlan(plan: plan, holdFrames: 5, enabled: true)
        #expect(keyframes.keyframes.map(\.index) == [3, 4, 5])
        #expect(keyframes.keyframes.map(\.frame) == [0, 4, 8])
        #expect(keyframes.keyframe(index: 4)?.frame == 4 && keyframes.keyframe(index: 2) == nil && keyframes.keyframe(index: 6) == nil)
        #expect(keyframes.keyframe(at: 8)?.index == 5 && keyframes.keyframe(at: 7) == nil)
        #expect(plan.chunks.map { keyframes.chainRange(of: $0) } == [1..<4, 5..<8, 9..<10])
        // Held frames are at most the chain's; the last chunk holds toward nothing.
        #expect(keyframes.hold(for: plan.chunks[0])?.keyframe.frame == 4 && keyframes.hold(for: plan.chunks[0])?.frames == 3)
        #expect(keyframes.hold(for: plan.chunks[2]) == nil)
        #expect(KeyframePlan(plan: plan, holdFrames: 0, enabled: true).hold(for: plan.chunks[0]) == nil)
        #expect(!KeyframePlan(plan: plan, holdFrames: 2, enabled: false).isEnabled)
    }

    @Test func keyframesGoFirstAndEachChainWaitsForItsKeyframes() throws {
        let fixture = try RunnerFixture(frames: 16, chunk: 4, overlap: 2, method: .gatys, handover: .keyframe)
        defer { fixture.remove() }
        let runner = fixture.runner
        #expect(runner.plan.overlapFrames == 0 && runner.chunkRanges.isEmpty)
        #expect(runner.rendersTotal == 16)   // every frame once: 4 keyframes, 4 chains of 3
        // The spine: each keyframe starts from the one before, so it waits until that one is stored.
        #expect(runner.readyKeyframeTasks().map(\.index) == [4])
        #expect(runner.readyKeyframeTasks().isEmpty)   // each handed out once
        try fixture.deliver(4, value: 10)
        #expect(runner.readyKeyframeTasks().map(\.index) == [5])   // chain 0 also waits for keyframe 1, which it is held toward
        try fixture.deliver(5, value: 20)
        #expect(runner.readyKeyframeTasks().map(\.index) == [6, 0])
        try fixture.deliver(6, value: 30)
        #expect(runner.readyKeyframeTasks().map(\.index) == [7, 1])
        try fixture.deliver(7, value: 40)
        #expect(runner.readyKeyframeTasks().map(\.range) == [9..<12, 13..<16])
        #expect(runner.featuresNeeded(chunk: 0) == [WorkerHello.Feature.keyframeHold])
        #expect(runner.featuresNeeded(chunk: 3).isEmpty && runner.featuresNeeded(chunk: 4).isEmpty)
        #expect(runner.featuresNeeded(chunk: 5) == [WorkerHello.Feature.keyframeChain])

        // The first keyframe task: its frame alone, no warm start.
        let first = try Self.task(runner, 4, from: 0)
        #expect(first.spec.renderStart == 0 && first.spec.end == 1 && first.frames.count == 1 && first.warmStart == nil)
        #expect(first.spec.keyframeFrom == nil && first.spec.hold == nil)
        // A later one: the keyframe before it (input and render), then its own frame.
        let key = try Self.task(runner, 5, from: 4)
        #expect(key.spec.renderStart == 4 && key.spec.ownStart == 4 && key.spec.end == 5 && key.spec.hold == nil)
        #expect(key.spec.keyframeFrom == 0 && key.spec.warmStartFrame == 0)
        #expect(key.frames.count == 2 && key.warmStart == RunnerFixture.payload(10))
        #expect(throws: Never.self) { try key.spec.validate() }
        // Chain 1: warm-started from keyframe 1, its frames and keyframe 2's input, held toward keyframe 2's render.
        let chain = try Self.task(runner, 1, from: 5)
        #expect(chain.spec.warmStartFrame == 4 && chain.spec.renderStart == 4 && chain.spec.ownStart == 5 && chain.spec.end == 8)
        #expect(chain.spec.hold == HoldSpec(keyframe: 8, frames: 3))
        #expect(chain.frames.count == 5)   // 4 (warm start) ... 8 (the keyframe held toward)
        #expect(chain.warmStart == RunnerFixture.payload(20) && chain.renders == [RunnerFixture.payload(30)])
        // The last chain holds toward nothing.
        let last = try Self.task(runner, 3, from: 13)
        #expect(last.spec.hold == nil && last.frames.count == 4 && last.renders.isEmpty)
    }

    @Test func eachFrameComesFromItsOneRenderAndTheWorkCountsEveryRender() throws {
        let fixture = try RunnerFixture(frames: 10, chunk: 4, overlap: 2, method: .gatys, handover: .keyframe)
        defer { fixture.remove() }
        let runner = fixture.runner
        var driver = FarmDriver(fixture)
        var done: [Int] = []
        try driver.run(fixture, budget: .max, rendered: { done.append(runner.rendersDone) })
        #expect(runner.isComplete)
        #expect(done == Array(1...10))
        #expect(runner.journal.stored.isEmpty)   // every render, keyframes too, released at its seal
    }

    @Test func aJobTakenUpAfterARestartGoesOnFromTheStoredRenders() throws {
        let fixture = try RunnerFixture(frames: 12, chunk: 4, overlap: 1, method: .gatys, handover: .keyframe)
        defer { fixture.remove() }
        let runner = fixture.runner
        var chains: [Int] = []
        for index in [3, 4, 5] {
            chains += runner.readyKeyframeTasks().map(\.index).filter { $0 < 3 }
            try fixture.deliver(index, value: UInt8(10 * index))
        }
        chains += runner.readyKeyframeTasks().map(\.index)
        #expect(chains == [0, 1, 2])
        // Chain 1 delivers one frame, then the coordinator stops.
        _ = try runner.accept(chunk: 1, absoluteFrame: 5, payload: RunnerFixture.payload(77))

        let again = try JobRunner(id: runner.id, request: runner.request, directory: runner.directory, store: fixture.store, durable: false)
        again.restore(state: .running, message: "running")
        #expect(again.rendersDone == 4)
        let ready = again.readyKeyframeTasks()
        // No keyframe again; chain 1 resumes after its own frame, the others from their start.
        #expect(ready.map(\.index) == [0, 1, 2] && ready.map(\.resumeAt) == [1, 6, 9])
        let resumed = try Self.task(again, 1, from: 6)
        #expect(resumed.spec.warmStartFrame == 5 && resumed.warmStart == RunnerFixture.payload(77))
        #expect(resumed.spec.hold == HoldSpec(keyframe: 8, frames: 2) && resumed.renders == [RunnerFixture.payload(50)])
    }
}
