import Foundation
import Testing
import Protocol
@testable import Coordinator

/// CURVE by default, plain TCP only on loopback unless forced, key files checked; and the
/// coordinator's loop refusing a worker whose key it does not know.
@Suite struct LinkSecurityTests {
    @Test func insecureStaysOnLoopbackUnlessForced() throws {
        let plain = LinkSecurity(insecure: true)
        #expect(try plain.server(endpoints: ["tcp://127.0.0.1:5555", "tcp://localhost:5556"]) == .plain)
        #expect(try plain.client(endpoint: "tcp://[::1]:5556") == .plain)
        #expect(throws: CoordinatorError.self) { try plain.server(endpoints: ["tcp://127.0.0.1:5555", "tcp://*:5556"]) }
        #expect(throws: CoordinatorError.self) { try plain.client(endpoint: "tcp://coord.example:5556") }
        #expect(throws: CoordinatorError.self) { try plain.client(endpoint: "tcp://127.0.0.1.example:5556") }
        let forced = LinkSecurity(forceInsecure: true)
        #expect(try forced.server(endpoints: ["tcp://*:5555"]) == .plain)
    }

    @Test func keysAreRequiredAndSecretKeysMustBePrivate() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            _ = try LinkSecurity().server(endpoints: ["tcp://127.0.0.1:5555"])
            Issue.record("a coordinator without keys must be refused")
        } catch {
            #expect(error.exitCode == 2 && error.description.contains("--key FILE and --authorized FILE"))
        }
        let base = folder.appendingPathComponent("coord").path
        let paths = try LinkSecurity.generate(to: base)
        #expect(throws: CoordinatorError.self) { try LinkSecurity.generate(to: base) } // no silent replacement
        let authorized = folder.appendingPathComponent("authorized").path
        try String(contentsOfFile: paths.public, encoding: .utf8).write(toFile: authorized, atomically: true, encoding: .utf8)
        chmod(authorized, 0o644)
        let security = LinkSecurity(key: paths.secret, authorized: authorized)
        guard case .curve(let keys, let allowed) = try security.server(endpoints: ["tcp://*:5555"]) else {
            Issue.record("expected CURVE")
            return
        }
        #expect(allowed == [keys.publicKey])
        chmod(paths.secret, 0o644)
        do {
            _ = try security.server(endpoints: ["tcp://*:5555"])
            Issue.record("a world-readable secret key must be refused")
        } catch {
            #expect(error.description.contains("mode 644") && error.description.contains("chmod 600"), "\(error)")
        }
        chmod(paths.secret, 0o600)
        chmod(authorized, 0o666)
        #expect(throws: CoordinatorError.self) { try security.server(endpoints: ["tcp://*:5555"]) }
    }

    @Test func anUnknownWorkerKeyIsRefusedAndLoggedAndAKnownOneJoins() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("vst-curve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let server = try CurveKeyPair.generate(), known = try CurveKeyPair.generate(), stranger = try CurveKeyPair.generate()
        let lines = LogLines()
        let coordinator = try CoordinatorServer(bind: "tcp://127.0.0.1:*", control: nil, settings: .init(
            lease: .seconds(10), dataDirectory: data, durable: false,
            security: .curve(keys: server, authorized: [known.publicKey]), log: lines.append))
        defer { coordinator.shutdown() }
        let context = try ZMQContext()
        defer { context.shutdown() }
        func worker(_ keys: CurveKeyPair) throws -> Socket {
            var options = Socket.Options()
            options.security = .curveClient(keys: keys, server: server.publicKey)
            let socket = try Socket(context: context, type: .dealer, options: options)
            try socket.connect(coordinator.workerEndpoint)
            try socket.send(Message.ready(credit: 1, hello: WorkerHello(name: "w", threads: 1)).frames())
            return socket
        }
        let intruder = try worker(stranger)
        defer { intruder.close() }
        let deadline = ContinuousClock.now + .seconds(10)
        while coordinator.refusedConnections == 0 && ContinuousClock.now < deadline { coordinator.step(timeout: .milliseconds(20)) }
        for _ in 0..<10 { coordinator.step(timeout: .milliseconds(20)) }
        #expect(coordinator.refusedConnections >= 1)
        #expect(coordinator.workerCount == 0)
        #expect(lines.all.contains { $0.hasPrefix("refused a connection from 127.0.0.1: key not authorized") }, "\(lines.all)")

        let member = try worker(known)
        defer { member.close() }
        while coordinator.workerCount == 0 && ContinuousClock.now < deadline { coordinator.step(timeout: .milliseconds(20)) }
        #expect(coordinator.workerCount == 1)
    }
}

/// Log lines collected from the coordinator's log closure (called on its thread and the ZAP
/// handler's).
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var append: @Sendable (String) -> Void { { [self] line in lock.lock(); lines.append(line); lock.unlock() } }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
