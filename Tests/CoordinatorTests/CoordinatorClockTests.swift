import Foundation
import Testing
import Protocol
@testable import Coordinator

/// The coordinator reads the time only from its clock: with a manual one, a silent worker
/// keeps its chunk until the clock passes its lease, however long the test really takes, and
/// loses it as soon as the clock does; heartbeats and a job's elapsed time follow the same clock.
@Suite struct CoordinatorClockTests {
    @Test func aSilentWorkerLosesItsChunkWhenTheManualClockPassesItsLease() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = ManualClock()
        let lines = LogLines()
        let server = try CoordinatorServer(bind: "tcp://127.0.0.1:*", control: nil, settings: .init(
            lease: .seconds(10), dataDirectory: folder.appendingPathComponent("data"), durable: false,
            heartbeat: .seconds(1), log: lines.append), clock: clock)
        defer { server.shutdown() }
        let clip = try Tools.syntheticClip(in: folder, frames: 4)
        let job = try server.addJob(JobRequest(input: clip, output: folder.appendingPathComponent("o.mkv").path, styles: [], method: .copy,
                                               chunk: 4, overlap: 0, crf: 18, preset: "ultrafast"))
        let context = try ZMQContext()
        defer { context.shutdown() }
        let worker = try Socket(context: context, type: .dealer)
        defer { worker.close() }
        try worker.connect(server.workerEndpoint)
        try worker.send(Message.ready(credit: 1, hello: WorkerHello(name: "quiet", threads: 1)).frames())
        func received(steps: Int) throws -> [MessageKind] {
            var kinds: [MessageKind] = []
            for _ in 0..<steps {
                server.step(timeout: .milliseconds(10))
                while let frames = try worker.receive(timeout: .zero) { kinds.append(try Message.decode(frames).kind) }
            }
            return kinds
        }
        var kinds: [MessageKind] = []
        let deadline = ContinuousClock.now + .seconds(20)
        while !kinds.contains(.task) && ContinuousClock.now < deadline { kinds += try received(steps: 5) }
        #expect(kinds == [.task])                                   // the clock stands still: no heartbeat is due
        #expect(server.busyWorkerCount == 1)

        clock.advance(by: .seconds(9))
        let beforeLease = try received(steps: 5)
        #expect(beforeLease.contains(.heartbeat) && !beforeLease.contains(.cancel))
        #expect(server.workerCount == 1 && server.reassignedChunks == 0)
        #expect(server.progress(of: job)?.elapsed == .seconds(9))     // the job started at the clock's zero

        clock.advance(by: .seconds(2))
        let afterLease = try received(steps: 5)
        #expect(afterLease.contains(.cancel))
        #expect(server.workerCount == 0 && server.reassignedChunks == 1 && server.counters.leaseExpiries == 1)
        #expect(lines.all.contains { $0.hasPrefix("worker quiet silent past its lease") }, "\(lines.all)")
    }
}
