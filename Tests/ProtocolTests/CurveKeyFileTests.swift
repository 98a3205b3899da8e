import Testing
import Foundation
import Protocol

@Suite struct CurveKeyFileTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vst-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func writtenPairsReadBack() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pair = try CurveKeyPair.generate()
        let base = directory.appendingPathComponent("coord").path
        let paths = try CurveKeyFile.write(pair, to: base)
        #expect(paths.secret == base + ".key" && paths.public == base + ".pub")
        #expect(try CurveKeyFile.readKeyPair(paths.secret) == pair)
        #expect(try CurveKeyFile.readSingleKey(paths.public) == pair.publicKey)
        let mode = try FileManager.default.attributesOfItem(atPath: paths.secret)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // Writing again replaces the pair.
        let second = try CurveKeyPair.generate()
        try CurveKeyFile.write(second, to: base)
        #expect(try CurveKeyFile.readKeyPair(paths.secret) == second)
    }

    @Test func authorizedFilesAllowCommentsAndNotes() throws {
        let a = try CurveKeyPair.generate().publicKey, b = try CurveKeyPair.generate().publicKey
        let text = "# workers\n\n\(a.z85)  render-01\n   \(b.z85)\r\n# end\n"
        #expect(try CurveKeyFile.parseKeys(text, path: "authorized") == [a, b])
        #expect(throws: CurveKeyError.malformedLine(path: "authorized", line: 2)) {
            try CurveKeyFile.parseKeys("\(a.z85)\nnot-a-key\n", path: "authorized")
        }
    }

    @Test func missingAndAmbiguousFilesAreOneLineErrors() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("none.pub").path
        #expect(throws: CurveKeyError.cannotRead(path: missing, reason: "no such file")) { try CurveKeyFile.readSingleKey(missing) }
        let two = directory.appendingPathComponent("two.pub").path
        let keys = [try CurveKeyPair.generate().publicKey.z85, try CurveKeyPair.generate().publicKey.z85]
        try Data(keys.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: two))
        #expect(throws: CurveKeyError.wrongKeyCount(path: two, count: 2)) { try CurveKeyFile.readSingleKey(two) }
        #expect(!CurveKeyError.wrongKeyCount(path: two, count: 2).description.contains("\n"))
        let unwritable = directory.appendingPathComponent("no/such/dir/key").path
        #expect(throws: CurveKeyError.self) { try CurveKeyFile.write(CurveKeyPair.generate(), to: unwritable) }
    }
}
