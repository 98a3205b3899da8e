import Engine
import Protocol

/// Speed of the wire path: frame payload encode/decode and a loopback DEALER -> ROUTER exchange
/// of RESULT messages. Tests check correctness only; timings live here, and Protocol holds only
/// the wire format itself. The caller passes the frames to measure (a decoded film frame and a
/// styled one are the honest inputs: LZ4 gains on the first and barely at all on the second).
public enum ProtocolBench {
    public struct Measurement: Codable, Sendable, CustomStringConvertible {
        public var name: String
        /// Mean wall time of one operation.
        public var seconds: Double
        /// Size of the encoded payload.
        public var bytes: Int
        /// Raw pixel bytes the payload stands for.
        public var rawBytes: Int

        /// The measurement as every bench prints one (`Bench.Record`'s key names).
        public var record: Bench.Record {
            Bench.Record(fields: [("bench", .string(name)), ("seconds", .double(seconds)), ("bytes", .int(bytes)),
                                  ("raw_bytes", .int(rawBytes))])
        }

        /// One JSON line, through the writer every bench shares.
        public var description: String { record.description }
    }

    /// Measures `FramePayload.encode`/`decode` over `repetitions` runs of each frame, then
    /// `messages` RESULT messages of the first frame over tcp://127.0.0.1.
    public static func run(frames: [(name: String, width: Int, height: Int, pixels: [UInt8])], repetitions: Int = 10,
                           messages: Int = 50) throws -> [Measurement] {
        var results: [Measurement] = []
        let clock = ContinuousClock()
        for frame in frames {
            var encoded: [UInt8] = []
            let encode = clock.measure {
                for _ in 0..<repetitions { encoded = FramePayload.encode(width: frame.width, height: frame.height, pixels: frame.pixels) }
            }
            var decodedBytes = 0
            let decode = try clock.measure {
                for _ in 0..<repetitions { decodedBytes = try FramePayload.decode(encoded).pixels.count }
            }
            precondition(decodedBytes == frame.pixels.count)
            results.append(Measurement(name: "frame.encode.\(frame.name)", seconds: seconds(encode) / Double(repetitions),
                                       bytes: encoded.count, rawBytes: frame.pixels.count))
            results.append(Measurement(name: "frame.decode.\(frame.name)", seconds: seconds(decode) / Double(repetitions),
                                       bytes: encoded.count, rawBytes: frame.pixels.count))
        }
        guard let first = frames.first, messages > 0 else { return results }
        let context = try ZMQContext()
        let router = try Socket(context: context, type: .router)
        let dealer = try Socket(context: context, type: .dealer)
        defer { dealer.close(); router.close() }
        try router.bind("tcp://127.0.0.1:*")
        try dealer.connect(try router.lastEndpoint)
        let payload = FramePayload.encode(width: first.width, height: first.height, pixels: first.pixels)
        let exchange = try clock.measure {
            for index in 0..<messages {
                try dealer.send(Message.result(job: 1, chunk: 0, frame: UInt32(index), payload: payload))
                guard let frames = try router.receive(timeout: .seconds(10)) else { throw SocketError.wouldBlock(operation: "bench receive") }
                _ = try Envelope.decode(frames)
            }
        }
        results.append(Measurement(name: "loopback.result.\(first.name)", seconds: seconds(exchange) / Double(messages),
                                   bytes: payload.count, rawBytes: first.pixels.count))
        return results
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
