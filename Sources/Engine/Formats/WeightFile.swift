import Foundation

/// vst's own weight file (`.vstw`): named float32 tensors with their shapes, a tag for the
/// architecture and the input convention, and a SHA-256 over everything, so that a truncated
/// or corrupted download is caught when it is loaded, not as a strange picture later.
///
/// Layout, all integers little-endian:
///
///     offset  size  field
///     0       4     magic "VSTW"
///     4       4     version (UInt32) = 1
///     8       4     header length H (UInt32): bytes from offset 0 to the payload
///     12      2+a   architecture tag: UInt16 length a, UTF-8 (e.g. "vgg16")
///     ..      2+c   input convention: UInt16 length c, UTF-8 (e.g. "caffe-bgr-255-mean")
///     ..      4     tensor count n (UInt32)
///     ..            n entries: UInt16 name length, UTF-8 name, UInt8 rank r, r x UInt32 dims,
///                   UInt64 payload offset in bytes (from H)
///     H             payload: each tensor's float32 values, little-endian, row-major, in table order
///     end-32  32    SHA-256 of all bytes before it
///
/// VGG weights store `convX_Y.weight` (out, in, 3, 3) and `convX_Y.bias` (out) for each convolution.
public struct WeightFile: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let shape: [Int]
        public let values: [Float]

        public init(name: String, shape: [Int], values: [Float]) {
            self.name = name
            self.shape = shape
            self.values = values
        }
    }

    public static let magic: [UInt8] = Array("VSTW".utf8)
    public static let version: UInt32 = 1

    public var architecture: String
    public var inputConvention: String
    public var entries: [Entry]

    public init(architecture: String, inputConvention: String, entries: [Entry]) {
        self.architecture = architecture
        self.inputConvention = inputConvention
        self.entries = entries
    }

    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// The file's bytes, checksum included.
    public func encoded() -> [UInt8] {
        var header: [UInt8] = []
        func u16(_ v: Int) { header += [UInt8(v & 0xff), UInt8(v >> 8 & 0xff)] }
        func u32(_ v: Int) { for i in 0..<4 { header.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
        func u64(_ v: Int) { for i in 0..<8 { header.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
        func text(_ s: String) { let b = Array(s.utf8); u16(b.count); header += b }
        header += Self.magic
        u32(Int(Self.version))
        u32(0)  // header length, patched below
        text(architecture)
        text(inputConvention)
        u32(entries.count)
        var offset = 0
        for e in entries {
            text(e.name)
            header.append(UInt8(e.shape.count))
            for d in e.shape { u32(d) }
            u64(offset)
            offset += e.values.count * 4
        }
        let h = header.count
        for i in 0..<4 { header[8 + i] = UInt8(truncatingIfNeeded: h >> (8 * i)) }
        var bytes = header
        bytes.reserveCapacity(h + offset + 32)
        for e in entries {
            e.values.withUnsafeBufferPointer { p in
                for v in p { let b = v.bitPattern.littleEndian; withUnsafeBytes(of: b) { bytes += $0 } }
            }
        }
        bytes += SHA256.hash(bytes)
        return bytes
    }

    /// Parses and verifies a weight file's bytes; `path` only names the file in errors.
    public init(decoding bytes: [UInt8], path: String) throws(WeightFileError) {
        guard bytes.count >= 12 + 32 else { throw .truncated(path: path, bytes: bytes.count) }
        guard Array(bytes[0..<4]) == Self.magic else { throw .notAWeightFile(path: path) }
        var position = 4
        func need(_ n: Int) throws(WeightFileError) {
            guard position + n <= bytes.count else { throw .truncated(path: path, bytes: bytes.count) }
        }
        func uint(_ size: Int) throws(WeightFileError) -> Int {
            try need(size)
            var v = 0
            for i in 0..<size { v |= Int(bytes[position + i]) << (8 * i) }
            position += size
            return v
        }
        func text() throws(WeightFileError) -> String {
            let n = try uint(2)
            try need(n)
            defer { position += n }
            return String(decoding: bytes[position..<(position + n)], as: UTF8.self)
        }
        let version = try uint(4)
        guard version == Int(Self.version) else { throw .unsupportedVersion(path: path, version: version) }
        let headerLength = try uint(4)
        let architecture = try text()
        let convention = try text()
        let count = try uint(4)
        var table: [(name: String, shape: [Int], offset: Int)] = []
        for _ in 0..<count {
            let name = try text()
            let rank = try uint(1)
            var shape: [Int] = []
            for _ in 0..<rank { shape.append(try uint(4)) }
            table.append((name, shape, try uint(8)))
        }
        guard position == headerLength else { throw .notAWeightFile(path: path) }
        // The table says how long the file must be: shorter is a cut-off download, longer is not ours.
        var payload = 0
        for t in table {
            // Checked arithmetic: a corrupt shape must give an error, not an overflow trap.
            var n = 4
            for d in t.shape {
                let (m, overflow) = n.multipliedReportingOverflow(by: d)
                guard !overflow, m <= 1 << 40 else { throw .notAWeightFile(path: path) }
                n = m
            }
            payload += n
        }
        guard bytes.count >= headerLength + payload + 32 else { throw .truncated(path: path, bytes: bytes.count) }
        guard bytes.count == headerLength + payload + 32 else { throw .notAWeightFile(path: path) }
        guard SHA256.hash(bytes[..<(bytes.count - 32)]) == Array(bytes[(bytes.count - 32)...]) else {
            throw .checksumMismatch(path: path)
        }
        var entries: [Entry] = []
        for t in table {
            let n = t.shape.reduce(1, *)
            let start = headerLength + t.offset
            guard start + 4 * n <= bytes.count - 32 else { throw .truncated(path: path, bytes: bytes.count) }
            let values = [Float](unsafeUninitializedCapacity: n) { out, c in
                bytes.withUnsafeBytes { raw in
                    for i in 0..<n {
                        out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 4 * i, as: UInt32.self)))
                    }
                }
                c = n
            }
            entries.append(Entry(name: t.name, shape: t.shape, values: values))
        }
        self.init(architecture: architecture, inputConvention: convention, entries: entries)
    }

    /// Reads and verifies the file at `path`.
    public static func read(path: String) throws(WeightFileError) -> WeightFile {
        guard FileManager.default.fileExists(atPath: path) else { throw .missing(path: path) }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
        return try WeightFile(decoding: [UInt8](data), path: path)
    }

    /// Writes the file atomically (a temporary file renamed into place), creating its folder.
    public func write(to path: String) throws(WeightFileError) {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(encoded()).write(to: url, options: .atomic)
        } catch {
            throw .writeFailed(path: path, reason: "\(error.localizedDescription)")
        }
    }
}

