import Foundation
import Testing
@testable import Coordinator
@testable import Dashboard

struct HTTPAddressTests {
    @Test func aBarePortMeansLoopback() throws {
        #expect(try HTTPAddress(parsing: ":8080") == HTTPAddress(host: "127.0.0.1", port: 8080))
        #expect(try HTTPAddress(parsing: ":8080").isLoopback)
        #expect(try HTTPAddress(parsing: "0.0.0.0:80").isLoopback == false)
        #expect(try HTTPAddress(parsing: "[::1]:9000") == HTTPAddress(host: "::1", port: 9000))
        #expect(try HTTPAddress(parsing: "[::1]:9000").description == "[::1]:9000")
        for bad in ["8080", ":", "host:port", ":70000", "a b:1"] {
            #expect(throws: (any Error).self, "\(bad)") { try HTTPAddress(parsing: bad) }
        }
    }

    @Test func theTokenIsMadeOnceAndKept() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vst-token-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let made = try DashboardToken.load(file: nil, dataDirectory: folder.path)
        #expect(made.token.count == 64 && made.path == folder.appendingPathComponent("http-token").path)
        let mode = try FileManager.default.attributesOfItem(atPath: made.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try DashboardToken.load(file: nil, dataDirectory: folder.path).token == made.token)
        let short = folder.appendingPathComponent("short").path
        try "abc\n".write(toFile: short, atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) { try DashboardToken.load(file: short, dataDirectory: folder.path) }
        #expect(DashboardToken.matches(made.token, made.token) && !DashboardToken.matches(made.token + "x", made.token))
    }
}

struct WorkersDocumentTests {
    @Test func aKeysNoteJoinsTheWorkersFields() throws {
        let worker = FarmSnapshot.Worker(identity: "01", name: "node7-42", address: "10.0.0.7", key: "KEY", state: "idle", job: nil, chunk: nil,
                                         framesDelivered: nil, framesTotal: nil, framesPerSecond: 0, secondsSinceHeard: 0.5, failures: 1)
        let document = WorkersDocument(workers: [.init(worker: worker, keyName: "render-node-7"), .init(worker: worker, keyName: nil)], history: [])
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(document)) as? [String: Any])
        let workers = try #require(object["workers"] as? [[String: Any]])
        #expect(workers[0]["keyName"] as? String == "render-node-7" && workers[0]["name"] as? String == "node7-42")
        #expect(workers[0]["address"] as? String == "10.0.0.7" && workers[0]["failures"] as? Int == 1)
        #expect(workers[1]["keyName"] == nil && workers[1]["key"] as? String == "KEY")
    }
}
