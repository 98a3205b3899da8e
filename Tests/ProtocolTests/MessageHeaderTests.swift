import Testing
import Protocol

@Suite struct MessageHeaderTests {
    @Test func layoutIsLittleEndianAndStartsWithVST1() {
        let header = MessageHeader(kind: .result, job: 0x0102_0304, chunk: 5, frame: 0xA0B0_C0D0)
        let bytes = header.encode()
        #expect(bytes.count == MessageHeader.byteCount)
        #expect(Array(bytes[0..<4]) == Array("VST1".utf8))
        #expect(Array(bytes[4..<6]) == [2, 0])
        #expect(bytes[6] == MessageKind.result.rawValue)
        #expect(bytes[7] == 0)
        #expect(Array(bytes[8..<12]) == [4, 3, 2, 1])
        #expect(Array(bytes[12..<16]) == [5, 0, 0, 0])
        #expect(Array(bytes[16..<20]) == [0xD0, 0xC0, 0xB0, 0xA0])
    }

    @Test func roundTripsEveryKind() throws {
        for kind in MessageKind.allCases {
            let header = MessageHeader(kind: kind, job: 7, chunk: UInt32.max, frame: 123_456, flags: MessageFlags(rawValue: 0x80))
            #expect(try MessageHeader(bytes: header.encode()) == header)
        }
    }

    @Test func rejectsTruncatedAndOversizedHeaders() {
        let bytes = MessageHeader(kind: .heartbeat).encode()
        #expect(throws: DecodeError.truncatedHeader(byteCount: 19)) { try MessageHeader(bytes: Array(bytes.prefix(19))) }
        #expect(throws: DecodeError.truncatedHeader(byteCount: 0)) { try MessageHeader(bytes: []) }
        #expect(throws: DecodeError.oversizedHeader(byteCount: 21)) { try MessageHeader(bytes: bytes + [0]) }
    }

    @Test func rejectsBadMagicVersionAndKind() {
        var bytes = MessageHeader(kind: .heartbeat).encode()
        bytes[0] = UInt8(ascii: "X")
        #expect(throws: DecodeError.badMagic(0x3154_5358)) { try MessageHeader(bytes: bytes) }

        let newer = MessageHeader(kind: .heartbeat, version: MessageHeader.currentVersion + 1).encode()
        #expect(throws: DecodeError.unsupportedVersion(MessageHeader.currentVersion + 1)) { try MessageHeader(bytes: newer) }
        // Version 1 sent a TASK's method and settings as strings: its peers are refused, saying what to do.
        let older = MessageHeader(kind: .ready, version: 1).encode()
        #expect(throws: DecodeError.unsupportedVersion(1)) { try MessageHeader(bytes: older) }
        #expect(DecodeError.unsupportedVersion(1).description
                == "the peer speaks wire version 1, this build speaks 2: run the same vst release on the coordinator, its workers and its tools")

        bytes = MessageHeader(kind: .heartbeat).encode()
        bytes[6] = 0xEE
        #expect(throws: DecodeError.unknownKind(0xEE)) { try MessageHeader(bytes: bytes) }
        bytes[6] = 0
        #expect(throws: DecodeError.unknownKind(0)) { try MessageHeader(bytes: bytes) }
    }

    @Test func errorsReadAsOneLine() {
        let errors: [DecodeError] = [
            .noFrames, .truncatedHeader(byteCount: 3), .oversizedHeader(byteCount: 30), .badMagic(1), .unsupportedVersion(9),
            .unknownKind(0xEE), .tooManyFrames(count: 5000, limit: 4096), .payloadTooLarge(byteCount: 1 << 30, limit: 1 << 29),
            .wrongFrameCount(kind: .ready, count: 0, expected: 2...2), .wrongKind(.ack, expected: .task), .missingPeer,
            .badFrameSize(width: 0, height: 9), .corruptCompressedData(expectedSize: 12), .badPayload("x"),
        ]
        for error in errors {
            #expect(!error.description.isEmpty && !error.description.contains("\n"))
        }
        #expect(DecodeError.unknownKind(0xEE).description == "unknown message kind 0xee")
        #expect(DecodeError.wrongFrameCount(kind: .ready, count: 0, expected: 2...2).description == "READY carries 0 payload frames, expected 2")
    }
}
