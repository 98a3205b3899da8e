import Foundation
import Testing

/// Tests whose fixture is missing report as skipped, so a run without ../shared or the weights
/// stays green; CI sets `VST_REQUIRE_FIXTURES=1`, and then a missing fixture fails `swift test`
/// here, so a green CI run is one that ran them all.
@Suite struct FixtureRequirementTests {
    @Test(.enabled(if: Fixtures.required, "VST_REQUIRE_FIXTURES is not 1: missing fixtures skip their tests instead"))
    func everyFixtureIsPresentWhenRequired() {
        for line in Fixtures.missing(shared: Fixtures.sharedFolder, weights: Fixtures.weightsPath) {
            Issue.record("error: \(line) (VST_REQUIRE_FIXTURES=1)")
        }
    }

    @Test func anEmptyFolderLacksEveryFixtureAndAFullOneNone() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let shared = folder.appendingPathComponent("shared"), weights = folder.appendingPathComponent("models/vgg16.vstw")
        let lines = Fixtures.missing(shared: shared, weights: weights.path)
        #expect(lines.count == 2)
        #expect(lines.first?.contains("media/bigbuckbunny.mp4") == true && lines.first?.contains("flow/") == true)
        #expect(lines.last == "\(weights.path) is missing: run scripts/setup.sh or `vst models fetch`")
        #expect(lines.allSatisfy { !$0.contains("\n") })
        for url in Fixtures.sharedFiles.map(shared.appendingPathComponent) + [weights] {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: url.path, contents: Data([1]))
        }
        #expect(Fixtures.missing(shared: shared, weights: weights.path).isEmpty)
    }
}
