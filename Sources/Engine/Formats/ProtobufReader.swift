/// A minimal protocol-buffers wire-format reader: just enough to walk an ONNX model without
/// generated code or a protobuf dependency. It knows wire types, not schemas: callers switch on
/// field numbers and open nested messages with `message(_:)`.
///
/// Wire format (https://protobuf.dev/programming-guides/encoding/): each field is a varint key
/// `(number << 3) | wireType` followed by a varint (0), 8 bytes (1), a varint length and that many
/// bytes (2), or 4 bytes (5). Groups (3, 4) are obsolete and rejected.
public struct ProtobufReader: Sendable {
    /// One decoded field. `bytes` is a range into the reader's buffer, not a copy.
    public enum Value: Sendable, Equatable {
        case varint(UInt64)
        case fixed64(UInt64)
        case bytes(Range<Int>)
        case fixed32(UInt32)
    }

    public struct Field: Sendable, Equatable {
        public let number: Int
        public let value: Value
    }

    public let buffer: [UInt8]
    public private(set) var position: Int
    public let end: Int

    public init(_ buffer: [UInt8]) { self.init(buffer, range: 0..<buffer.count) }

    public init(_ buffer: [UInt8], range: Range<Int>) {
        self.buffer = buffer
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    public var isAtEnd: Bool { position >= end }

    /// A reader over a length-delimited field's bytes (a nested message or a packed array).
    public func message(_ range: Range<Int>) -> ProtobufReader { ProtobufReader(buffer, range: range) }

    /// Reads one base-128 varint (at most 10 bytes).
    public mutating func readVarint() throws(ProtobufError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        let start = position
        while true {
            guard position < end else { throw .truncated(offset: start) }
            let byte = buffer[position]
            position += 1
            if shift == 63 && byte > 1 { throw .malformedVarint(offset: start) }
            result |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw .malformedVarint(offset: start) }
        }
    }

    private mutating func readFixed(_ count: Int) throws(ProtobufError) -> UInt64 {
        guard end - position >= count else { throw .truncated(offset: position) }
        var v: UInt64 = 0
        for i in 0..<count { v |= UInt64(buffer[position + i]) << (8 * UInt64(i)) }
        position += count
        return v
    }

    /// The next field, or nil at the end of the message.
    public mutating func next() throws(ProtobufError) -> Field? {
        guard position < end else { return nil }
        let keyOffset = position
        let key = try readVarint()
        let number = Int(key >> 3)
        guard number > 0 else { throw .invalidFieldNumber(offset: keyOffset) }
        switch key & 7 {
        case 0: return Field(number: number, value: .varint(try readVarint()))
        case 1: return Field(number: number, value: .fixed64(try readFixed(8)))
        case 2:
            let length = try readVarint()
            guard length <= UInt64(end - position) else { throw .truncated(offset: position) }
            let range = position..<(position + Int(length))
            position = range.upperBound
            return Field(number: number, value: .bytes(range))
        case 5: return Field(number: number, value: .fixed32(UInt32(try readFixed(4))))
        default: throw .unsupportedWireType(Int(key & 7), offset: keyOffset)
        }
    }

    /// UTF-8 text of a length-delimited field.
    public func string(_ range: Range<Int>) -> String { String(decoding: buffer[range], as: UTF8.self) }

    /// Varints of a packed repeated field (int32/int64/enum).
    public func packedVarints(_ range: Range<Int>) throws(ProtobufError) -> [UInt64] {
        var r = message(range)
        var out: [UInt64] = []
        while !r.isAtEnd { out.append(try r.readVarint()) }
        return out
    }

    /// Little-endian float32 values of a packed `repeated float` field or of ONNX `raw_data`.
    public func littleEndianFloats(_ range: Range<Int>) throws(ProtobufError) -> [Float] {
        guard range.count % 4 == 0 else { throw .truncated(offset: range.upperBound) }
        let n = range.count / 4
        return [Float](unsafeUninitializedCapacity: n) { out, count in
            buffer.withUnsafeBytes { raw in
                for i in 0..<n {
                    let bits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: range.lowerBound + 4 * i, as: UInt32.self))
                    out[i] = Float(bitPattern: bits)
                }
            }
            count = n
        }
    }
}

/// Why a protobuf buffer could not be read; offsets are byte positions in the file.
public enum ProtobufError: Error, Equatable, CustomStringConvertible {
    case truncated(offset: Int)
    case malformedVarint(offset: Int)
    case unsupportedWireType(Int, offset: Int)
    case invalidFieldNumber(offset: Int)

    public var description: String {
        switch self {
        case .truncated(let o): "protobuf data truncated at byte \(o)"
        case .malformedVarint(let o): "malformed protobuf varint at byte \(o)"
        case .unsupportedWireType(let t, let o): "unsupported protobuf wire type \(t) at byte \(o)"
        case .invalidFieldNumber(let o): "invalid protobuf field number 0 at byte \(o)"
        }
    }
}
