import Foundation
import Testing
@testable import Engine

/// The model file: round trips, and every kind of damage is refused with its own error.
@Suite struct StyleModelFileTests {
    func model() -> (ReCoNet, StyleModelFile) {
        var rng = SplitMix64(seed: 21)
        let net = ReCoNet(configuration: ReCoNetTests.tiny, using: &rng)
        return (net, StyleModelFile(network: net, styleName: "starry", step: 42, training: ["styleWeight": "5"]))
    }

    @Test func roundTripsAndRendersTheSame() throws {
        let (net, file) = model()
        let decoded = try StyleModelFile(decoding: file.encoded())
        #expect(decoded == file)
        #expect(decoded.metadata.styleName == "starry" && decoded.metadata.step == 42)
        #expect(decoded.metadata.training["styleWeight"] == "5")
        var rng = SplitMix64(seed: 22)
        let x = Tensor.random([1, 3, 8, 12], in: 0...255, using: &rng)
        #expect(try decoded.makeNetwork().stylize(x) == net.stylize(x))
    }

    @Test func writesAtomicallyAndReads() throws {
        let (_, file) = model()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vst-model-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.reconet").path
        try file.write(to: path)
        try file.write(to: path)
        #expect(try StyleModelFile.read(path: path) == file)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["m.reconet"])
        #expect(throws: StyleModelFileError.missing(path: path + "x")) { try StyleModelFile.read(path: path + "x") }
    }

    /// The head alone gives the metadata a full decode gives; a file that is not a model, or is
    /// cut inside its head, is refused naming the file. The payload is not read, so damage there
    /// is for `read(path:)` to find.
    @Test func metadataComesFromTheHeadAlone() throws {
        let (_, file) = model()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vst-model-head-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = file.encoded()
        let path = dir.appendingPathComponent("m.reconet").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(try StyleModelFile.metadata(ofFile: path) == file.metadata)

        var flipped = bytes
        flipped[bytes.count - 40] ^= 0x10
        try Data(flipped).write(to: URL(fileURLWithPath: path))
        #expect(try StyleModelFile.metadata(ofFile: path) == file.metadata)
        #expect(throws: StyleModelFileError.inFile(path: path, .checksumMismatch)) { try StyleModelFile.read(path: path) }

        try Data(bytes.prefix(40)).write(to: URL(fileURLWithPath: path))
        #expect(throws: StyleModelFileError.inFile(path: path, .truncated(bytes: 40))) { try StyleModelFile.metadata(ofFile: path) }
        try Data("not a model at all".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: StyleModelFileError.inFile(path: path, .notAModel)) { try StyleModelFile.metadata(ofFile: path) }
        #expect(throws: StyleModelFileError.missing(path: path + "x")) { try StyleModelFile.metadata(ofFile: path + "x") }
    }

    @Test func refusesDamage() {
        let bytes = model().1.encoded()
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x10
        #expect(throws: StyleModelFileError.checksumMismatch) { try StyleModelFile(decoding: flipped) }
        #expect(throws: StyleModelFileError.checksumMismatch) { try StyleModelFile(decoding: Array(bytes.dropLast(7))) }
        #expect(throws: StyleModelFileError.truncated(bytes: 10)) { try StyleModelFile(decoding: Array(bytes.prefix(10))) }
        #expect(throws: StyleModelFileError.truncated(bytes: 200)) { try StyleModelFile(decoding: Array(bytes.prefix(200))) }
        var magic = bytes
        magic[0] = UInt8(ascii: "X")
        #expect(throws: StyleModelFileError.notAModel) { try StyleModelFile(decoding: magic) }
        var version = bytes
        version[8] = 9
        #expect(throws: StyleModelFileError.unsupportedVersion(9)) { try StyleModelFile(decoding: version) }
    }

    @Test func missingTensorAndOptimizerStripping() throws {
        let (_, file) = model()
        var partial = file
        partial.tensors.removeLast()
        let n = file.tensors.count - 1
        #expect(throws: StyleModelFileError.missingTensor("net.\(n)")) { try StyleModelFile(decoding: partial.encoded()).makeNetwork() }
        var withState = file
        withState.tensors.append(("adam.m.0", Tensor(shape: [2])))
        #expect(withState.withoutOptimizerState() == file)
        #expect("\(StyleModelFileError.inFile(path: "a.reconet", .checksumMismatch))" == "a.reconet: style model is corrupt (checksum mismatch)")
    }
}
