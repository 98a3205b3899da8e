import Engine
import Foundation
import Media
import Testing

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
