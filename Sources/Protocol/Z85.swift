/// ZeroMQ's Z85 text encoding (RFC 32/Z85): four bytes become five printable characters. CURVE
/// keys are written as Z85 in key files and on command lines (40 characters for 32 bytes).
/// Pure Swift so that key files can be checked without libzmq.
public enum Z85 {
    static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8)
    static let values: [UInt8: UInt32] = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, UInt32($0)) })

    /// Encodes `bytes`, whose count must be a multiple of 4; nil otherwise.
    public static func encode(_ bytes: [UInt8]) -> String? {
        guard bytes.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 4 * 5)
        for start in stride(from: 0, to: bytes.count, by: 4) {
            var value = bytes[start..<start + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            var group = [UInt8](repeating: 0, count: 5)
            for index in (0..<5).reversed() {
                group[index] = alphabet[Int(value % 85)]
                value /= 85
            }
            out.append(contentsOf: group)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes Z85 text whose length is a multiple of 5; nil for any other length, a character
    /// outside the alphabet, or a group above 2^32 - 1.
    public static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 5 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 5 * 4)
        for start in stride(from: 0, to: chars.count, by: 5) {
            var value: UInt64 = 0
            for char in chars[start..<start + 5] {
                guard let digit = values[char] else { return nil }
                value = value * 85 + UInt64(digit)
            }
            guard value <= UInt64(UInt32.max) else { return nil }
            out.append(contentsOf: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) })
        }
        return out
    }
}
