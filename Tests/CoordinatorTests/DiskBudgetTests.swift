import Foundation
import Testing
@testable import Coordinator

/// The coordinator's disk budget: the bytes a job holds follow its files, chunks stop going out
/// while the renders waiting for the encoder are over the budget, and the chunk the encoder
/// needs next always goes out. The film: 16 frames in chunks of 4 with an overlap of 1, so the
/// render ranges are 0..<4, 3..<8, 7..<12, 11..<16; every render is the same size.
@Suite struct DiskBudgetTests {
    let a = WorkerID(Array("a".utf8)), b = WorkerID(Array("b".utf8))
    let render = RunnerFixture.payload(100).count

    @Test func ledgerCountsRecordsReplacementsAndReleases() {
        var ledger = DiskLedger()
        ledger.record(.render(chunk: 0, frame: 0), bytes: 100)
        ledger.record(.render(chunk: 0, frame: 0), bytes: 60)    // rewritten: replaced, not added
        ledger.record(.segment(chunk: 0), bytes: 1000)
        ledger.record(.segment(chunk: 1), bytes: 500)
        #expect(ledger.renderBytes == 60 && ledger.segmentBytes == 1500 && ledger.bytes == 1560)
        #expect(ledger.segmentBytes { $0 == 1 } == 500)
        ledger.release(.render(chunk: 0, frame: 0))
        ledger.release(.render(chunk: 9, frame: 9))              // never recorded: nothing changes
        ledger.releaseSegments()
        #expect(ledger.bytes == 0 && ledger.peak == 1560)
    }

    @Test func heldBytesFollowWritesAndDeletesOfTheJobsFiles() throws {
        let fixture = try RunnerFixture()
        defer { fixture.remove() }
        let runner = fixture.runner
        try fixture.deliver(1)
        #expect(runner.disk.renderBytes == 5 * render && runner.disk.bytes == fixture.bytesOnDisk)
        try fixture.deliver(0)
        _ = try runner.accept(chunk: 0, absoluteFrame: 2, payload: RunnerFixture.payload(7)) // a duplicate is not stored
        #expect(runner.disk.renderBytes == 9 * render && runner.disk.bytes == fixture.bytesOnDisk)
        try fixture.assembleAll()
        // Chunk 0's segment is sealed and its renders deleted; chunk 1's five stay until its own seal.
        #expect(runner.disk.renderBytes == 5 * render && runner.disk.segmentBytes > 0)
        #expect(runner.disk.bytes == fixture.bytesOnDisk)
        try fixture.deliver(2)
        try fixture.deliver(3)
        let deadline = ContinuousClock.now + .seconds(30)
        while !runner.isComplete && ContinuousClock.now < deadline {
            if try runner.assemble() == 0 { Thread.sleep(forTimeInterval: 0.01) }
        }
        #expect(runner.isComplete)
        #expect(runner.disk.bytes == 0 && fixture.bytesOnDisk == 0)
        #expect(runner.disk.peak >= 9 * render)
        #expect(runner.summary.hasSuffix("peak disk \(ByteCount.format(runner.disk.peak))"))
    }

    @Test func assignmentStopsAboveTheBudgetAndResumesBelowIt() throws {
        let fixture = try RunnerFixture()
        defer { fixture.remove() }
        let runner = fixture.runner
        let budget = 6 * render
        try fixture.deliver(0)
        try fixture.deliver(1)
        var scheduler = Scheduler(lease: .seconds(10))
        scheduler.addJob(runner.id, ranges: runner.chunkRanges, done: [0, 1])
        scheduler.ready(a, credit: 2, now: .zero)
        let admits: (Scheduler.ChunkID) -> Bool = { runner.admits($0.chunk, budget: budget) }
        #expect(runner.waitingBytes == 9 * render)
        #expect(scheduler.assign(admits: admits).isEmpty)
        #expect(scheduler.queuedChunkCount == 2)
        try fixture.assembleAll()                                // chunk 0 sealed: 4 renders fewer
        #expect(runner.nextOutput == 7 && runner.waitingBytes == 5 * render)
        #expect(scheduler.assign(admits: admits).map(\.chunk.chunk) == [2, 3])
    }

    @Test func theChunkTheEncoderNeedsNextAlwaysGoesOut() throws {
        let fixture = try RunnerFixture()
        defer { fixture.remove() }
        let runner = fixture.runner
        var scheduler = Scheduler(lease: .seconds(10))
        scheduler.addJob(runner.id, ranges: runner.chunkRanges)
        scheduler.ready(a, credit: 1, now: .zero)
        scheduler.ready(b, credit: 1, now: .zero)
        let admits: (Scheduler.ChunkID) -> Bool = { runner.admits($0.chunk, budget: 0) }
        let first = scheduler.assign(admits: admits)             // nothing waits yet: within even a zero budget
        #expect(first.map(\.chunk.chunk) == [0, 1])
        let chunk1 = first.first { $0.chunk.chunk == 1 }!
        try fixture.deliver(1)
        for frame in chunk1.range { scheduler.received(chunk1.chunk, frame: frame) }
        scheduler.chunkDone(chunk1.chunk, by: chunk1.worker)
        scheduler.ready(chunk1.worker, credit: 1, now: .zero)
        #expect(scheduler.assign(admits: admits).isEmpty)        // over the budget, and chunks 2, 3 are not needed yet
        // Chunk 0's worker goes away: over the budget or not, chunk 0 is what the encoder waits for.
        let chunk0 = first.first { $0.chunk.chunk == 0 }!
        scheduler.release(chunk0.worker)
        let again = scheduler.assign(admits: admits)
        #expect(again.map(\.chunk.chunk) == [0] && again.first?.worker == chunk1.worker)
    }

    @Test func aZeroBudgetStillFinishesEveryJobOneNeededChunkAtATime() throws {
        let fixture = try RunnerFixture(frames: 16, chunk: 4, overlap: 1, method: .gatys, seamTail: 1, seamRefine: true)
        defer { fixture.remove() }
        #expect(fixture.runner.seamPlan.seams.count == 3)
        var driver = FarmDriver(fixture)
        var assigned: [Int] = []
        try driver.run(fixture, budget: 0, assigned: { assignment, waiting, next in
            assigned.append(assignment.chunk.chunk)
            #expect(waiting == 0 || assignment.range.contains(next), "\(assignment.chunk) went out over the budget")
        })
        #expect(fixture.runner.isComplete)
        #expect(Set(assigned) == Set(0..<7))                     // four chunks and three seam tasks
        #expect(fixture.runner.disk.peak > 0 && fixture.runner.disk.bytes == 0)
    }
}
