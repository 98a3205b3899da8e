import Foundation
import Testing
import Media
import ProcessSupport
import Protocol
@testable import Worker

/// Drives a real `WorkerLoop` from a test ROUTER on 127.0.0.1: the worker's side of the protocol.
@Suite struct WorkerLoopTests {
    final class Harness {
        let context: ZMQContext
        let router: Socket
        let stop = StopSignal()
        let thread: Thread
        var peer: [UInt8] = []

        init(heartbeat: Duration = Liveness.heartbeatInterval) throws {
            context = try ZMQContext()
            router = try Socket(context: context, type: .router)
            try router.bind("tcp://127.0.0.1:*")
            var configuration = WorkerConfiguration(endpoint: try router.lastEndpoint, threads: 1)
            configuration.heartbeat = heartbeat
            let loop = WorkerLoop(configuration: configuration, stop: stop)
            thread = Thread { try? loop.run() }
            thread.start()
        }

        /// The next message from the worker that is not a heartbeat or a LOG line (bounded wait).
        func next(timeout: Duration = .seconds(10)) throws -> Message? {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                guard let frames = try router.receive(timeout: .milliseconds(100)) else { continue }
                let envelope = try Envelope.decode(frames)
                peer = envelope.peer
                if envelope.message.kind != .heartbeat && envelope.message.kind != .log { return envelope.message }
            }
            return nil
        }

        func send(_ message: Message) throws { try router.send(Envelope(peer: peer, message: message).frames()) }

