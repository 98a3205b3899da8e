import Engine
import Foundation
import Testing
@testable import Coordinator

/// The coordinator's side of model transfer: bytes to each worker once, again after it is forgotten.
@Suite struct JobModelTests {
    static func modelFile(in folder: URL) throws -> String {
        var rng = SplitMix64(seed: 3)
        let network = ReCoNet(configuration: .init(widths: [2, 3, 4], residualBlocks: 1), using: &rng)
        let path = folder.appendingPathComponent("tiny.reconet").path
        try StyleModelFile(network: network, styleName: "tiny", step: 1, training: [:]).write(to: path)
        return path
    }

    @Test func sendsTheBytesOncePerWorkerUntilForgotten() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.modelFile(in: folder)
        var model = try JobModel(path: path)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(model.reference.sha256 == SHA256.hex(SHA256.hash(bytes)) && model.reference.byteCount == bytes.count)
        let a = WorkerID([1]), b = WorkerID([2])
        let first = model.next(for: a)
        #expect(first.reference.attached && first.bytes == bytes)
        #expect(model.next(for: a).bytes == nil && !model.next(for: a).reference.attached)
        #expect(model.next(for: b).bytes == bytes)
        model.forget(a)
        #expect(model.next(for: a).bytes == bytes)
    }

    @Test func aMissingOrCorruptModelIsBadInput() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: CoordinatorError.badInput(path: folder.path + "/none.reconet", reason: "cannot read the model")) {
            try JobModel(path: folder.path + "/none.reconet")
        }
        let image = folder.appendingPathComponent("not-a-model.reconet")
        try Data("this is not a model".utf8).write(to: image)
        #expect(throws: CoordinatorError.self) { try JobModel(path: image.path) }
    }
}
