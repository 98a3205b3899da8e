/// One vst message: the header frame and the payload frames that follow it in one ZeroMQ
/// multipart message. On a ROUTER socket a peer identity frame comes first; see `Envelope`.
///
/// Decoding checks everything a hostile or confused peer could get wrong before any payload is
/// parsed: frame count, header, and the size limits below. Payload contents are checked by the
/// typed accessors (`Message+Worker.swift`, `Message+Client.swift`).
public struct Message: Sendable, Equatable {
    /// All payload frames together may not exceed this. A task of 40 compressed 1080p frames is
    /// ~200 MiB; a single 8192x8192 frame (`FramePayload.maxSide`) is ~193 MiB raw.
    public static let maxPayloadBytes = 512 << 20
    /// At most this many payload frames: spec, styles and input frames of one task.
    public static let maxPayloadFrames = 4096

    public var header: MessageHeader
    public var payload: [[UInt8]]

    public init(header: MessageHeader, payload: [[UInt8]] = []) {
        self.header = header
        self.payload = payload
    }

    public init(_ kind: MessageKind, job: UInt32 = 0, chunk: UInt32 = 0, frame: UInt32 = 0, payload: [[UInt8]] = []) {
        self.init(header: MessageHeader(kind: kind, job: job, chunk: chunk, frame: frame), payload: payload)
    }

    public var kind: MessageKind { header.kind }

    /// The multipart frames to send: header first, then the payload.
    public func frames() -> [[UInt8]] {
        [header.encode()] + payload
    }

    /// Reads a multipart message as it came off a DEALER socket (or a ROUTER socket with the
    /// identity frame already removed).
    public static func decode(_ frames: [[UInt8]]) throws(DecodeError) -> Message {
        guard let first = frames.first else { throw .noFrames }
        let header = try MessageHeader(bytes: first)
        let payloadCount = frames.count - 1
        guard payloadCount <= maxPayloadFrames else { throw .tooManyFrames(count: payloadCount, limit: maxPayloadFrames) }
        var total = 0
        for frame in frames.dropFirst() {
            total += frame.count
            guard total <= maxPayloadBytes else { throw .payloadTooLarge(byteCount: total, limit: maxPayloadBytes) }
        }
        guard header.kind.payloadFrames.contains(payloadCount) else {
            throw .wrongFrameCount(kind: header.kind, count: payloadCount, expected: header.kind.payloadFrames)
        }
        return Message(header: header, payload: Array(frames.dropFirst()))
    }
}

extension Message: CustomStringConvertible {
    /// One line for logs, e.g. "RESULT job 3 chunk 2 frame 25, 1 payload frame, 4430444 bytes".
    public var description: String {
        let bytes = payload.reduce(0) { $0 + $1.count }
        let frames = payload.count == 1 ? "1 payload frame" : "\(payload.count) payload frames"
        return "\(header.kind) job \(header.job) chunk \(header.chunk) frame \(header.frame), \(frames), \(bytes) bytes"
    }
}

