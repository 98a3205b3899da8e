import Testing
import Coordinator

@Suite struct SchedulerTests {
    let a = WorkerID(Array("a".utf8)), b = WorkerID(Array("b".utf8))

    @Test func workersGetChunksOnlyAgainstCreditInOrder() {
        var s = Scheduler(lease: .seconds(10))
        s.addJob(1, ranges: [0..<10, 8..<20, 18..<25])
        #expect(s.assign().isEmpty)                      // nobody asked for work
        s.ready(a, credit: 1, now: .zero)
        s.ready(b, credit: 1, now: .zero)
        let first = s.assign()
        #expect(first.map(\.chunk.chunk) == [0, 1])
        #expect(Set(first.map(\.worker)) == [a, b])
        #expect(first.allSatisfy { !$0.isResumption })
        #expect(s.assign().isEmpty)                      // credit spent
        #expect(s.busyWorkerCount == 2 && s.queuedChunkCount == 1)
    }

    /// A chunk added later (a seam task) goes before the job's waiting chunks, and only to a
    /// worker that can take it; one nobody can take waits without holding up the rest.
    @Test func addedChunksGoFirstAndOnlyToWorkersThatTakeThem() {
        var s = Scheduler(lease: .seconds(10))
        s.addJob(1, ranges: [0..<10, 8..<20, 18..<25])
        s.addChunk(1, index: 3, range: 8..<12)
        s.addChunk(1, index: 3, range: 0..<1)            // already there: ignored
        s.addChunk(2, index: 0, range: 0..<5)            // no such job: ignored
        s.ready(a, credit: 2, now: .zero)
        let seamOnlyForB: (WorkerID, Scheduler.ChunkID) -> Bool = { worker, chunk in chunk.chunk != 3 || worker == b }
        #expect(s.assign(canTake: seamOnlyForB).map(\.chunk.chunk) == [0, 1])
        s.ready(b, credit: 1, now: .zero)
        let seam = s.assign(canTake: seamOnlyForB)
        #expect(seam.map(\.chunk.chunk) == [3] && seam.first?.worker == b && seam.first?.range == 8..<12)
        #expect(s.queuedChunkCount == 1)
    }

    @Test func silentWorkerLosesItsChunkWhichResumesAfterTheLastArrivedFrame() {
        var s = Scheduler(lease: .seconds(2))
        s.addJob(7, ranges: [0..<10])
        s.ready(a, credit: 1, now: .zero)
        let chunk = Scheduler.ChunkID(job: 7, chunk: 0)
        #expect(s.assign().first?.worker == a)
        for frame in 0..<4 { s.received(chunk, frame: frame) }
        s.heard(a, now: .milliseconds(1500))
        s.ready(b, credit: 1, now: .milliseconds(1500))
        s.heard(b, now: .milliseconds(3000))
        #expect(s.expire(now: .milliseconds(3400)).isEmpty)  // a still within its lease
        let expired = s.expire(now: .milliseconds(3500))
        #expect(expired.map(\.worker) == [a])
        #expect(expired.first?.chunks == [chunk])
        #expect(!s.knows(a))
        let again = s.assign()
        #expect(again.count == 1)
        #expect(again.first?.worker == b)
        #expect(again.first?.firstFrame == 4)
        #expect(again.first?.isResumption == true)
    }

    @Test func chunkDoneCompletesOnlyWhenEveryFrameArrived() {
        var s = Scheduler(lease: .seconds(10))
        let chunk = Scheduler.ChunkID(job: 1, chunk: 0)
        s.addJob(1, ranges: [2..<5])
        s.ready(a, credit: 1, now: .zero)
        _ = s.assign()
        s.received(chunk, frame: 2)
        s.received(chunk, frame: 2)                       // a duplicate changes nothing
        s.received(chunk, frame: 4)                       // out of order: not contiguous
        #expect(s.nextFrame(of: chunk) == 3)
        let incomplete = s.chunkDone(chunk, by: a)
        #expect(incomplete == false)                     // frames 3, 4 missing: queued again
        s.ready(a, credit: 1, now: .zero)
        #expect(s.assign().first?.firstFrame == 3)
        s.received(chunk, frame: 3)
        s.received(chunk, frame: 4)
        let complete = s.chunkDone(chunk, by: a)
        #expect(complete)
        #expect(s.isDone(chunk))
        #expect(s.queuedChunkCount == 0)
    }

