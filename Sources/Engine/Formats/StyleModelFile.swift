import Foundation

/// A trained feed-forward style model (`.reconet`): the network's weights, the style's name, the
/// network configuration and the settings it was trained with, in one checksummed file. The
/// coordinator sends it to workers as bytes and checks it by its SHA-256, so everything needed to
/// render is inside, and a damaged copy is refused when loaded rather than rendering garbage.
///
/// Layout, integers little-endian:
///
///     offset  size  field
///     0       8     magic "VSTSTYLE"
///     8       4     version (UInt32) = 1
///     12      4     metadata length M (UInt32)
///     16      M     metadata: UTF-8 JSON object (`Metadata`): kind ("reconet"), styleName,
///                   configuration {widths, residualBlocks}, step, training settings
///                   (string -> string), tensors [{name, shape}] in payload order
///     16+M          payload: each tensor's float32 values, row-major, in table order
///     end-32  32    SHA-256 of all bytes before it
///
/// Tensor names: `net.K` is the network's K-th trainable tensor in `ReCoNet.parameters` order;
/// a training checkpoint adds the optimiser's state (`adam.m.K`, `adam.v.K`), which
/// `withoutOptimizerState()` drops for a shipped model.
public struct StyleModelFile: Sendable, Equatable {
    public static let magic: [UInt8] = Array("VSTSTYLE".utf8)
    public static let version: UInt32 = 1
    /// The `training` key under which `vst train` records its style picture's SHA-256, so that a
    /// coordinator can tell which of its models belongs to a job's style (lower-case hex).
    public static let styleSHA256Key = "styleSHA256"

    /// What the JSON block holds besides the tensor table.
    public struct Metadata: Sendable, Equatable, Codable {
        /// The network family; "reconet" (with or without temporal training).
        public var kind: String
        /// A human name for the style, e.g. the painting's file name.
        public var styleName: String
        public var configuration: ReCoNet.Configuration
        /// Training steps taken.
        public var step: Int
        /// Every setting that shaped the weights (loss weights, sizes, data, command line).
        public var training: [String: String]

        public init(kind: String = "reconet", styleName: String, configuration: ReCoNet.Configuration,
                    step: Int, training: [String: String]) {
            self.kind = kind; self.styleName = styleName; self.configuration = configuration
            self.step = step; self.training = training
        }
    }

    public struct Entry: Sendable, Equatable, Codable {
        public var name: String
        public var shape: [Int]
    }

    public var metadata: Metadata
    /// Named tensors in file order.
    public var tensors: [(name: String, value: Tensor)]

    public init(metadata: Metadata, tensors: [(name: String, value: Tensor)]) {
        self.metadata = metadata
        self.tensors = tensors
    }

    /// The model of `network`'s current weights.
    public init(network: ReCoNet, styleName: String, step: Int, training: [String: String]) {
        self.init(metadata: Metadata(styleName: styleName, configuration: network.configuration, step: step, training: training),
                  tensors: network.parameters.enumerated().map { ("net.\($0.offset)", $0.element) })
    }

