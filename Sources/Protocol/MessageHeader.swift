/// The fixed first frame of every vst message: 20 bytes, little-endian.
///
/// | offset | size | field   | meaning                                                   |
/// | ------ | ---- | ------- | --------------------------------------------------------- |
/// | 0      | 4    | magic   | 0x31545356, the bytes "VST1"                              |
/// | 4      | 2    | version | wire version, `currentVersion`                            |
/// | 6      | 1    | kind    | `MessageKind`                                             |
/// | 7      | 1    | flags   | `MessageFlags` (none defined in version 1; write 0)       |
/// | 8      | 4    | job     | job id, 0 when the kind has no job                        |
/// | 12     | 4    | chunk   | chunk index within the job                                |
/// | 16     | 4    | frame   | absolute frame index within the input film                |
///
/// A fixed binary header lets the receiver route a message (drop a stale result, match an ack)
/// without parsing any payload, and lets it reject foreign or newer peers after 20 bytes.
public struct MessageHeader: Sendable, Hashable {
    /// The bytes "VST1" read as a little-endian UInt32.
    public static let magic: UInt32 = 0x3154_5356
    /// The only wire version this build speaks; a peer with another one is rejected. Version 2:
    /// a TASK's and a SUBMIT's method and settings are typed (`RenderMethod`, `GatysParameters`)
    /// where version 1 sent strings.
    public static let currentVersion: UInt16 = 2
    public static let byteCount = 20

    public var version: UInt16
    public var kind: MessageKind
    public var flags: MessageFlags
    public var job: UInt32
    public var chunk: UInt32
    public var frame: UInt32

    public init(kind: MessageKind, job: UInt32 = 0, chunk: UInt32 = 0, frame: UInt32 = 0,
                flags: MessageFlags = [], version: UInt16 = MessageHeader.currentVersion) {
        self.version = version
        self.kind = kind
        self.flags = flags
        self.job = job
        self.chunk = chunk
        self.frame = frame
    }

    /// The 20 header bytes.
    public func encode() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.byteCount)
        bytes.appendLittleEndian(Self.magic)
        bytes.appendLittleEndian(version)
        bytes.append(kind.rawValue)
        bytes.append(flags.rawValue)
        bytes.appendLittleEndian(job)
        bytes.appendLittleEndian(chunk)
        bytes.appendLittleEndian(frame)
        return bytes
    }

    /// Reads a header frame, checking length, magic, version and kind in that order.
    public init(bytes: [UInt8]) throws(DecodeError) {
        guard bytes.count >= Self.byteCount else { throw .truncatedHeader(byteCount: bytes.count) }
        guard bytes.count == Self.byteCount else { throw .oversizedHeader(byteCount: bytes.count) }
        let magic = bytes.littleEndianUInt32(at: 0)
        guard magic == Self.magic else { throw .badMagic(magic) }
        let version = bytes.littleEndianUInt16(at: 4)
        guard version == Self.currentVersion else { throw .unsupportedVersion(version) }
        guard let kind = MessageKind(rawValue: bytes[6]) else { throw .unknownKind(bytes[6]) }
        self.init(kind: kind, job: bytes.littleEndianUInt32(at: 8), chunk: bytes.littleEndianUInt32(at: 12),
                  frame: bytes.littleEndianUInt32(at: 16), flags: MessageFlags(rawValue: bytes[7]), version: version)
    }
}
