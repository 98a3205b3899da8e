import Foundation
import Testing
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
