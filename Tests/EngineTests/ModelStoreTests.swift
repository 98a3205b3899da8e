import Foundation
import Testing
@testable import Engine

@Suite struct ModelStoreTests {
    static func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vst-ms-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func directoryComesFromTheEnvironmentOrTheCheckout() throws {
        #expect(ModelStore.directory(environment: ["VST_MODELS": "/srv/vst-models"], executablePath: nil) == "/srv/vst-models")
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        FileManager.default.createFile(atPath: root + "/Package.swift", contents: Data())
        try FileManager.default.createDirectory(atPath: root + "/.build/release", withIntermediateDirectories: true)
        #expect(ModelStore.directory(environment: [:], executablePath: root + "/.build/release/vst") == root + "/models")
        #expect(ModelStore.defaultWeightsPath(environment: ["VST_MODELS": "/m"]) == "/m/vgg16.vstw")
    }

    @Test func sha256OfFileMatchesInMemoryHash() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bytes = (0..<(5 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/f"))
        #expect(try ModelStore.sha256(ofFile: dir + "/f") == SHA256.hex(SHA256.hash(bytes)))
        #expect(throws: ModelStoreError.missingFile(dir + "/none")) { try ModelStore.sha256(ofFile: dir + "/none") }
    }

    @Test func importRejectsAnONNXThatIsNotAVGG() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let onnx = dir + "/tiny.onnx"
        try Data(ONNXImportTests.tinyModel(ONNXImportTests.layers(seed: 3))).write(to: URL(fileURLWithPath: onnx))
        #expect(throws: ModelStoreError.weights(onnx, .noVGGConvolutions(found: 3))) {
            try ModelStore.importONNX(from: onnx, to: dir + "/out.vstw")
        }
        try Data([0x3a, 0x10, 0x01]).write(to: URL(fileURLWithPath: onnx))
        #expect(throws: ModelStoreError.self) { try ModelStore.importONNX(from: onnx, to: dir + "/out.vstw") }
    }
}
