/// Everything that can be wrong with bytes that arrive from the network. Decoding never traps on
/// bad input: it throws one of these, the receiver counts the message and drops it. Each case
/// prints as one line.
public enum DecodeError: Error, Equatable, CustomStringConvertible {
    /// A message arrived with no frames at all.
    case noFrames
    /// The header frame is shorter than `MessageHeader.byteCount`.
    case truncatedHeader(byteCount: Int)
    /// The header frame is longer than `MessageHeader.byteCount`; a peer speaking another format.
    case oversizedHeader(byteCount: Int)
    /// The header does not start with "VST1".
    case badMagic(UInt32)
    /// The peer speaks a wire version this build does not.
    case unsupportedVersion(UInt16)
    /// The header names a message kind this build does not know.
    case unknownKind(UInt8)
    /// More payload frames than `Message.maxPayloadFrames`.
    case tooManyFrames(count: Int, limit: Int)
    /// More payload bytes than `Message.maxPayloadBytes`, all frames together.
    case payloadTooLarge(byteCount: Int, limit: Int)
    /// The kind allows a different number of payload frames.
    case wrongFrameCount(kind: MessageKind, count: Int, expected: ClosedRange<Int>)
    /// A typed accessor was called on a message of another kind.
    case wrongKind(MessageKind, expected: MessageKind)
    /// A routed message (ROUTER side) lacks the peer identity frame.
    case missingPeer
    /// A frame payload names a size that is zero, overflows or exceeds `FramePayload.maxSide`.
    case badFrameSize(width: UInt32, height: UInt32)
    /// The compressed data is corrupt or does not decompress to the promised size.
    case corruptCompressedData(expectedSize: Int)
    /// A payload frame does not hold what its kind promises (bad JSON, wrong length, ...).
    case badPayload(String)

    public var description: String {
        switch self {
        case .noFrames: "message has no frames"
        case .truncatedHeader(let n): "header truncated at \(n) bytes (need \(MessageHeader.byteCount))"
        case .oversizedHeader(let n): "header is \(n) bytes (expected \(MessageHeader.byteCount))"
        case .badMagic(let m): "bad magic 0x\(String(m, radix: 16)) (not a vst message)"
        case .unsupportedVersion(let v):
            "the peer speaks wire version \(v), this build speaks \(MessageHeader.currentVersion): run the same vst release on the coordinator, its workers and its tools"
        case .unknownKind(let k): "unknown message kind 0x\(String(k, radix: 16))"
        case .tooManyFrames(let count, let limit): "\(count) payload frames exceed the limit of \(limit)"
        case .payloadTooLarge(let n, let limit): "payload of \(n) bytes exceeds the limit of \(limit)"
        case .wrongFrameCount(let kind, let count, let expected):
            "\(kind) carries \(count) payload frames, expected \(expected.lowerBound == expected.upperBound ? "\(expected.lowerBound)" : "\(expected.lowerBound)...\(expected.upperBound)")"
        case .wrongKind(let kind, let expected): "expected \(expected), got \(kind)"
        case .missingPeer: "routed message lacks the peer identity frame"
        case .badFrameSize(let w, let h): "frame size \(w)x\(h) is empty or exceeds \(FramePayload.maxSide)x\(FramePayload.maxSide)"
        case .corruptCompressedData(let n): "compressed data is corrupt or does not decompress to \(n) bytes"
        case .badPayload(let reason): "bad payload: \(reason)"
        }
    }
}