    @Test func preemptingAJobRequeuesItsChunksAndIneligibleJobsWait() {
        var s = Scheduler(lease: .seconds(10))
        s.addJob(1, ranges: [0..<4, 4..<8])
        s.addJob(2, ranges: [0..<4])
        s.ready(a, credit: 1, now: .zero)
        #expect(s.assign().first?.chunk == .init(job: 1, chunk: 0))
        let cancelled = s.preempt(1)
        #expect(cancelled.map(\.worker) == [a])
        s.ready(a, credit: 1, now: .zero)
        let next = s.assign(eligible: { $0 != 1 })        // job 1 paused
        #expect(next.map(\.chunk) == [.init(job: 2, chunk: 0)])
        #expect(s.removeJob(2).map(\.worker) == [a])
        #expect(s.queuedChunkCount == 2)
    }

    @Test func doneChunksAreNotQueuedAndResumePointsAreKept() {
        var s = Scheduler(lease: .seconds(10))
        s.addJob(3, ranges: [0..<4, 3..<8], done: [0], resumeAt: [1: 6])
        s.ready(a, credit: 2, now: .zero)
        let assigned = s.assign()
        #expect(assigned.map(\.chunk.chunk) == [1])
        #expect(assigned.first?.firstFrame == 6)
    }

    @Test func aFailedChunkIsRetriedThenGivenUp() {
        var s = Scheduler(lease: .seconds(10))
        let chunk = Scheduler.ChunkID(job: 1, chunk: 0)
        s.addJob(1, ranges: [0..<5])
        for attempt in 1...Scheduler.maxChunkFailures {
            s.ready(attempt % 2 == 0 ? a : b, credit: 1, now: .zero)
            let assigned = s.assign()
            #expect(assigned.map(\.chunk) == [chunk])
            if attempt == 1 { s.received(chunk, frame: 0) }
            let givenUp = s.chunkFailed(chunk, by: assigned[0].worker)
            #expect(givenUp == (attempt == Scheduler.maxChunkFailures))
            if !givenUp { #expect(s.queuedChunkCount == 1) }
        }
        #expect(s.queuedChunkCount == 0)
        let stale = s.chunkFailed(chunk, by: a)                  // not the holder: ignored
        #expect(stale == false)
    }

    @Test func higherPriorityJobsGetWorkersFirst() {
        var s = Scheduler(lease: .seconds(10))
        s.addJob(1, ranges: [0..<10, 10..<20])
        s.addJob(2, ranges: [0..<5], priority: 5)
        s.addJob(3, ranges: [0..<5], priority: -1)
        s.ready(a, credit: 4, now: .zero)
        let order = s.assign().map(\.chunk)
        #expect(order == [.init(job: 2, chunk: 0), .init(job: 1, chunk: 0), .init(job: 1, chunk: 1), .init(job: 3, chunk: 0)])
    }

    @Test func aWorkerThatFailsThreeChunksOfAJobIsBlocklistedForItByName() {
        var s = Scheduler(lease: .seconds(10))
        s.addJob(1, ranges: [0..<4, 4..<8, 8..<12, 12..<16])
        s.addJob(2, ranges: [0..<4])
        let reconnected = WorkerID(Array("a2".utf8))
        // The names the workers gave in READY, as the coordinator's registry knows them.
        let names = [a: "node-a", reconnected: "node-a", b: "node-b"]
        let name = { (worker: WorkerID) in names[worker]! }
        s.ready(a, credit: 3, now: .zero)
        for assignment in s.assign(name: name) where assignment.chunk.job == 1 { s.chunkFailed(assignment.chunk, by: a, named: "node-a") }
        #expect(s.failures(ofWorkerNamed: "node-a", in: 1) == 3 && s.isBlocklisted("node-a", for: 1))
        // The same process on a new connection is still blocklisted for job 1, not for job 2.
        s.release(a)
        s.ready(reconnected, credit: 2, now: .zero)
        #expect(s.isBlocklisted(name(reconnected), for: 1) && !s.isBlocklisted(name(reconnected), for: 2))
        let second = s.assign(name: name).map(\.chunk)
        #expect(second == [.init(job: 2, chunk: 0)])
        s.ready(b, credit: 1, now: .zero)
        let third = s.assign(name: name).map(\.worker)
        #expect(third == [b])                               // job 1 goes on with others
    }

    @Test func aSenderKeepsAnUnheldChunkOnlyAtItsNextFrame() {
        var s = Scheduler(lease: .seconds(10))
        let chunk = Scheduler.ChunkID(job: 1, chunk: 0)
        s.addJob(1, ranges: [0..<10], resumeAt: [0: 4])
        s.heard(a, now: .zero)
        s.heard(b, now: .zero)
        let gap = s.adopt(chunk, by: a, frame: 6), next = s.adopt(chunk, by: b, frame: 4)
        #expect(!gap && next)                               // a gap: drop it; at the next frame: keep it
        #expect(s.holder(of: chunk) == b && s.queuedChunkCount == 0)
        let held = s.adopt(chunk, by: a, frame: 4)
        #expect(!held)                                      // held already
    }
}
