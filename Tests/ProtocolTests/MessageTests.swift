import Testing
import Protocol

@Suite struct MessageTests {
    static func sampleTask(warm: Bool) -> TaskPayload {
        var rng = SplitMix64(seed: 31)
        let image = { (w: Int, h: Int) in FramePayload.encode(width: w, height: h, pixels: rng.bytes(w * h * 3)) }
        let spec = TaskSpec(job: 3, chunk: 2, renderStart: 20, ownStart: 24, end: 30, width: 5, height: 3, method: .gatys,
                            gatys: { var p = GatysParameters(); p.iterations = 200; p.longTerm = [1, 2, 4]; p.start = .noise(seed: 9); return p }(),
                            styleCount: 2, styleWeights: [0.7, 0.3],
                            frameCount: warm ? 4 : 10, warmStartFrame: warm ? 26 : nil)
        return TaskPayload(spec: spec, styles: [image(4, 4), image(6, 2)], frames: (0..<spec.frameCount).map { _ in image(5, 3) },
                           warmStart: warm ? image(5, 3) : nil)
    }

    /// One message of every kind, built through the typed constructors.
    static func everyKind() -> [Message] {
        let hello = WorkerHello(name: "node-7/4242", threads: 8)
        let status = JobStatus(job: 4, state: .running, framesDone: 10, framesTotal: 100, fps: 1.5, etaSeconds: 60,
                               workersBusy: 2, message: "rendering", output: "/out/film.mkv")
        let request = JobRequest(input: "film.mkv", output: "out.mkv", styles: ["starry.jpg"], styleWeights: [1], method: .copy,
                                 height: 360, start: 5, frames: 50, chunk: 24, overlap: 4,
                                 crf: 18, preset: "medium", lossless: false)
        let messages: [Message] = [
            .ready(credit: 2, hello: hello), .heartbeat(), .task(sampleTask(warm: false)),
            .result(job: 3, chunk: 2, frame: 25, width: 2, height: 2, pixels: Array(0..<12)), .ack(job: 3, chunk: 2, frame: 25),
            .chunkDone(job: 3, chunk: 2), .chunkFailed(job: 3, chunk: 2, reason: "out of\nmemory"), .cancel(job: 3, chunk: 2), .bye(),
            .submit(request), .accepted(job: 4), .status(job: 0), .statusReply([status]), .control(job: 4, action: .pause),
            .controlReply(status), .error("no such job 9"), .log(job: 3, chunk: 2, WorkerLogLine(level: "info", message: "25 frames\nin 3 s")),
            .segment(job: 3, chunk: 2, firstFrame: 20, file: [0x1A, 0x45, 0xDF, 0xA3, 9]),
        ]
        return messages
    }

    @Test func everyKindRoundTripsThroughFrames() throws {
        let messages = Self.everyKind()
        #expect(Set(messages.map(\.kind)) == Set(MessageKind.allCases))
        for message in messages {
            #expect(try Message.decode(message.frames()) == message)
        }
    }

    @Test func typedAccessorsReadBackWhatConstructorsWrote() throws {
        let all = Self.everyKind()
        func find(_ kind: MessageKind) throws -> Message { try Message.decode(#require(all.first { $0.kind == kind }).frames()) }

        let ready = try find(.ready).decodeReady()
        #expect(ready.credit == 2 && ready.hello == WorkerHello(name: "node-7/4242", threads: 8, protocolVersion: MessageHeader.currentVersion))
        let taskMessage = try find(.task)
        #expect(try taskMessage.decodeTask() == Self.sampleTask(warm: false))
        #expect(taskMessage.header.job == 3 && taskMessage.header.chunk == 2 && taskMessage.header.frame == 20)
        let warm = try Message.decode(Message.task(Self.sampleTask(warm: true)).frames())
        #expect(try warm.decodeTask() == Self.sampleTask(warm: true))
        #expect(warm.header.frame == 26)
        let result = try find(.result)
        #expect(result.header.frame == 25)
        let frame = try result.decodeResult()
        #expect(frame.width == 2 && frame.height == 2 && frame.pixels == Array(0..<12))
        let segment = try find(.segment)
        #expect(try segment.decodeSegment() == [0x1A, 0x45, 0xDF, 0xA3, 9] && segment.header.frame == 20 && segment.header.chunk == 2)
        #expect(throws: DecodeError.self) { try Message.segment(job: 3, chunk: 2, firstFrame: 20, file: []).decodeSegment() }
        #expect(try find(.chunkFailed).decodeReason() == "out of memory")
        #expect(try find(.error).decodeReason() == "no such job 9")
        #expect(try find(.submit).decodeSubmit().styles == ["starry.jpg"])
        #expect(try find(.accepted).decodeAccepted() == JobAccepted(job: 4))
        #expect(try find(.accepted).header.job == 4)
        #expect(try find(.statusReply).decodeStatusReply().first?.state == .running)
        #expect(try find(.control).decodeControl() == ControlRequest(action: .pause))
        #expect(try find(.controlReply).decodeControlReply().etaSeconds == 60)
        #expect(throws: DecodeError.wrongKind(.heartbeat, expected: .task)) { try find(.heartbeat).decodeTask() }
    }

    @Test func describesItselfInOneLine() {
        #expect(Message.result(job: 3, chunk: 2, frame: 25, payload: [1, 2, 3]).description
                == "RESULT job 3 chunk 2 frame 25, 1 payload frame, 3 bytes")
        #expect(Message.heartbeat().description == "HEARTBEAT job 0 chunk 0 frame 0, 0 payload frames, 0 bytes")
    }

    @Test func rejectsMissingAndSurplusFrames() {
        #expect(throws: DecodeError.noFrames) { try Message.decode([]) }
        let header = MessageHeader(kind: .ready).encode()
        #expect(throws: DecodeError.wrongFrameCount(kind: .ready, count: 1, expected: 2...2)) { try Message.decode([header, [1, 0, 0, 0]]) }
        let beat = MessageHeader(kind: .heartbeat).encode()
        #expect(throws: DecodeError.wrongFrameCount(kind: .heartbeat, count: 1, expected: 0...0)) { try Message.decode([beat, []]) }
        let task = MessageHeader(kind: .task).encode()
        let many = [task] + Array(repeating: [UInt8](), count: Message.maxPayloadFrames + 1)
        #expect(throws: DecodeError.tooManyFrames(count: Message.maxPayloadFrames + 1, limit: Message.maxPayloadFrames)) {
            try Message.decode(many)
        }
    }

