/// The trained network a `reconet` TASK renders with, named by its content.
///
/// A model is megabytes (the paper's ReCoNet is 12.4 MB), so the coordinator attaches it only to
/// the first TASK of a job that a worker gets (`attached`), and names it by hash in every later
/// one; the worker keeps the models it was sent, keyed by `sha256`, and checks the bytes it
/// receives against that hash before it decodes them.
public struct ModelReference: Codable, Sendable, Equatable, Hashable {
    /// Lower-case hex SHA-256 of the model file's bytes.
    public var sha256: String
    /// Size of the model file in bytes.
    public var byteCount: Int
    /// True when this TASK carries the model's bytes as the payload frame after the styles.
    public var attached: Bool

    /// Larger than any model vst trains (widths up to a few hundred channels), small enough that
    /// a hostile TASK cannot make a worker allocate without bound.
    public static let maxByteCount = 256 << 20

    public init(sha256: String, byteCount: Int, attached: Bool) {
        self.sha256 = sha256
        self.byteCount = byteCount
        self.attached = attached
    }

    /// The same model, named by hash only (for a worker that already holds it) or attached.
    public func with(attached: Bool) -> ModelReference {
        ModelReference(sha256: sha256, byteCount: byteCount, attached: attached)
    }

    func validate() throws(DecodeError) {
        guard sha256.count == 64, sha256.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw .badPayload("task model hash \(sha256.prefix(80)) is not 64 lower-case hex digits")
        }
        guard (1...Self.maxByteCount).contains(byteCount) else {
            throw .badPayload("task model size \(byteCount) outside 1...\(Self.maxByteCount)")
        }
    }
}
