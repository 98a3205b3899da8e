import Testing
@testable import Protocol

/// Real libzmq sockets over tcp://127.0.0.1 with ephemeral ports. Every wait is bounded, so a
/// broken exchange fails the test instead of hanging it.
@Suite struct SocketTests {
    static let patience: Duration = .seconds(5)

    /// A ROUTER bound to a free loopback port.
    static func router(_ context: ZMQContext) throws -> (Socket, String) {
        let router = try Socket(context: context, type: .router)
        try router.bind("tcp://127.0.0.1:*")
        return (router, try router.lastEndpoint)
    }

    @Test func ephemeralPortIsReported() throws {
        let context = try ZMQContext()
        let (router, endpoint) = try Self.router(context)
        defer { router.close() }
        #expect(endpoint.hasPrefix("tcp://127.0.0.1:"))
        #expect(Int(endpoint.split(separator: ":").last ?? "") ?? 0 > 0)
    }

    @Test func routerAndDealersExchangeMultipartMessagesByIdentity() throws {
        let context = try ZMQContext()
        let (router, endpoint) = try Self.router(context)
        let alice = try Socket(context: context, type: .dealer, options: .init(identity: Array("alice".utf8)))
        let bob = try Socket(context: context, type: .dealer, options: .init(identity: Array("bob".utf8)))
        defer { [alice, bob, router].forEach { $0.close() } }
        try alice.connect(endpoint)
        try bob.connect(endpoint)

        let hello = WorkerHello(name: "alice", threads: 2)
        try alice.send(Message.ready(credit: 1, hello: hello).frames())
        try bob.send(Message.heartbeat().frames())
        // An empty frame in the middle of a multipart message must survive.
        try bob.send([[1], [], [2, 3]])

        var seen: [String: [[[UInt8]]]] = [:]
        for _ in 0..<3 {
            let frames = try #require(try router.receive(timeout: Self.patience))
            seen[String(decoding: frames[0], as: UTF8.self), default: []].append(Array(frames.dropFirst()))
        }
        let fromAlice = try Envelope.decode([Array("alice".utf8)] + #require(seen["alice"]?.first))
        #expect(try fromAlice.message.decodeReady().hello == hello)
        #expect(seen["bob"]?.count == 2)
        #expect(try Message.decode(#require(seen["bob"]?.first)).kind == .heartbeat)
        #expect(seen["bob"]?.last == [[1], [], [2, 3]])

        // The router answers each dealer by its identity; each gets only its own message.
        try router.send(Envelope(peer: Array("bob".utf8), message: .ack(job: 1, chunk: 2, frame: 3)))
        try router.send(Envelope(peer: Array("alice".utf8), message: .cancel(job: 4, chunk: 5)).frames())
        let toBob = try Message.decode(#require(try bob.receive(timeout: Self.patience)))
        #expect(toBob == .ack(job: 1, chunk: 2, frame: 3))
        let toAlice = try Message.decode(#require(try alice.receive(timeout: Self.patience)))
        #expect(toAlice == .cancel(job: 4, chunk: 5))
        #expect(try bob.receive(timeout: .milliseconds(50)) == nil)
    }

    @Test func reportsTheLibraryVersion() {
        let parts = ZMQContext.libraryVersion.split(separator: ".").compactMap { Int($0) }
        #expect(parts.count == 3 && parts[0] >= 4)
    }

    @Test func receiveTimesOutWithNil() throws {
        let context = try ZMQContext()
        let (router, _) = try Self.router(context)
        defer { router.close() }
        #expect(try router.receive(timeout: .milliseconds(30)) == nil)
        #expect(try router.receive(timeout: .zero) == nil)
    }

    @Test func routerRefusesUnknownPeers() throws {
        let context = try ZMQContext()
        let (router, _) = try Self.router(context)
        defer { router.close() }
        #expect(throws: SocketError.peerUnreachable) { try router.send([Array("nobody".utf8)] + Message.heartbeat().frames()) }
    }

    @Test func pollReportsWhichSocketsAreReadable() throws {
        let context = try ZMQContext()
        let (first, firstEndpoint) = try Self.router(context)
        let (second, secondEndpoint) = try Self.router(context)
        let dealer = try Socket(context: context, type: .dealer)
        defer { [first, second, dealer].forEach { $0.close() } }
        #expect(try Socket.poll([first, second], timeout: .milliseconds(20)).isEmpty)
        try dealer.connect(secondEndpoint)
        try dealer.send(Message.bye())
        #expect(try Socket.poll([first, second], timeout: Self.patience) == [1])
        let envelope = try Envelope.decode(#require(try second.receive(timeout: .zero)))
        #expect(envelope.message.kind == .bye)
        _ = firstEndpoint
    }

    @Test func oversizedFramesAreRefusedByTheReceiver() throws {
        let context = try ZMQContext()
        var options = Socket.Options()
        options.maxFrameBytes = 1000
        let router = try Socket(context: context, type: .router, options: options)
        try router.bind("tcp://127.0.0.1:*")
        let dealer = try Socket(context: context, type: .dealer)
        defer { [router, dealer].forEach { $0.close() } }
        try dealer.connect(try router.lastEndpoint)
        try dealer.send([[UInt8](repeating: 7, count: 500)])
        #expect(try router.receive(timeout: Self.patience)?.last?.count == 500)
        try dealer.send([[UInt8](repeating: 7, count: 5000)])
        #expect(try router.receive(timeout: .milliseconds(300)) == nil)
    }

    @Test func closedSocketsAndBadEndpointsThrowOneLineErrors() throws {
        let context = try ZMQContext()
        let socket = try Socket(context: context, type: .dealer)
        #expect(throws: SocketError.self) { try socket.bind("tcp://not-an-endpoint") }
        do {
            try socket.connect("nonsense")
            Issue.record("connect to a malformed endpoint succeeded")
        } catch {
            #expect(error.description.hasPrefix("connect nonsense failed"))
            #expect(!error.description.contains("\n"))
        }
        socket.close()
        socket.close()
        #expect(throws: SocketError.closed) { try socket.send([[1]]) }
        #expect(throws: SocketError.closed) { try socket.receive(timeout: .zero) }
    }

    @Test func pairSocketsSignalInProcess() throws {
        let context = try ZMQContext()
        let receiver = try Socket(context: context, type: .pair)
        let sender = try Socket(context: context, type: .pair)
        defer { [receiver, sender].forEach { $0.close() } }
        try receiver.bind("inproc://wake-up")
        try sender.connect("inproc://wake-up")
        try sender.send([[42]])
        #expect(try receiver.receive(timeout: Self.patience) == [[42]])
    }

    @Test func shutdownWakesABlockedReceiver() throws {
        let context = try ZMQContext()
        let (router, _) = try Self.router(context)
        let blocked = PeerThread { () -> SocketError? in
            do throws(SocketError) { _ = try router.receive(timeout: Self.patience); return nil } catch { return error }
        }
        // Whether the receive has begun or not, it must end with `terminated`, not its timeout (nil).
        context.shutdown()
        #expect(try blocked.join() == SocketError.terminated)
        router.close()
    }

    @Test func durationsBecomeClampedMilliseconds() {
        #expect(Duration.milliseconds(1500).milliseconds == 1500)
        #expect(Duration.microseconds(1500).milliseconds == 1)
        #expect(Duration.microseconds(1500).millisecondsRoundedUp == 2)
        #expect(Duration.nanoseconds(1).millisecondsRoundedUp == 1)
        #expect(Duration.zero.millisecondsRoundedUp == 0)
        #expect(Duration.milliseconds(-5).milliseconds == 0)
        #expect(Duration.milliseconds(-5).millisecondsRoundedUp == 0)
        #expect(Duration.seconds(Int64.max).milliseconds == Int32.max)
        #expect(Duration.seconds(Int64.max).millisecondsRoundedUp == Int(Int32.max))
    }
}
