import Testing
@testable import Protocol

/// CURVE over tcp://127.0.0.1: only authorized clients that know the server's key get through.
/// Refused handshakes are observed as silence, so those waits are short and bounded.
@Suite struct CurveAuthenticatorTests {
    static let patience: Duration = .seconds(5)
    static let silence: Duration = .milliseconds(300)

    struct Farm {
        let context: ZMQContext
        let server: CurveKeyPair
        let authenticator: CurveAuthenticator
        let router: Socket
        let endpoint: String

        init(authorized: [CurveKey]) throws {
            context = try ZMQContext()
            server = try CurveKeyPair.generate()
            authenticator = try CurveAuthenticator(context: context, authorized: authorized)
            var options = Socket.Options()
            options.security = .curveServer(keys: server)
            router = try Socket(context: context, type: .router, options: options)
            try router.bind("tcp://127.0.0.1:*")
            endpoint = try router.lastEndpoint
        }

        func client(_ keys: CurveKeyPair, server: CurveKey? = nil) throws -> Socket {
            var options = Socket.Options()
            options.security = .curveClient(keys: keys, server: server ?? self.server.publicKey)
            let socket = try Socket(context: context, type: .dealer, options: options)
            try socket.connect(endpoint)
            return socket
        }

        func close(_ sockets: Socket...) {
            sockets.forEach { $0.close() }
            router.close()
            authenticator.stop()
        }
    }

    @Test func authorizedClientExchangesMessages() throws {
        let worker = try CurveKeyPair.generate()
        let farm = try Farm(authorized: [worker.publicKey])
        let dealer = try farm.client(worker)
        defer { farm.close(dealer) }
        try dealer.send(Message.heartbeat())
        let envelope = try Envelope.decode(#require(try farm.router.receive(timeout: Self.patience)))
        #expect(envelope.message.kind == .heartbeat)
        try farm.router.send(Envelope(peer: envelope.peer, message: .bye()))
        #expect(try dealer.receive(timeout: Self.patience).map(Message.decode)?.kind == .bye)
        #expect(farm.authenticator.rejectedCount == 0)
    }

    @Test func unauthorizedWrongServerAndPlainClientsGetNothingThrough() throws {
        let allowed = try CurveKeyPair.generate(), stranger = try CurveKeyPair.generate()
        let farm = try Farm(authorized: [allowed.publicKey])
        let unauthorized = try farm.client(stranger)
        let wrongServer = try farm.client(allowed, server: try CurveKeyPair.generate().publicKey)
        let plain = try Socket(context: farm.context, type: .dealer)
        try plain.connect(farm.endpoint)
        defer { farm.close(unauthorized, wrongServer, plain) }
        for socket in [unauthorized, wrongServer, plain] {
            try socket.send(Message.heartbeat())
        }
        // Wait (bounded) until the stranger's handshake was refused, checking silence meanwhile.
        let deadline = ContinuousClock.now + Self.patience
        while farm.authenticator.rejectedCount == 0 && ContinuousClock.now < deadline {
            #expect(try farm.router.receive(timeout: .milliseconds(20)) == nil)
        }
        #expect(farm.authenticator.rejectedCount >= 1)
        #expect(try farm.router.receive(timeout: Self.silence) == nil)
    }

    @Test func allowListCanBeReplaced() throws {
        let late = try CurveKeyPair.generate()
        let farm = try Farm(authorized: [])
        farm.authenticator.authorize([late.publicKey])
        let dealer = try farm.client(late)
        defer { farm.close(dealer) }
        try dealer.send(Message.heartbeat())
        #expect(try farm.router.receive(timeout: Self.patience) != nil)
    }

    @Test func zapRepliesFollowRFC27() throws {
        let key = try CurveKeyPair.generate().publicKey
        func request(_ mechanism: String, _ credentials: [[UInt8]]) -> [[UInt8]] {
            [Array("1.0".utf8), [7], Array("vst".utf8), Array("127.0.0.1".utf8), [], Array(mechanism.utf8)] + credentials
        }
        let ok = CurveAuthenticator.reply(to: request("CURVE", [key.bytes]), authorized: [key])
        #expect(ok == [Array("1.0".utf8), [7], Array("200".utf8), Array("OK".utf8), Array(key.z85.utf8), []])
        #expect(CurveAuthenticator.reply(to: request("CURVE", [key.bytes]), authorized: [])[2] == Array("400".utf8))
        #expect(CurveAuthenticator.reply(to: request("CURVE", [[1, 2]]), authorized: [key])[2] == Array("400".utf8))
        #expect(CurveAuthenticator.reply(to: request("PLAIN", [[], []]), authorized: [key])[2] == Array("400".utf8))
        #expect(CurveAuthenticator.reply(to: request("NULL", []), authorized: [])[2] == Array("200".utf8))
        #expect(CurveAuthenticator.reply(to: [[1]], authorized: [key])[2] == Array("500".utf8))
    }

    /// Fail closed: with no ZAP handler running, even an authorized key is refused.
    @Test func serverWithoutAuthenticatorAdmitsNobody() throws {
        let client = try CurveKeyPair.generate()
        let farm = try Farm(authorized: [client.publicKey])
        farm.authenticator.stop()
        let dealer = try farm.client(client)
        defer { farm.close(dealer) }
        try dealer.send(Message.heartbeat())
        #expect(try farm.router.receive(timeout: Self.silence) == nil)
    }
}
