import Engine
import Foundation
import Testing
@testable import Coordinator

/// Which of the coordinator's models starts a gatys job's chunks: the one whose recorded style
/// picture has the job's picture's bytes, or, for a model that recorded only a name, its name.
@Suite struct StyleModelFinderTests {
    static func model(_ name: String, in folder: URL, training: [String: String]) throws {
        var rng = SplitMix64(seed: 3)
        let network = ReCoNet(configuration: .init(widths: [2, 3, 4], residualBlocks: 1), using: &rng)
        try StyleModelFile(network: network, styleName: name, step: 1, training: training)
            .write(to: folder.appendingPathComponent("\(name).reconet").path)
    }

    @Test func matchesByRecordedHashThenByName() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let painting = folder.appendingPathComponent("painting.jpg"), other = folder.appendingPathComponent("other.jpg")
        try Data([1, 2, 3]).write(to: painting)
        try Data([4, 5, 6]).write(to: other)
        let hash = try ModelStore.sha256(ofFile: painting.path)
        // Same name, other bytes: a hashed model of another picture never matches.
        try Self.model("a-hashed-other", in: folder, training: ["style": "painting.jpg", StyleModelFile.styleSHA256Key: String(repeating: "0", count: 64)])
        #expect(StyleModelFinder.model(for: painting.path, in: folder.path) == nil)
        try Self.model("b-by-name", in: folder, training: ["style": "painting.jpg"])
        #expect(StyleModelFinder.model(for: painting.path, in: folder.path) == folder.appendingPathComponent("b-by-name.reconet").path)
        #expect(StyleModelFinder.model(for: other.path, in: folder.path) == nil)
        // A hash match under another file name.
        try Self.model("0-hashed", in: folder, training: ["style": "renamed.jpg", StyleModelFile.styleSHA256Key: hash])
        #expect(StyleModelFinder.model(for: painting.path, in: folder.path) == folder.appendingPathComponent("0-hashed.reconet").path)
        #expect(StyleModelFinder.model(for: painting.path, in: folder.appendingPathComponent("missing").path) == nil)
    }

    /// A `--no-temporal` twin that sorts before its model (starry-johnson before starry) and names the
    /// same picture: the temporally trained one must still be the start.
    @Test func prefersTheTemporallyTrainedModelOverItsTwin() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let painting = folder.appendingPathComponent("painting.jpg")
        try Data([7, 8, 9]).write(to: painting)
        try Self.model("a-twin", in: folder, training: ["style": "painting.jpg", "temporal": "no"])
        #expect(StyleModelFinder.model(for: painting.path, in: folder.path) == folder.appendingPathComponent("a-twin.reconet").path)
        try Self.model("b-temporal", in: folder, training: ["style": "painting.jpg", "temporal": "yes"])
        try Self.model("c-temporal", in: folder, training: ["style": "painting.jpg", "temporal": "yes"])
        #expect(StyleModelFinder.model(for: painting.path, in: folder.path) == folder.appendingPathComponent("b-temporal.reconet").path)
    }
}