    @Test func rejectsOversizedPayload() {
        // Copies of one array share storage, so this is 1 MiB of memory that reads as far more.
        let mebibyte = [UInt8](repeating: 1, count: 1 << 20)
        let count = Message.maxPayloadBytes / mebibyte.count + 1
        let frames = [MessageHeader(kind: .task).encode()] + Array(repeating: mebibyte, count: count)
        #expect(throws: DecodeError.payloadTooLarge(byteCount: count << 20, limit: Message.maxPayloadBytes)) { try Message.decode(frames) }
    }

    @Test func rejectsTasksThatDisagreeWithTheirSpec() throws {
        let good = Message.task(Self.sampleTask(warm: false))
        var short = good
        short.payload.removeLast()
        #expect(throws: DecodeError.badPayload("task spec announces 13 payload frames, message has 12")) { try short.decodeTask() }
        var otherJob = good
        otherJob.header.job = 99
        #expect(throws: DecodeError.self) { try otherJob.decodeTask() }
        var badJSON = good
        badJSON.payload[0] = Array("{\"job\": 3".utf8)
        #expect(throws: DecodeError.self) { try badJSON.decodeTask() }
    }

    @Test func envelopeCarriesThePeer() throws {
        let envelope = Envelope(peer: [0, 1, 2], message: .ack(job: 1, chunk: 2, frame: 3))
        #expect(try Envelope.decode(envelope.frames()) == envelope)
        #expect(throws: DecodeError.noFrames) { try Envelope.decode([]) }
        #expect(throws: DecodeError.missingPeer) { try Envelope.decode([MessageHeader(kind: .heartbeat).encode()]) }
        #expect(throws: DecodeError.missingPeer) { try Envelope.decode([[], MessageHeader(kind: .heartbeat).encode()]) }
    }

    /// A seeded stream of random multipart messages, some starting from a valid header, must only
    /// ever decode or throw DecodeError, through every layer a receiver would apply.
    @Test func randomFramesOnlyDecodeOrThrow() {
        var rng = SplitMix64(seed: 32)
        let valid = Self.everyKind().map { $0.frames() }
        var decoded = 0, rejected = 0
        for _ in 0..<3000 {
            var frames: [[UInt8]]
            if Bool.random(using: &rng) {
                frames = (0..<Int.random(in: 0...4, using: &rng)).map { _ in rng.bytes(Int.random(in: 0...40, using: &rng)) }
            } else {
                frames = valid.randomElement(using: &rng)!
                let f = Int.random(in: 0..<frames.count, using: &rng)
                if !frames[f].isEmpty {
                    for _ in 0..<Int.random(in: 1...3, using: &rng) {
                        frames[f][Int.random(in: 0..<frames[f].count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                    }
                }
                if Int.random(in: 0..<8, using: &rng) == 0 { frames[f] = Array(frames[f].prefix(Int.random(in: 0...frames[f].count, using: &rng))) }
            }
            do {
                let message = try Message.decode(frames)
                decoded += 1
                _ = try? message.decodeReady()
                if let task = try? message.decodeTask() {
                    for image in task.styles + task.frames { _ = try? FramePayload.decode(image) }
                }
                _ = try? message.decodeResult()
                _ = try? message.decodeReason()
                _ = try? message.decodeSubmit()
                _ = try? message.decodeStatusReply()
                _ = try? message.decodeControl()
                _ = try? message.decodeControlReply()
                _ = try? message.decodeAccepted()
            } catch {
                rejected += 1
                #expect(!error.description.contains("\n"))
            }
        }
        #expect(decoded > 0 && rejected > 0)
    }

    /// A worker older than `features` says nothing of them and takes none; this build takes all.
    @Test func workerHelloFeaturesTellWhatAWorkerTakes() throws {
        let old = try JSONPayload.decode(WorkerHello.self, from: Array(#"{"name":"w","threads":2,"protocolVersion":1}"#.utf8))
        #expect(old.features == nil && !old.takes(WorkerHello.Feature.seam) && !old.takes(WorkerHello.Feature.segment))
        let now = WorkerHello(name: "w", threads: 2)
        #expect(now.takes(WorkerHello.Feature.seam) && now.takes(WorkerHello.Feature.segment))
        #expect(try JSONPayload.decode(WorkerHello.self, from: JSONPayload.encode(now)) == now)
    }
}