        func finish() {
            stop.raise()
            let deadline = ContinuousClock.now + .seconds(5)
            while !thread.isFinished && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.02) }
            router.close()
            context.shutdown()
        }
    }

    static func task(method: RenderMethod, chunk: UInt32 = 0, frames: Int = 3) -> Message {
        let images = (0..<frames).map { i in FramePayload.encode(width: 4, height: 2, pixels: [UInt8](repeating: UInt8(truncatingIfNeeded: 10 * i), count: 24)) }
        let spec = TaskSpec(job: 5, chunk: chunk, renderStart: 20, ownStart: 21, end: 20 + frames, width: 4, height: 2,
                            method: method, styleCount: 0, styleWeights: [], frameCount: frames)
        return .task(TaskPayload(spec: spec, styles: [], frames: images))
    }

    /// `--heartbeat 0.2`: the worker heartbeats every 0.2 s and takes a coordinator silent for
    /// `Liveness.missedBeatsBeforeDead` of those beats for gone. Told by what it sends, not by a
    /// clock: between its READY and its BYE come one to that many heartbeats (both the beat and the
    /// expiry follow the configured interval; fewer beats only when a busy machine holds its loop
    /// up), and a worker on a 30 s interval started alongside has not heartbeaten yet (it would at
    /// the default 1 s, were the option ignored; 30 s leaves a loaded machine a wide margin).
    @Test func theHeartbeatIntervalIsTheConfiguredOne() throws {
        let fast = try Harness(heartbeat: .milliseconds(200)), slow = try Harness(heartbeat: .seconds(30))
        defer { fast.finish(); slow.finish() }
        var kinds: [MessageKind] = [], slowKinds: [MessageKind] = []
        let deadline = ContinuousClock.now + .seconds(10)   // a bound on the wait, not a measurement
        while !kinds.contains(.bye) && ContinuousClock.now < deadline {
            if let frames = try fast.router.receive(timeout: .milliseconds(10)) {
                let kind = try Envelope.decode(frames).message.kind
                if kind != .log { kinds.append(kind) }
            }
            if let frames = try slow.router.receive(timeout: .milliseconds(10)) {
                slowKinds.append(try Envelope.decode(frames).message.kind)
            }
        }
        let beats = kinds.filter { $0 == .heartbeat }.count
        #expect(kinds.first == .ready && kinds.last == .bye, "\(kinds)")
        #expect((1...Liveness.missedBeatsBeforeDead).contains(beats), "\(kinds)")
        #expect(!slowKinds.contains(.heartbeat), "30 s-interval worker: \(slowKinds)")
    }

    @Test func readyTaskResultsAckDoneThenReadyAgain() throws {
        let harness = try Harness()
        defer { harness.finish() }
        let ready = try #require(try harness.next())
        #expect(ready.kind == .ready)
        #expect(try ready.decodeReady().credit == 1)
        try harness.send(Self.task(method: .copy))
        var frames: [UInt32] = []
        while let message = try harness.next(), message.kind == .result {
            frames.append(message.header.frame)
            #expect(try message.decodeResult().pixels == [UInt8](repeating: UInt8(10 * (frames.count - 1)), count: 24))
            try harness.send(.ack(job: 5, chunk: 0, frame: message.header.frame))
            if frames.count == 3 { break }
        }
        #expect(frames == [20, 21, 22])
        #expect(try harness.next()?.kind == .chunkDone)
        #expect(try harness.next()?.kind == .ready)
    }

    @Test func unknownMethodOrMissingModelFailsTheChunkWithAOneLineReason() throws {
        let harness = try Harness()
        defer { harness.finish() }
        #expect(try harness.next()?.kind == .ready)
        // No release names "paint": a TASK carrying it (a foreign or hand-made peer) is refused as it is decoded.
        var paint = Self.task(method: .copy)
        paint.payload[0] = Array(String(decoding: paint.payload[0], as: UTF8.self)
            .replacingOccurrences(of: "\"method\":\"copy\"", with: "\"method\":\"paint\"").utf8)
        try harness.send(paint)
        let failed = try #require(try harness.next())
        #expect(failed.kind == .chunkFailed)
        #expect(try failed.decodeReason() == "bad task: bad payload: TaskSpec: method paint is not one of gatys, reconet, copy or sleep:MS (MS in 0...600000) at method")
        #expect(try harness.next()?.kind == .ready)
        try harness.send(Self.task(method: .reconet))
        let noModel = try #require(try harness.next())
        #expect(try noModel.decodeReason() == "bad task: method reconet needs a model (vst-coord submit --model FILE.reconet)")
        #expect(try harness.next()?.kind == .ready)
    }

    /// The model travels with the first TASK only; the worker keeps it for the next one, and
    /// says so in one line when a TASK names a model it never got.
    @Test func reconetKeepsTheModelItWasSentForLaterChunks() throws {
        let harness = try Harness()
        defer { harness.finish() }
        let model = ReCoNetChunkRendererTests.tinyModel()
        func task(chunk: UInt32, attached: Bool, reference: ModelReference? = nil) -> Message {
            let frames = (0..<2).map { i in FramePayload.encode(width: 20, height: 16, pixels: [UInt8](repeating: UInt8(40 * i + 30), count: 960)) }
            let spec = TaskSpec(job: 5, chunk: chunk, renderStart: 2 * Int(chunk), ownStart: 2 * Int(chunk), end: 2 * Int(chunk) + 2,
                                width: 20, height: 16, method: .reconet, styleCount: 0, styleWeights: [], frameCount: 2,
                                model: (reference ?? model.reference).with(attached: attached))
            return .task(TaskPayload(spec: spec, styles: [], frames: frames, model: attached ? model.bytes : nil))
        }
        func results(until end: MessageKind) throws -> (frames: [UInt32], last: Message?) {
            var frames: [UInt32] = []
            while let message = try harness.next() {
                if message.kind == .result {
                    frames.append(message.header.frame)
                    try harness.send(.ack(job: 5, chunk: message.header.chunk, frame: message.header.frame))
                } else if message.kind == end || message.kind == .chunkFailed {
                    return (frames, message)
                }
            }
            return (frames, nil)
        }
        #expect(try harness.next()?.kind == .ready)
        try harness.send(task(chunk: 0, attached: true))
        let first = try results(until: .chunkDone)
        #expect(first.frames == [0, 1] && first.last?.kind == .chunkDone)
        #expect(try harness.next()?.kind == .ready)
        try harness.send(task(chunk: 1, attached: false))
        let second = try results(until: .chunkDone)
        #expect(second.frames == [2, 3] && second.last?.kind == .chunkDone)
        #expect(try harness.next()?.kind == .ready)
        let unknown = ModelReference(sha256: String(repeating: "ab", count: 32), byteCount: 10, attached: false)
        try harness.send(task(chunk: 2, attached: false, reference: unknown))
        let third = try results(until: .chunkDone)
        #expect(third.last?.kind == .chunkFailed)
        #expect(try third.last?.decodeReason() == "bad task: model \(unknown.sha256) was not sent to this worker")
    }

    @Test func cancelStopsTheChunkAndTheWorkerAsksForMore() throws {
        let harness = try Harness()
        defer { harness.finish() }
        #expect(try harness.next()?.kind == .ready)
        try harness.send(Self.task(method: .sleep(milliseconds: 200), frames: 30))
        let first = try #require(try harness.next())
        #expect(first.kind == .result)
        try harness.send(.cancel(job: 5, chunk: 0))
        var kinds: [MessageKind] = []
        while let message = try harness.next(timeout: .seconds(5)) {
            kinds.append(message.kind)
            if message.kind == .ready { break }
        }
        #expect(kinds.last == .ready)
        #expect(!kinds.contains(.chunkDone))
        #expect(kinds.filter { $0 == .result }.count < 29)
    }

    @Test func malformedMessagesAreDroppedAndTheWorkerCarriesOn() throws {
        let harness = try Harness()
        defer { harness.finish() }
        #expect(try harness.next()?.kind == .ready)
        try harness.router.send([harness.peer, [1, 2, 3]])
        try harness.router.send([harness.peer, Message(.submit, payload: [[0]]).header.encode()])
        try harness.send(Self.task(method: .copy, frames: 2))
        #expect(try harness.next()?.kind == .result)
    }

    @Test func stopFinishesTheCurrentFrameWaitsForItsAckThenSaysBye() throws {
        let harness = try Harness()
        defer { harness.finish() }
        #expect(try harness.next()?.kind == .ready)
        try harness.send(Self.task(method: .sleep(milliseconds: 300), frames: 30))
        let first = try #require(try harness.next())
        #expect(first.kind == .result && first.header.frame == 20)
        try harness.send(.ack(job: 5, chunk: 0, frame: 20))
        harness.stop.raise()                                  // SIGTERM, while frame 21 renders
        let last = try #require(try harness.next())
        #expect(last.kind == .result && last.header.frame == 21)
        // No BYE before the frame is acknowledged.
        #expect(try harness.next(timeout: .milliseconds(400)) == nil)
        try harness.send(.ack(job: 5, chunk: 0, frame: 21))
        #expect(try harness.next()?.kind == .bye)
    }
}
