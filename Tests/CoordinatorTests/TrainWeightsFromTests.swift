import Engine
import Foundation
import Testing

/// `vst train --weights-from MODEL`: a new run that starts from another model's weights (a
/// shipped style's network learns a new painting in far fewer steps than one from random
/// weights, docs/training.md) but counts its own steps and weighs its losses as a run from random
/// weights does.
@Suite struct TrainWeightsFromTests {
    static let starry = Fixtures.packageRoot.appendingPathComponent("models/starry.reconet").path
    static let painting = Fixtures.sharedMedia("starry_night.jpg")
    static var ready: Bool {
        Fixtures.weights != nil && painting != nil && FileManager.default.fileExists(atPath: starry)
    }

    /// One step at 32x32 from a folder holding one photo; returns the written model.
    static func train(in folder: URL, name: String, _ extra: [String]) throws -> StyleModelFile {
        let out = folder.appendingPathComponent("\(name).reconet").path
        let result = try ChildProcess.run(Tools.vst, [
            "train", "--style", painting!, "--images", folder.appendingPathComponent("photos").path, "--out", out,
            "--size", "32", "--style-size", "64", "--steps", "1", "--threads", "1", "--weights", Fixtures.weightsPath,
        ] + extra, timeout: .seconds(120))
        #expect(result.status == 0, "\(result.stderr)")
        return try StyleModelFile.read(path: out)
    }

    static func largestDifference(_ a: Tensor, _ b: Tensor) -> Float {
        zip(a.scalars, b.scalars).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    @Test(.enabled(if: ready, "needs models/vgg16.vstw, models/starry.reconet and ../shared/media/starry_night.jpg"))
    func aRunFromAnotherModelsWeightsStartsFromThemAtStepZero() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vst-weights-from-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("photos"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.painting!, toPath: folder.appendingPathComponent("photos/photo.jpg").path)

        let source = try StyleModelFile.read(path: Self.starry)
        let started = try Self.train(in: folder, name: "started", ["--weights-from", Self.starry])
        let fresh = try Self.train(in: folder, name: "fresh", [])
        #expect(started.metadata.step == 1, "its own step count, not the source's \(source.metadata.step)")
        #expect(started.metadata.training["weightsFrom"] == "starry.reconet")
        // The normalisers of the run from random weights with the same seed and data: the source's
        // belong to another run's first batch, and the trained network's own first losses would
        // weigh the style many times more (docs/training.md).
        for key in ["contentNormalizer", "styleNormalizer"] {
            #expect(started.metadata.training[key] != nil)
            #expect(started.metadata.training[key] == fresh.metadata.training[key], "\(key)")
            #expect(started.metadata.training[key] != source.metadata.training[key], "\(key)")
        }
        let first = try #require(source.tensor(named: "net.0"))
        let moved = try #require(started.tensor(named: "net.0")), scratch = try #require(fresh.tensor(named: "net.0"))
        // One Adam step at 1e-3 moves a weight by about 1e-3; random weights are far from trained ones.
        #expect(Self.largestDifference(moved, first) < 0.01)
        #expect(Self.largestDifference(scratch, first) > 0.1)
    }
}
