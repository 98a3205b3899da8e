import Foundation
@testable import Coordinator

/// The coordinator's loop over one `RunnerFixture` without sockets: a `Scheduler` hands chunks
/// (and seam tasks as they become ready) to two workers under a disk budget, each assignment
/// is rendered at once frame by frame, and the runner encodes after every round.
struct FarmDriver {
    let a = WorkerID(Array("a".utf8)), b = WorkerID(Array("b".utf8))
    var scheduler = Scheduler(lease: .seconds(10))

    init(_ fixture: RunnerFixture) {
        scheduler.addJob(fixture.runner.id, ranges: fixture.runner.chunkRanges)
        scheduler.ready(a, credit: 1, now: .zero)
        scheduler.ready(b, credit: 1, now: .zero)
    }

    /// Runs the job to its end (or for 60 s); `assigned` sees each assignment with the bytes
    /// waiting and the encoder's next frame when it was made, `rendered` runs after each render.
    mutating func run(_ fixture: RunnerFixture, budget: Int,
                      assigned: (Scheduler.Assignment, _ waiting: Int, _ next: Int) -> Void = { _, _, _ in },
                      rendered: () throws -> Void = {}) throws {
        let runner = fixture.runner
        let deadline = ContinuousClock.now + .seconds(60)
        while !runner.isComplete && ContinuousClock.now < deadline {
            for task in runner.readySeams() + runner.readyKeyframeTasks() {
                scheduler.addChunk(runner.id, index: task.index, range: task.range, resumeAt: task.resumeAt)
            }
            let (waiting, next) = (runner.waitingBytes, runner.nextOutput)
            let assignments = scheduler.assign(admits: { runner.admits($0.chunk, budget: budget) })
            for assignment in assignments {
                assigned(assignment, waiting, next)
                for frame in assignment.firstFrame..<assignment.range.upperBound {
                    _ = try runner.accept(chunk: assignment.chunk.chunk, absoluteFrame: frame, payload: RunnerFixture.payload(100))
                    scheduler.received(assignment.chunk, frame: frame)
                    try rendered()
                }
                scheduler.chunkDone(assignment.chunk, by: assignment.worker)
                scheduler.ready(assignment.worker, credit: 1, now: .zero)
            }
            if try runner.assemble() == 0 && assignments.isEmpty { Thread.sleep(forTimeInterval: 0.01) } // the join runs apart
        }
    }
}