    public static func == (a: StyleModelFile, b: StyleModelFile) -> Bool {
        a.metadata == b.metadata && a.tensors.count == b.tensors.count
            && zip(a.tensors, b.tensors).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    /// The tensor called `name`, if present.
    public func tensor(named name: String) -> Tensor? { tensors.first { $0.name == name }?.value }

    /// The same model without training-only tensors (the optimiser's state).
    public func withoutOptimizerState() -> StyleModelFile {
        StyleModelFile(metadata: metadata, tensors: tensors.filter { $0.name.hasPrefix("net.") })
    }

    /// A network holding this model's weights.
    public func makeNetwork() throws(StyleModelFileError) -> ReCoNet {
        guard metadata.kind == "reconet" else { throw .unsupportedKind(metadata.kind) }
        guard metadata.configuration.isValid else { throw .badMetadata("invalid network configuration") }
        // Any initial weights do: every tensor is replaced below (a seeded generator is cheap).
        var rng = TrainingRandom(seed: 0)
        let net = ReCoNet(configuration: metadata.configuration, using: &rng)
        let count = net.parameters.count
        var values: [Tensor] = []
        for k in 0..<count {
            guard let t = tensor(named: "net.\(k)") else { throw .missingTensor("net.\(k)") }
            values.append(t)
        }
        do { try net.load(values) } catch { throw .network(error) }
        return net
    }

    /// The file's bytes, checksum included.
    public func encoded() -> [UInt8] {
        struct Header: Encodable {
            var metadata: Metadata
            var tensors: [Entry]
        }
        let header = Header(metadata: metadata, tensors: tensors.map { Entry(name: $0.name, shape: $0.value.shape) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = [UInt8]((try? encoder.encode(header)) ?? Data())
        var bytes = Self.magic
        func u32(_ v: Int) { for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
        u32(Int(Self.version))
        u32(json.count)
        bytes += json
        bytes.reserveCapacity(bytes.count + tensors.reduce(0) { $0 + 4 * $1.value.count } + 32)
        for (_, t) in tensors {
            t.withUnsafeBufferPointer { p in
                for v in p { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
            }
        }
        bytes += SHA256.hash(bytes)
        return bytes
    }

    /// Parses and verifies a model's bytes.
    public init(decoding bytes: [UInt8]) throws(StyleModelFileError) {
        guard bytes.count >= Self.fixedHead + 32 else { throw .truncated(bytes: bytes.count) }
        // A file cut short inside its metadata says so; any other damage fails the checksum.
        let json = try Self.jsonRange(bytes, fileSize: bytes.count)
        guard SHA256.hash(bytes[..<(bytes.count - 32)]) == Array(bytes[(bytes.count - 32)...]) else {
            throw .checksumMismatch
        }
        let header = try Self.header(bytes[json])
        var position = json.upperBound
        var tensors: [(name: String, value: Tensor)] = []
        for e in header.tensors {
            guard e.shape.allSatisfy({ $0 >= 0 && $0 < 1 << 24 }) else { throw .badMetadata("tensor \(e.name) has shape \(e.shape)") }
            let n = e.shape.reduce(1, *)
            guard position + 4 * n <= bytes.count - 32 else { throw .truncated(bytes: bytes.count) }
            var t = Tensor(shape: e.shape)
            let start = position
            t.withUnsafeMutableBufferPointer { out in
                bytes.withUnsafeBytes { raw in
                    for i in 0..<n {
                        out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 4 * i, as: UInt32.self)))
                    }
                }
            }
            position += 4 * n
            tensors.append((e.name, t))
        }
        guard position == bytes.count - 32 else { throw .badMetadata("\(bytes.count - 32 - position) bytes after the last tensor") }
        self.init(metadata: header.metadata, tensors: tensors)
    }

    /// Magic, version and the metadata block's length: the bytes before the JSON.
    static let fixedHead = magic.count + 8

    /// The JSON block of a model file.
    private struct Header: Decodable {
        var metadata: Metadata
        var tensors: [Entry]
    }

    /// Where the JSON block of a file `fileSize` bytes long lies, from its first bytes (`bytes`:
    /// the whole file or at least its fixed head), after checking the magic and the version.
    private static func jsonRange(_ bytes: [UInt8], fileSize: Int) throws(StyleModelFileError) -> Range<Int> {
        guard bytes.count >= fixedHead else { throw .truncated(bytes: fileSize) }
        guard Array(bytes[0..<magic.count]) == magic else { throw .notAModel }
        func u32(_ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
        let version = u32(magic.count)
        guard version == Int(Self.version) else { throw .unsupportedVersion(version) }
        let jsonLength = u32(magic.count + 4)
        guard fixedHead + jsonLength <= fileSize - 32 else { throw .truncated(bytes: fileSize) }
        return fixedHead..<(fixedHead + jsonLength)
    }

    private static func header(_ json: ArraySlice<UInt8>) throws(StyleModelFileError) -> Header {
        do { return try JSONDecoder().decode(Header.self, from: Data(json)) } catch {
            throw .badMetadata("metadata is not valid JSON for this version")
        }
    }

    /// The metadata of the model at `path`, read from the file's head alone: for choosing among
    /// models (a coordinator looking for a style's model reads kilobytes, not each 12 MB file).
    /// Nothing is verified beyond the head; loading the model chosen (`read(path:)`) checks it whole.
    public static func metadata(ofFile path: String) throws(StyleModelFileError) -> Metadata {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FileManager.default.fileExists(atPath: path) ? .unreadable(path: path) : .missing(path: path)
        }
        defer { try? handle.close() }
        do {
            let size = Int(try handle.seekToEnd())
            try handle.seek(toOffset: 0)
            let fixed = [UInt8](try handle.read(upToCount: fixedHead) ?? Data())
            let range = try jsonRange(fixed, fileSize: size)
            let json = [UInt8](try handle.read(upToCount: range.count) ?? Data())
            guard json.count == range.count else { throw StyleModelFileError.truncated(bytes: size) }
            return try header(json[...]).metadata
        } catch let error as StyleModelFileError {
            throw .inFile(path: path, error)
        } catch {
            throw .unreadable(path: path)
        }
    }

    /// Reads and verifies the model at `path`.
    public static func read(path: String) throws(StyleModelFileError) -> StyleModelFile {
        guard FileManager.default.fileExists(atPath: path) else { throw .missing(path: path) }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
        do { return try StyleModelFile(decoding: [UInt8](data)) } catch { throw .inFile(path: path, error) }
    }

    /// Writes the model atomically: to a temporary file in the same folder, then renamed over
    /// `path`, so a crash mid-write never leaves a half-written checkpoint under the real name.
    public func write(to path: String) throws(StyleModelFileError) {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(encoded()).write(to: url, options: .atomic)
        } catch {
            throw .writeFailed(path: path, reason: error.localizedDescription)
        }
    }
}

/// Why a style model could not be read or used; each case prints as one line.
public indirect enum StyleModelFileError: Error, Equatable, CustomStringConvertible {
    case missing(path: String)
    case unreadable(path: String)
    case truncated(bytes: Int)
    case notAModel
    case unsupportedVersion(Int)
    case checksumMismatch
    case badMetadata(String)
    case unsupportedKind(String)
    case missingTensor(String)
    case network(ReCoNetError)
    case inFile(path: String, StyleModelFileError)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let p): "style model \(p) does not exist"
        case .unreadable(let p): "style model \(p) cannot be read"
        case .truncated(let n): "style model is truncated (\(n) bytes)"
        case .notAModel: "not a vst style model (bad magic)"
        case .unsupportedVersion(let v): "style model version \(v) is not supported (this vst reads \(StyleModelFile.version))"
        case .checksumMismatch: "style model is corrupt (checksum mismatch)"
        case .badMetadata(let why): "style model metadata: \(why)"
        case .unsupportedKind(let k): "style model kind \(k) is not supported"
        case .missingTensor(let n): "style model has no tensor \(n)"
        case .network(let e): "style model does not fit its network: \(e)"
        case .inFile(let p, let e): "\(p): \(e)"
        case .writeFailed(let p, let r): "cannot write style model \(p): \(r)"
        }
    }
}
