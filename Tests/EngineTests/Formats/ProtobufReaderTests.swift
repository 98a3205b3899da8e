import Testing
@testable import Engine

@Suite struct ProtobufReaderTests {
    @Test func decodesEachWireType() throws {
        // Field 1 varint 150 (the protobuf docs' example: 08 96 01), field 2 "testing",
        // field 3 fixed32, field 4 fixed64, field 5 a 10-byte varint.
        var bytes: [UInt8] = [0x08, 0x96, 0x01, 0x12, 0x07] + Array("testing".utf8)
        bytes += [0x1d, 0x78, 0x56, 0x34, 0x12]
        bytes += [0x21, 1, 2, 3, 4, 5, 6, 7, 8]
        bytes += [0x28, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]
        var r = ProtobufReader(bytes)
        #expect(try r.next() == .init(number: 1, value: .varint(150)))
        let s = try #require(try r.next())
        #expect(s.number == 2)
        guard case .bytes(let range) = s.value else { Issue.record("expected bytes"); return }
        #expect(r.string(range) == "testing")
        #expect(try r.next() == .init(number: 3, value: .fixed32(0x1234_5678)))
        #expect(try r.next() == .init(number: 4, value: .fixed64(0x0807_0605_0403_0201)))
        #expect(try r.next() == .init(number: 5, value: .varint(UInt64.max)))
        #expect(try r.next() == nil)
    }

    @Test func packedVarintsAndFloats() throws {
        var w = ProtobufWriter()
        w.varint(3); w.varint(300); w.varint(1 << 40)
        let r = ProtobufReader(w.bytes)
        #expect(try r.packedVarints(0..<w.bytes.count) == [3, 300, 1 << 40])
        let floats: [Float] = [1.5, -0.25, .pi, -0.0]
        let fr = ProtobufReader(ProtobufWriter.littleEndian(floats))
        #expect(try fr.littleEndianFloats(0..<16).map(\.bitPattern) == floats.map(\.bitPattern))
    }

    @Test func rejectsBadInput() {
        var truncatedLength = ProtobufReader([0x12, 0x05, 0x61])
        #expect(throws: ProtobufError.truncated(offset: 2)) { try truncatedLength.next() }
        var truncatedVarint = ProtobufReader([0x08, 0x96])
        #expect(throws: ProtobufError.truncated(offset: 1)) { try truncatedVarint.next() }
        var group = ProtobufReader([0x0b])
        #expect(throws: ProtobufError.unsupportedWireType(3, offset: 0)) { try group.next() }
        var overlong = ProtobufReader([0x08] + [UInt8](repeating: 0xff, count: 10) + [0x01])
        #expect(throws: ProtobufError.malformedVarint(offset: 1)) { try overlong.next() }
        var zero = ProtobufReader([0x00, 0x01])
        #expect(throws: ProtobufError.invalidFieldNumber(offset: 0)) { try zero.next() }
    }
}
