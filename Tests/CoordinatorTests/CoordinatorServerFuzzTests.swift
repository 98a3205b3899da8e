import Foundation
import Testing
import Media
import Protocol
@testable import Coordinator

/// Random bytes and mutated protocol messages at a live coordinator's ports, with a job
/// running so that results reach the store: nothing may crash it or stop it answering.
/// `VST_FUZZ_MESSAGES` sets the number of messages (10,000 by default; the 100,000
/// is a manual run, docs/operations.md).
@Suite struct CoordinatorServerFuzzTests {
    static var messageCount: Int {
        ProcessInfo.processInfo.environment["VST_FUZZ_MESSAGES"].flatMap(Int.init) ?? 10_000
    }

    /// Valid messages of every kind, the seeds the mutations start from.
    static func seeds(film: String, folder: URL) -> [[[UInt8]]] {
        let pixels = [UInt8](repeating: 77, count: 16 * 8 * 3)
        let spec = TaskSpec(job: 1, chunk: 0, renderStart: 0, ownStart: 0, end: 2, width: 16, height: 8, method: .copy,
                            styleCount: 0, styleWeights: [], frameCount: 2)
        let frame = FramePayload.encode(width: 16, height: 8, pixels: pixels)
        let request = JobRequest(input: film, output: folder.appendingPathComponent("fuzz-out.mkv").path, styles: [], method: .copy,
                                 chunk: 6, overlap: 3, crf: 18, preset: "medium", lossless: true)
        let messages: [Message] = [
            .ready(credit: 1, hello: WorkerHello(name: "fuzz", threads: 1)), .heartbeat(),
            .result(job: 1, chunk: 0, frame: 2, width: 16, height: 8, pixels: pixels),
            .result(job: 1, chunk: 1, frame: 4, width: 16, height: 8, pixels: pixels),
            .ack(job: 1, chunk: 0, frame: 1), .chunkDone(job: 1, chunk: 0), .chunkFailed(job: 1, chunk: 1, reason: "fuzz"),
            .cancel(job: 1, chunk: 0), .bye(), .task(TaskPayload(spec: spec, styles: [], frames: [frame, frame])),
            .submit(request), .status(job: 1), .control(job: 1, action: .pause), .control(job: 1, action: .resume),
        ]
        return messages.map { $0.frames() }
    }

    static func mutate(_ seed: [[UInt8]], _ rng: inout SplitMix64) -> [[UInt8]] {
        var frames = seed
        func randomBytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) } }
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            let index = Int.random(in: 0..<frames.count, using: &rng)
            switch Int.random(in: 0..<7, using: &rng) {
            case 0: // flip bytes
                if !frames[index].isEmpty {
                    for _ in 0..<Int.random(in: 1...8, using: &rng) {
                        frames[index][Int.random(in: 0..<frames[index].count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
                    }
                }
            case 1: frames[index] = Array(frames[index].prefix(Int.random(in: 0...frames[index].count, using: &rng)))
            case 2: frames[index] += randomBytes(Int.random(in: 1...64, using: &rng))
            case 3: if frames.count > 1 { frames.remove(at: index) }
            case 4: frames.insert(randomBytes(Int.random(in: 0...40, using: &rng)), at: index)
            case 5: // header fields: kind, job, chunk, frame
                if frames[0].count == 20 {
                    let offset = [6, 8, 12, 16].randomElement(using: &rng)!
                    let value = [0, 1, 2, 0xFFFF_FFFF, UInt32.random(in: 0...100, using: &rng)].randomElement(using: &rng)!
                    for b in 0..<(offset == 6 ? 1 : 4) { frames[0][offset + b] = UInt8(truncatingIfNeeded: value >> (8 * b)) }
                }
            default: frames = (0..<Int.random(in: 1...4, using: &rng)).map { _ in randomBytes(Int.random(in: 0...64, using: &rng)) }
            }
        }
        return frames
    }

    /// Connects to 127.0.0.1:`port` with plain TCP, writes `bytes`, closes.
    static func rawTCP(port: Int, _ bytes: [UInt8]) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if connected == 0 { _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
    }

    @Test func randomBytesAndMutatedMessagesNeverStopTheCoordinator() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let film = try JobRunnerTests.makeFilm(in: folder)
        let server = try CoordinatorServer(bind: "tcp://127.0.0.1:*", control: "tcp://127.0.0.1:*",
                                           settings: .init(lease: .seconds(10), dataDirectory: folder.appendingPathComponent("data"), durable: false))
        defer { server.shutdown() }
        _ = try server.addJob(JobRequest(input: film, output: folder.appendingPathComponent("out.mkv").path, styles: [], method: .copy,
                                         chunk: 6, overlap: 3, crf: 18, preset: "medium", lossless: true))
        let context = try ZMQContext()
        defer { context.shutdown() }
        let workerPort = Int(server.workerEndpoint.split(separator: ":").last!)!
        var senders: [Socket] = []
        for index in 0..<6 {
            let socket = try Socket(context: context, type: .dealer)
            try socket.connect(index < 5 ? server.workerEndpoint : server.controlEndpoint!)
            senders.append(socket)
        }
        defer { senders.forEach { $0.close() } }
        var rng = SplitMix64(seed: 0x5EED_F022)
        let seeds = Self.seeds(film: film, folder: folder)

        for _ in 0..<100 { Self.rawTCP(port: workerPort, (0..<Int.random(in: 1...2048, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }) }
        for index in 0..<Self.messageCount {
            let sender = senders[Int.random(in: 0..<senders.count, using: &rng)]
            try sender.send(Self.mutate(seeds.randomElement(using: &rng)!, &rng))
            if index % 50 == 49 {
                server.step(timeout: .zero)
                for socket in senders { while try socket.receive(timeout: .zero) != nil {} } // replies must not pile up
            }
        }
        for _ in 0..<100 { Self.rawTCP(port: workerPort, (0..<Int.random(in: 1...2048, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }) }
        for _ in 0..<20 { server.step(timeout: .milliseconds(5)) }
        #expect(server.malformedMessages > Self.messageCount / 4)

        // Still serving: a fresh client gets an answer, a fresh worker joins.
        let client = try Socket(context: context, type: .dealer), worker = try Socket(context: context, type: .dealer)
        defer { client.close(); worker.close() }
        try client.connect(server.controlEndpoint!)
        try worker.connect(server.workerEndpoint)
        try client.send(Message.status().frames())
        try worker.send(Message.ready(credit: 0, hello: WorkerHello(name: "after", threads: 1)).frames())
        var reply: Message?
        let deadline = ContinuousClock.now + .seconds(10)
        while reply == nil && ContinuousClock.now < deadline {
            server.step(timeout: .milliseconds(20))
            if let frames = try client.receive(timeout: .zero) { reply = try Message.decode(frames) }
        }
        // Job 1 is still there (mutated SUBMITs that stayed valid may have queued more).
        #expect(try reply?.decodeStatusReply().first?.job == 1)
    }
}