/// Why a weight file could not be used. Each message names the file and, where a fresh
/// download fixes it, says how.
public enum WeightFileError: Error, Equatable, CustomStringConvertible {
    case missing(path: String)
    case unreadable(path: String)
    case truncated(path: String, bytes: Int)
    case notAWeightFile(path: String)
    case unsupportedVersion(path: String, version: Int)
    case checksumMismatch(path: String)
    case wrongArchitecture(path: String, found: String)
    case missingTensor(path: String, name: String)
    case wrongShape(path: String, name: String, expected: [Int], found: [Int])
    case writeFailed(path: String, reason: String)

    static let fix = "run `vst models fetch` (or `vst models import FILE.onnx`)"

    public var description: String {
        switch self {
        case .missing(let p): "weight file \(p) is missing; \(Self.fix)"
        case .unreadable(let p): "weight file \(p) cannot be read; check its permissions or \(Self.fix)"
        case .truncated(let p, let n): "weight file \(p) is truncated (\(n) bytes); \(Self.fix)"
        case .notAWeightFile(let p): "\(p) is not a vst weight file; \(Self.fix)"
        case .unsupportedVersion(let p, let v): "weight file \(p) has version \(v), this vst reads version \(WeightFile.version); \(Self.fix)"
        case .checksumMismatch(let p): "weight file \(p) is corrupt (checksum mismatch); \(Self.fix)"
        case .wrongArchitecture(let p, let a): "weight file \(p) holds \(a), not a supported VGG; \(Self.fix)"
        case .missingTensor(let p, let n): "weight file \(p) has no tensor \(n); \(Self.fix)"
        case .wrongShape(let p, let n, let e, let f): "weight file \(p): \(n) has shape \(f), expected \(e); \(Self.fix)"
        case .writeFailed(let p, let r): "cannot write weight file \(p): \(r)"
        }
    }
}
