import Engine
import Foundation

/// The material some tests need and a checkout may lack: ../shared beside the package (clips,
/// paintings, flow ground truth) and the VGG-16 weights `vst models fetch` writes. A test that
/// needs one is disabled with a reason when it is missing, so the run reports it as skipped;
/// with `VST_REQUIRE_FIXTURES=1` (.ci/run sets it) `FixtureRequirementTests` fails the run instead.
enum Fixtures {
    /// The package root: Tests/CoordinatorTests/Support/ is three levels below it.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// ../shared, where DESIGN.md puts the shared test material.
    static var sharedFolder: URL { packageRoot.deletingLastPathComponent().appendingPathComponent("shared") }

    /// ../shared/media/NAME when the shared test material is present.
    static func sharedMedia(_ name: String) -> String? {
        let path = sharedFolder.appendingPathComponent("media/\(name)").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// Where the executables the tests start look for the VGG-16 weights: `$VST_MODELS`, else
    /// models/ of this checkout.
    static var weightsPath: String { ModelStore.defaultWeightsPath() }

    /// The VGG-16 weights, when fetched.
    static var weights: String? { FileManager.default.fileExists(atPath: weightsPath) ? weightsPath : nil }

    /// Whether a missing fixture fails the run instead of skipping the tests that need it.
    static var required: Bool { ProcessInfo.processInfo.environment["VST_REQUIRE_FIXTURES"] == "1" }

    /// The files of ../shared that the test targets read (Media's clips and painting, Engine's
    /// flow ground truth, the end-to-end tests' clip and style), relative to ../shared.
    static let sharedFiles = [
        "media/bigbuckbunny.mp4", "media/tears_of_steel_excerpt_640x360.mp4", "media/starry_night.jpg",
        "flow/tiny_mmflow_chairs_50x50/flow10.flo",
    ]

    /// One line for each fixture missing from `shared` and `weights`, saying how to get it.
    static func missing(shared: URL, weights: String) -> [String] {
        var lines: [String] = []
        let absent = sharedFiles.filter { !FileManager.default.fileExists(atPath: shared.appendingPathComponent($0).path) }
        if !absent.isEmpty {
            lines.append("\(shared.path) lacks \(absent.joined(separator: ", ")): put the shared test material (DESIGN.md, "
                         + "\"Test material in ../shared\") beside the checkout")
        }
        if !FileManager.default.fileExists(atPath: weights) {
            lines.append("\(weights) is missing: run scripts/setup.sh or `vst models fetch`")
        }
        return lines
    }
}
