import Foundation
import Testing
@testable import Engine

@Suite struct WeightFileTests {
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("vst-wf-\(UUID().uuidString)-\(name)").path
    }

    static func sample() -> WeightFile {
        var rng = SeededFloats(seed: 5)
        return WeightFile(architecture: "vgg16", inputConvention: VGGWeights.inputConvention, entries: [
            .init(name: "conv1_1.weight", shape: [64, 3, 3, 3], values: rng.array(64 * 27)),
            .init(name: "conv1_1.bias", shape: [64], values: rng.array(64)),
            .init(name: "odd", shape: [3, 1, 7], values: rng.array(21) + []),
        ])
    }

    @Test func roundTripsThroughBytesAndDisk() throws {
        let file = Self.sample()
        #expect(try WeightFile(decoding: file.encoded(), path: "x") == file)
        let path = Self.temporaryPath("rt.vstw")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try file.write(to: path)
        #expect(try WeightFile.read(path: path) == file)
        // The header and checksum as documented: magic, version 1, SHA-256 trailer.
        let bytes = file.encoded()
        #expect(Array(bytes[0..<8]) == Array("VSTW".utf8) + [1, 0, 0, 0])
        #expect(Array(bytes.suffix(32)) == SHA256.hash(bytes.dropLast(32)))
    }

    @Test func vggWeightsRoundTrip() throws {
        let tiny = VGGWeights.random(.vgg16, seed: 3)
        let path = Self.temporaryPath("vgg.vstw")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try tiny.weightFile.write(to: path)
        let back = try VGGWeights.load(path: path)
        #expect(back.architecture == .vgg16)
        #expect(back.convolutions == tiny.convolutions)
    }

    @Test func missingTruncatedCorruptAndWrongShapeFilesNameTheFileAndTheFix() throws {
        let missing = Self.temporaryPath("none.vstw")
        #expect(throws: WeightFileError.missing(path: missing)) { try VGGWeights.load(path: missing) }
        #expect(WeightFileError.missing(path: missing).description.contains("run `vst models fetch`"))
        #expect(WeightFileError.missing(path: missing).description.contains(missing))

        let bytes = Self.sample().encoded()
        let path = Self.temporaryPath("bad.vstw")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes.prefix(bytes.count / 2)).write(to: URL(fileURLWithPath: path))
        #expect(throws: WeightFileError.truncated(path: path, bytes: bytes.count / 2)) { try WeightFile.read(path: path) }
        #expect(WeightFileError.truncated(path: path, bytes: 1).description.contains("run `vst models fetch`"))
        try Data(bytes.prefix(20)).write(to: URL(fileURLWithPath: path))
        #expect(throws: WeightFileError.truncated(path: path, bytes: 20)) { try WeightFile.read(path: path) }
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x40
        #expect(throws: WeightFileError.checksumMismatch(path: "f")) { try WeightFile(decoding: flipped, path: "f") }
        #expect(throws: WeightFileError.notAWeightFile(path: "g")) { try WeightFile(decoding: [UInt8](repeating: 7, count: 64), path: "g") }
        // A header whose shape claims 4 billion values is a cut-off file, not a crash.
        let huge = WeightFile(architecture: "vgg16", inputConvention: "", entries: [.init(name: "x", shape: [1], values: [0])]).encoded()
        var corrupt = huge
        let dims = corrupt.count - 32 - 4 - 8 - 4  // the one dim, before the offset and the payload
        for i in 0..<4 { corrupt[dims + i] = 0xff }
        #expect(throws: WeightFileError.truncated(path: "h", bytes: corrupt.count)) { try WeightFile(decoding: corrupt, path: "h") }

        // vgg16's conv1_1 stored as 5x5: the loader names the tensor and both shapes.
        var wrong = Self.sample()
        wrong.entries[0] = .init(name: "conv1_1.weight", shape: [64, 3, 5, 5], values: [Float](repeating: 0, count: 64 * 75))
        #expect(throws: WeightFileError.wrongShape(path: "w", name: "conv1_1.weight", expected: [64, 3, 3, 3], found: [64, 3, 5, 5])) {
            try VGGWeights(weightFile: wrong, path: "w")
        }
        var partial = Self.sample()
        partial.entries.removeLast()
        #expect(throws: WeightFileError.missingTensor(path: "p", name: "conv1_2.weight")) { try VGGWeights(weightFile: partial, path: "p") }
    }
}
