import Engine
import Foundation
import Media
import Protocol
import Testing
@testable import Coordinator

/// `--method reconet` through the real executables on 127.0.0.1, with the model committed in
/// models/: every output frame is the network's stylisation of its input frame, and the model
/// travels once to each worker however many chunks it renders.
@Suite(.serialized) struct ReCoNetEndToEndTests {
    static let model: String? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = root.appendingPathComponent("models/starry.reconet").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }()

    @Test(.enabled(if: model != nil, "needs models/starry.reconet"))
    func everyFrameIsTheModelsStylisationAndTheModelTravelsOncePerWorker() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Tools.syntheticClip(in: folder, frames: 12, width: 64, height: 48)
        let output = folder.appendingPathComponent("styled.mkv").path
        let result = try ChildProcess.run(Tools.vstCoord, ["submit", input, "--method", "reconet", "--model", Self.model!,
                                                           "--chunk", "2", "--lossless", "--local-workers", "2",
                                                           "--worker-threads", "1", "--verbose", "--out", output],
                                          timeout: .seconds(240))
        #expect(result.status == 0, "\(result.stderr)")
        // Six chunks on two workers, and the model sent to each worker once.
        let sends = result.stderr.split(separator: "\n").filter { $0.contains("model ") && $0.contains(" sent to worker ") }
        #expect((1...2).contains(sends.count), "\(result.stderr)")
        // (Timestamps and sound are the copy tests' subject; Matroska shifts this clip's by its
        // AAC priming delay, see docs/benchmarks.md's notes.)
        #expect(try Tools.videoTimes(output).count == 12)
        #expect(try !Tools.audioPackets(output).isEmpty)

        let network = try StyleModelFile.read(path: Self.model!).makeNetwork()
        let styled = try VideoReader(path: output), original = try VideoReader(path: input)
        var frames = 0, worst = 0
        while let frame = try original.nextFrame() {
            let out = try #require(try styled.nextFrame())
            let expected = network.stylize(packedRGB: frame.image.pixels, width: frame.image.width, height: frame.image.height)
            #expect(out.image.width == 64 && out.image.height == 48)
            for (a, b) in zip(out.image.pixels, expected) { worst = max(worst, abs(Int(a) - Int(b))) }
            #expect(out.image.pixels != frame.image.pixels)
            frames += 1
        }
        #expect(frames == 12)
        // Lossless output: the same network on another thread count may round one value the other way.
        #expect(worst <= 1)
    }

    /// `--stabilize` through the executables: chunks of 4 with the settling overlap, every frame
    /// back, a chunk's first frame the network's own and later ones blended away from it; and its
    /// chunks need a worker that lists the feature.
    @Test(.enabled(if: model != nil, "needs models/starry.reconet"))
    func stabilizedFramesAllComeBackBlendedAfterTheFirst() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Tools.syntheticClip(in: folder, frames: 12, width: 64, height: 48)
        let output = folder.appendingPathComponent("steady.mkv").path
        let result = try ChildProcess.run(Tools.vstCoord, ["submit", input, "--method", "reconet", "--model", Self.model!,
                                                           "--stabilize", "--stabilize-strength", "0.8", "--chunk", "4",
                                                           "--lossless", "--local-workers", "2", "--worker-threads", "1", "--out", output],
                                          timeout: .seconds(240))
        #expect(result.status == 0, "\(result.stderr)")
        let network = try StyleModelFile.read(path: Self.model!).makeNetwork()
        let styled = try VideoReader(path: output), original = try VideoReader(path: input)
        var differences: [Int] = []
        while let frame = try original.nextFrame() {
            let out = try #require(try styled.nextFrame())
            let raw = network.stylize(packedRGB: frame.image.pixels, width: frame.image.width, height: frame.image.height)
            differences.append(zip(out.image.pixels, raw).reduce(0) { max($0, abs(Int($1.0) - Int($1.1))) })
        }
        #expect(differences.count == 12)
        #expect(differences[0] <= 1, "\(differences)")
        #expect(differences.dropFirst().contains { $0 > 1 }, "\(differences)")

        let server = try CoordinatorServer(bind: "tcp://127.0.0.1:*", control: "tcp://127.0.0.1:*",
                                           settings: .init(lease: .seconds(10), dataDirectory: folder.appendingPathComponent("data"), durable: false))
        defer { server.shutdown() }
        func features(_ reconet: ReCoNetParameters?) throws -> [String]? {
            let job = try server.addJob(JobRequest(input: input, output: folder.appendingPathComponent("f\(reconet == nil).mkv").path,
                                                   styles: [], method: .reconet, model: Self.model!, chunk: 4, overlap: 0, crf: 18,
                                                   preset: "ultrafast", reconet: reconet))
            return server.jobs[job]?.featuresNeeded(chunk: 1)
        }
        #expect(try features(ReCoNetParameters(stabilize: 0.6))?.contains(WorkerHello.Feature.stabilize) == true)
        #expect(try features(nil)?.contains(WorkerHello.Feature.stabilize) == false)
    }

    @Test(.enabled(if: model != nil, "needs models/starry.reconet"))
    func aMissingOrBrokenModelIsOneErrorLineAndExitCode2() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Tools.syntheticClip(in: folder, frames: 4, width: 64, height: 48)
        let output = folder.appendingPathComponent("o.mkv").path
        let noModel = try ChildProcess.run(Tools.vstCoord, ["submit", input, "--method", "reconet", "--out", output], timeout: .seconds(60))
        #expect(noModel.status == 2)
        #expect(noModel.stderr.hasPrefix("error: method reconet needs --model"), "\(noModel.stderr)")

        let broken = folder.appendingPathComponent("broken.reconet").path
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.model!)))
        bytes[bytes.count / 2] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: broken))
        let result = try ChildProcess.run(Tools.vstCoord, ["submit", input, "--method", "reconet", "--model", broken,
                                                           "--local-workers", "1", "--out", output], timeout: .seconds(60))
        #expect(result.status == 2, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: \(broken): "), "\(result.stderr)")
    }
}
