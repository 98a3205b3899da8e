/// One CURVE key (public or secret): 32 bytes, written as 40 characters of Z85. A value of this
/// type is always well-formed, so sockets can apply it without further checks.
public struct CurveKey: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws(CurveKeyError) {
        guard bytes.count == 32 else { throw .malformedKey("\(bytes.count) bytes") }
        self.bytes = bytes
    }

    public init(z85: String) throws(CurveKeyError) {
        guard z85.utf8.count == 40, let bytes = Z85.decode(z85) else { throw .malformedKey(z85) }
        self.bytes = bytes
    }

    /// The 40-character Z85 text.
    public var z85: String { Z85.encode(bytes)! }

    public var description: String { z85 }
}

/// A CURVE key pair. The coordinator's identifies the farm (workers and clients are given its
/// public key); each worker's and client's is checked against the coordinator's allow-list.
/// `generate()` and the public-key derivation call libzmq and live in Socket.swift.
public struct CurveKeyPair: Sendable, Hashable {
    public let publicKey: CurveKey
    public let secretKey: CurveKey

    public init(publicKey: CurveKey, secretKey: CurveKey) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }
}
