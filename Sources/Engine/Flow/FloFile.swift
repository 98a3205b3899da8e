import Foundation

/// Middlebury `.flo` files (Baker et al. 2011), so that any flow vst computes can be checked with
/// the benchmark's own tools: little-endian float32 magic 202021.25, int32 width, int32 height,
/// then height * width pairs of float32 (u, v), row by row. Values above 1e9 mean "unknown".
public enum FloFile {
    public static let magic: Float = 202021.25
    /// Ground truth marks unknown vectors with values above this.
    public static let unknownThreshold: Float = 1e9

    /// The file's bytes for `flow`.
    public static func encode(_ flow: FlowField) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(12 + 8 * flow.pixelCount)
        func append(_ word: UInt32) {
            for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt32(shift))) }
        }
        append(magic.bitPattern)
        append(UInt32(truncatingIfNeeded: Int32(flow.width)))
        append(UInt32(truncatingIfNeeded: Int32(flow.height)))
        for i in 0..<flow.pixelCount {
            append(flow.u[i].bitPattern)
            append(flow.v[i].bitPattern)
        }
        return bytes
    }

    /// Parses a `.flo` file's bytes; `path` only names the file in errors.
    public static func decode(_ bytes: [UInt8], path: String = "<memory>") throws(FlowError) -> FlowField {
        guard bytes.count >= 12 else { throw .truncated(path: path, expectedBytes: 12, foundBytes: bytes.count) }
        func word(_ offset: Int) -> UInt32 {
            UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
        }
        let m = Float(bitPattern: word(0))
        guard m == magic else { throw .badMagic(path: path, found: m) }
        let w = Int(Int32(bitPattern: word(4))), h = Int(Int32(bitPattern: word(8)))
        guard w > 0, h > 0, w <= 1 << 16, h <= 1 << 16 else { throw .badSize(path: path, width: w, height: h) }
        let expected = 12 + 8 * w * h
        guard bytes.count >= expected else { throw .truncated(path: path, expectedBytes: expected, foundBytes: bytes.count) }
        var flow = FlowField(width: w, height: h)
        for i in 0..<(w * h) {
            flow.u[i] = Float(bitPattern: word(12 + 8 * i))
            flow.v[i] = Float(bitPattern: word(16 + 8 * i))
        }
        return flow
    }

    public static func read(path: String) throws(FlowError) -> FlowField {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        return try decode([UInt8](data), path: path)
    }

    public static func write(_ flow: FlowField, path: String) throws(FlowError) {
        do { try Data(encode(flow)).write(to: URL(fileURLWithPath: path)) } catch {
            throw .unwritable(path: path, reason: error.localizedDescription)
        }
    }
}
