import Foundation
import Testing
import Protocol
@testable import Coordinator

/// A worker that encodes segments but predates orientation (its READY lists `segment`, not
/// `oriented-segment`) would style a phone clip's chunk lying on its side: it is given none of
/// a turned film's worker-encoded chunks, which go to a worker that turns them upright.
@Suite struct OrientedSegmentFeatureTests {
    @Test func aTurnedFilmsSegmentsGoOnlyToWorkersThatTurnThem() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try CoordinatorServer(bind: "tcp://127.0.0.1:*", control: "tcp://127.0.0.1:*",
                                           settings: .init(lease: .seconds(10), dataDirectory: folder.appendingPathComponent("data"), durable: false))
        defer { server.shutdown() }
        let stored = try Tools.syntheticClip(in: folder, frames: 4)
        let phone = folder.appendingPathComponent("phone.mp4").path
        _ = try Tools.ffmpeg(["-v", "error", "-i", stored, "-c", "copy", "-metadata:s:v:0", "rotate=270", phone])
        let job = try server.addJob(JobRequest(input: phone, output: folder.appendingPathComponent("o.mkv").path, styles: [], method: .copy,
                                               chunk: 4, overlap: 0, crf: 18, preset: "ultrafast"))
        #expect(server.jobs[job]?.workersEncode == true)
        #expect(server.jobs[job]?.featuresNeeded(chunk: 0).contains(WorkerHello.Feature.orientedSegment) == true)

        let context = try ZMQContext()
        defer { context.shutdown() }
        let older = try Socket(context: context, type: .dealer), current = try Socket(context: context, type: .dealer)
        defer { older.close(); current.close() }
        func tasks(_ socket: Socket, steps: Int) throws -> [TaskPayload] {
            var received: [TaskPayload] = []
            for _ in 0..<steps {
                server.step(timeout: .milliseconds(10))
                while let frames = try socket.receive(timeout: .zero) {
                    let message = try Message.decode(frames)
                    if message.kind == .task { received.append(try message.decodeTask()) }
                }
            }
            return received
        }
        try older.connect(server.workerEndpoint)
        let olderHello = WorkerHello(name: "older", threads: 1, features: [WorkerHello.Feature.segment, WorkerHello.Feature.seam])
        try older.send(Message.ready(credit: 1, hello: olderHello).frames())
        #expect(try tasks(older, steps: 50).isEmpty)
        try current.connect(server.workerEndpoint)
        try current.send(Message.ready(credit: 1, hello: WorkerHello(name: "current", threads: 1)).frames())
        var received: [TaskPayload] = []
        let deadline = ContinuousClock.now + .seconds(10)
        while received.isEmpty && ContinuousClock.now < deadline { received += try tasks(current, steps: 5) }
        #expect(received.count == 1)
        // The upright size, and the turn that gets the clip's frames there.
        #expect(received.first?.spec.width == 96 && received.first?.spec.height == 160)
        #expect(received.first?.spec.segment?.rotation == 90 && received.first?.spec.segment?.mirrored == false)
        #expect(try tasks(older, steps: 5).isEmpty)
    }
}
