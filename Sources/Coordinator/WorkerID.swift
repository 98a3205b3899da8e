/// A worker as the coordinator's ROUTER socket knows it: the peer identity frame ZeroMQ
/// prepends to everything the worker sends, and the address for everything sent back.
public struct WorkerID: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var description: String {
        if let text = String(bytes: bytes, encoding: .utf8), text.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0.isPrintable }) {
            return text
        }
        return bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}

private extension Character {
    var isPrintable: Bool { asciiValue.map { $0 >= 0x21 && $0 < 0x7f } ?? false }
}
