import Foundation
import Testing
import Protocol
@testable import Coordinator

/// The coordinator's loop in-process, fed by raw DEALERs on 127.0.0.1.
@Suite struct CoordinatorServerTests {
    @Test func malformedMessagesAreCountedAndDroppedAndTheServerStillAnswers() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("vst-server-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let server = try CoordinatorServer(bind: "tcp://127.0.0.1:*", control: "tcp://127.0.0.1:*",
                                           settings: .init(lease: .seconds(10), dataDirectory: data, durable: false))
        defer { server.shutdown() }
        let context = try ZMQContext()
        defer { context.shutdown() }
        let worker = try Socket(context: context, type: .dealer)
        let client = try Socket(context: context, type: .dealer)
        defer { worker.close(); client.close() }
        try worker.connect(server.workerEndpoint)
        try client.connect(try #require(server.controlEndpoint))

        try worker.send([[1, 2, 3]])                                              // truncated header
        try worker.send([MessageHeader(kind: .ready).encode(), [9, 9], [0x7b]])      // bad READY payload
        try worker.send(Message.status().frames())                                // client kind on the worker channel
        try worker.send(Message.result(job: 42, chunk: 0, frame: 0, width: 1, height: 1, pixels: [1, 2, 3]).frames())
        try client.send([Array("garbage".utf8)])
        try client.send(Message.status().frames())

        var reply: Message?
        let deadline = ContinuousClock.now + .seconds(10)
        while reply == nil && ContinuousClock.now < deadline {
            server.step(timeout: .milliseconds(20))
            if let frames = try client.receive(timeout: .zero) { reply = try Message.decode(frames) }
        }
        #expect(try reply?.decodeStatusReply() == [])
        for _ in 0..<10 { server.step(timeout: .milliseconds(10)) }
        #expect(server.malformedMessages == 4)
        // The result for an unknown job is answered with CANCEL, not counted as malformed.
        var kinds: [MessageKind] = []
        while let frames = try worker.receive(timeout: .milliseconds(200)) { kinds.append(try Message.decode(frames).kind) }
        #expect(kinds.contains(.cancel))
    }

    /// A worker older than worker-encoded chunks (its READY lists no features) is given none;
    /// the same chunk goes to a worker that takes it.
    @Test func workersGetOnlyTheTaskKindsTheyTake() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try CoordinatorServer(bind: "tcp://127.0.0.1:*", control: "tcp://127.0.0.1:*",
                                           settings: .init(lease: .seconds(10), dataDirectory: folder.appendingPathComponent("data"), durable: false))
        defer { server.shutdown() }
        let clip = try Tools.syntheticClip(in: folder, frames: 4)
        let job = try server.addJob(JobRequest(input: clip, output: folder.appendingPathComponent("o.mkv").path, styles: [], method: .copy,
                                               chunk: 4, overlap: 0, crf: 18, preset: "ultrafast"))
        #expect(server.jobs[job]?.workersEncode == true)
        let context = try ZMQContext()
        defer { context.shutdown() }
        let old = try Socket(context: context, type: .dealer), current = try Socket(context: context, type: .dealer)
        defer { old.close(); current.close() }
        func tasks(_ socket: Socket, steps: Int) throws -> Int {
            var count = 0
            for _ in 0..<steps {
                server.step(timeout: .milliseconds(10))
                while let frames = try socket.receive(timeout: .zero) {
                    if try Message.decode(frames).kind == .task { count += 1 }
                }
            }
            return count
        }
        try old.connect(server.workerEndpoint)
        try old.send(Message.ready(credit: 1, hello: WorkerHello(name: "old", threads: 1, features: nil)).frames())
        #expect(try tasks(old, steps: 50) == 0)
        try current.connect(server.workerEndpoint)
        try current.send(Message.ready(credit: 1, hello: WorkerHello(name: "new", threads: 1)).frames())
        var received = 0
        let deadline = ContinuousClock.now + .seconds(10)
        while received == 0 && ContinuousClock.now < deadline { received += try tasks(current, steps: 5) }
        #expect(received == 1)
        #expect(try tasks(old, steps: 5) == 0)
    }

    @Test func statusTableHasOneLinePerJob() {
        var status = JobStatus(job: 3, state: .running, framesDone: 10, framesTotal: 40, fps: 2.04,
                               etaSeconds: 15, workersBusy: 2, message: "running")
        (status.rendersDone, status.rendersTotal, status.diskBytes, status.peakDiskBytes) = (12, 48, 3 << 20, 11 << 19)
        let table = StatusTable.render([status])
        #expect(table == "JOB\tSTATE\tWORK\tFRAMES\tFPS\tETA\tWORKERS\tPRI\tDISK\tMESSAGE\n"
                + "3\trunning\t12/48\t10/40\t2.0\t0:15\t2\t0\t3.0 MiB/5.5 MiB\trunning\n")
        let detailed = StatusTable.render([JobStatus(job: 4, state: .running, framesDone: 0, framesTotal: 20, priority: 5, chunks: [
            ChunkStatus(chunk: 0, state: "rendering", framesDelivered: 3, framesTotal: 10, worker: "node-1", failures: 1),
            ChunkStatus(chunk: 1, state: "queued", framesDelivered: 0, framesTotal: 12)])])
        let busy = StatusTable.render([
            JobStatus(job: 1, state: .running, chunks: [ChunkStatus(chunk: 2, state: "rendering", framesDelivered: 5, framesTotal: 36, worker: "node-b")]),
            JobStatus(job: 2, state: .queued)])
        #expect(busy.hasSuffix("\n\nWORKER\tJOB\tCHUNK\tFRAMES\nnode-b\t1\t2\t5/36\n"), "\(busy)")
        #expect(detailed.contains("4\trunning\t0/20\t0/20\t0.0\t-\t0\t5\t-\t\n"), "\(detailed)")    // an older coordinator's status
        #expect(detailed.hasSuffix("\t-\t0\t5\t-\t\n\nCHUNK\tSTATE\tFRAMES\tWORKER\tFAILURES\n0\trendering\t3/10\tnode-1\t1\n1\tqueued\t0/12\t-\t0\n"), "\(detailed)")
    }
}
