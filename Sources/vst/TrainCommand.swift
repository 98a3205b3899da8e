import ArgumentParser
import Engine
import Foundation
import Toolkit
import ToolSupport

/// `vst train`: trains a ReCoNet style model (or Johnson's network with `--no-temporal`).
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a ReCoNet feed-forward style model.",
        discussion: """
            Two-frame training (Gao et al. 2018): content (relu3_3), style (relu1_2, relu2_2, relu3_3, \
            relu4_3), total variation, and the output and feature-map temporal losses, with Adam. Pairs \
            are photos from --images (or --data's photos/) cut at random scales, mirrored half of the time \
            and moved by random known motions (exact flow and mask), and consecutive frames of --video \
            clips. Each style layer is divided by the mean square of the style's Gram for that layer \
            (--style-normalization), then content and style by their first-batch values. One progress line per step on stderr; a \
            checkpoint (weights and optimiser) every --checkpoint-every steps, and the model at --out.
            """)

    @Option(help: "The style picture (PNG or JPEG).")
    var style: String
    @Option(name: .customLong("images"), help: "A folder of training photos (PNG or JPEG); repeatable.")
    var imageFolders: [String] = []
    @Option(name: .customLong("video"), help: "A training video (consecutive frames, flow by DIS); repeatable.")
    var videos: [String] = []
    @Option(name: .customLong("data"), help: ArgumentHelp("A folder made by scripts/training-data.sh: its photos/ and every clip in video/.", valueName: "folder"))
    var dataFolder: String?
    @Option(help: "Pairs taken from each video, evenly spread over it.")
    var videoPairs = 60
    @Option(help: "The model to write (.reconet), rewritten at each checkpoint.")
    var out: String
    @Option(help: "Training frames are SIZE x SIZE pixels.")
    var size = 192
    @Option(help: "Width of the style picture as VGG sees it (its strokes' scale).")
    var styleSize = 256
    @Option(help: "Steps to reach (a resumed run continues up to this).")
    var steps = 1000
    @Option(help: "Checkpoint file (default: OUT.ckpt).")
    var checkpoint: String?
    @Option(help: "Write a checkpoint every N steps.")
    var checkpointEvery = 20
    @Option(help: ArgumentHelp("Continue from a model file (.reconet, e.g. one in models/): its weights, step and loss normalisers, with a fresh optimiser.", valueName: "model"))
    var from: String?
    @Option(help: ArgumentHelp("Start a new run from a model's weights alone (for example another style's, in models/): step 0, a fresh optimiser, and the loss normalisers a run from random weights (--seed) would measure.", valueName: "model"))
    var weightsFrom: String?
    @Flag(help: "Continue from the checkpoint file.")
    var resume = false
    @Flag(help: "No temporal losses: Johnson et al.'s network.")
    var noTemporal = false
    @Option(help: "Adam learning rate.") var learningRate = 1e-3
    @Option(help: "Content weight (relative to the first batch).") var contentWeight = 1.0
    @Option(help: "Style weight (relative to the first batch).") var styleWeight = 5.0
    @Option(help: "Total-variation weight (outputs in 0...1).") var tvWeight = 2.0
    @Option(help: "Output temporal loss weight (outputs in 0...1).") var outputTemporalWeight = 100.0
    @Option(help: "Feature-map temporal loss weight.") var featureTemporalWeight = 0.5
    @Option(help: "Weight of the penalty on values pushed into the output tanh's flat ends, where no other loss can pull a pixel back (the dark blots); 0 for none.")
    var saturationWeight = 10.0
    @Option(help: ArgumentHelp("Style layer normalisation: style-gram (each layer divided by the mean square of the style's Gram) or none (layers summed raw, as models before issue 21). Default: style-gram for a new run, the file's for --resume and --from.", valueName: "mode"))
    var styleNormalization: String?
    @Option(help: ArgumentHelp("Encoder widths of a new run from random weights, comma-separated (default: the paper's 48,96,192).", valueName: "widths"))
    var widths: String?
    @Option(help: "Seed of the initial weights and of the pairs.") var seed: UInt64 = 1
    @Option(help: "Threads for the matrix products and Engine's loops (default: all cores).") var threads: Int?
    @Option(help: "VGG weight file (default: models/vgg16.vstw, or $VST_MODELS/vgg16.vstw).") var weights: String?

    var parsedWidths: [Int]? {
        let w = (widths ?? "48,96,192").split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        return w.count == 3 && w.allSatisfy({ $0 > 0 && $0 <= 1024 }) ? w : nil
    }

    func validate() throws {
        guard !imageFolders.isEmpty || !videos.isEmpty || dataFolder != nil else {
            Self.failWithOneLine("give --data, or at least one --images folder or --video", status: 2)
        }
        if let styleNormalization, StyleLayerNormalization(rawValue: styleNormalization) == nil {
            Self.failWithOneLine("--style-normalization must be one of \(StyleLayerNormalization.allCases.map(\.rawValue).joined(separator: ", "))", status: 2)
        }
        guard videoPairs > 0 else { Self.failWithOneLine("--video-pairs must be positive", status: 2) }
        guard size >= 16 && size % 4 == 0 else { Self.failWithOneLine("--size must be a multiple of 4, at least 16", status: 2) }
        guard styleSize >= 16, steps > 0, checkpointEvery > 0, learningRate > 0 else {
            Self.failWithOneLine("--style-size, --steps, --checkpoint-every and --learning-rate must be positive", status: 2)
        }
        guard [contentWeight, styleWeight, tvWeight, outputTemporalWeight, featureTemporalWeight, saturationWeight].allSatisfy({ $0 >= 0 }) else {
            Self.failWithOneLine("loss weights must be non-negative", status: 2)
        }
        guard parsedWidths != nil else { Self.failWithOneLine("--widths must be three positive integers, e.g. 48,96,192", status: 2) }
        if let threads, threads < 1 { Self.failWithOneLine("--threads must be at least 1", status: 2) }
        if [resume, from != nil, weightsFrom != nil].filter({ $0 }).count > 1 {
            Self.failWithOneLine("give one of --resume (a checkpoint), --from (a model) and --weights-from (a model's weights)", status: 2)
        }
        // A network read from a file has that file's widths; a --widths beside it would be ignored.
        if widths != nil, resume || from != nil || weightsFrom != nil {
            Self.failWithOneLine("--widths is for a new run from random weights; --resume, --from and --weights-from take the model's", status: 2)
        }
    }

    func run() throws {
        if let threads { Bench.setThreads(threads) }
        let vggPath = weights ?? ModelStore.defaultWeightsPath()
        let vgg: VGGWeights
        do { vgg = try VGGWeights.load(path: vggPath) } catch { Self.failWithOneLine("\(error)", status: 1) }

        let styleImage = try TrainingPhotos.style(path: style, width: styleSize)
        let data = try dataFolder.map { path throws(ToolkitError) in try TrainingDataFolder(path: path) }
        let imageFolders = imageFolders + (data?.photoFolders ?? []), videos = videos + (data?.videos ?? [])
        let photos = imageFolders.isEmpty ? [] : try TrainingPhotos.load(folders: imageFolders, size: size)
        let pairs = try TrainingVideoPairs.load(videos: videos, pairsPerVideo: videoPairs, size: size, seed: seed, log: log)

        var options = ReCoNetTrainer.Options()
        options.learningRate = learningRate
        options.contentWeight = contentWeight
        options.styleWeight = styleWeight
        options.totalVariationWeight = tvWeight
        options.outputTemporalWeight = noTemporal ? 0 : outputTemporalWeight
        options.featureTemporalWeight = noTemporal ? 0 : featureTemporalWeight
        options.saturationWeight = saturationWeight
        if let styleNormalization, let mode = StyleLayerNormalization(rawValue: styleNormalization) {
            options.styleLayerNormalization = mode
        }

        let checkpointPath = checkpoint ?? out + ".ckpt"
        let network: ReCoNet
        var resumeFile: StyleModelFile?
        if resume || from != nil {
            let path = from ?? checkpointPath
            let file: StyleModelFile
            (file, network) = Self.readModel(path, failing: "cannot resume from")
            resumeFile = file
            if let trained = resumeFile?.metadata.training["temporal"], trained != (noTemporal ? "no" : "yes") {
                Self.failWithOneLine("\(path) was trained \(trained == "no" ? "with" : "without") --no-temporal; give the same to go on with it", status: 2)
            }
            // Its style normaliser is a value of Ls under its own mode, so the mode goes on with it.
            guard let trained = StyleLayerNormalization.recorded(in: resumeFile?.metadata.training ?? [:]) else {
                Self.failWithOneLine("\(path) records an unknown style layer normalisation", status: 2)
            }
            if let styleNormalization, styleNormalization != trained.rawValue {
                Self.failWithOneLine("\(path) was trained with --style-normalization \(trained.rawValue); give the same to go on with it", status: 2)
            }
            options.styleLayerNormalization = trained
        } else if let weightsFrom {
            // Only the weights: the normalisers and the step belong to the other model's run, so this
            // one counts from 0 and takes a run from scratch's normalisers (below).
            network = Self.readModel(weightsFrom, failing: "cannot read weights from").network
        } else {
            var rng = TrainingRandom(seed: seed)
            network = ReCoNet(configuration: .init(widths: parsedWidths!, residualBlocks: 4), using: &rng)
        }
        let trainer: ReCoNetTrainer
        do { trainer = try ReCoNetTrainer(network: network, vggWeights: vgg, style: styleImage, options: options) } catch {
            Self.failWithOneLine("\(error)", status: 2)
        }
        let styleName = URL(fileURLWithPath: style).deletingPathExtension().lastPathComponent
        var settings = ["command": CommandLine.arguments.joined(separator: " "), "images": imageFolders.joined(separator: ","),
                        "photos": "\(photos.count)", "videos": videos.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ","),
                        "videoPairs": "\(pairs.count)", "style": URL(fileURLWithPath: style).lastPathComponent,
                        "styleSize": "\(styleSize)", "seed": "\(seed)", "temporal": noTemporal ? "no" : "yes"]
        if let dataFolder { settings["data"] = dataFolder }
        if let weightsFrom { settings["weightsFrom"] = URL(fileURLWithPath: weightsFrom).lastPathComponent }
        if let hash = try? ModelStore.sha256(ofFile: style) { settings[StyleModelFile.styleSHA256Key] = hash }
        var session = TrainingSession(trainer: trainer, data: .init(photos: photos, pairs: pairs), size: size, steps: steps,
                                      checkpointEvery: checkpointEvery, checkpointPath: checkpointPath, modelPath: out,
                                      styleName: styleName, settings: settings, seed: seed &+ 0x5EED)
        if let resumeFile {
            do { try session.resume(from: resumeFile) } catch { Self.failWithOneLine("cannot resume: \(error)", status: 2) }
            log("resumed at step \(trainer.step) from \(from ?? checkpointPath)" + (from == nil ? "" : " (fresh optimiser state)"))
        }
        if weightsFrom != nil {
            // The random network this seed would start from scratch: its first losses are the
            // normalisers, so --style-weight means what it means for a run from random weights.
            var rng = TrainingRandom(seed: seed)
            session.normalize(as: ReCoNet(configuration: network.configuration, using: &rng))
            log(String(format: "normalisers of a run from random weights (seed %llu): content %.4e style %.4e",
                       seed, trainer.contentNormalizer ?? 0, trainer.styleNormalizer ?? 0))
        }
        log("training \(network.parameterCount) parameters on \(photos.count) photos and \(pairs.count) video pairs at \(size)x\(size), style \(styleName) at width \(styleSize), temporal \(options.isTemporal)")
        let started = Date()
        do {
            try session.run { p in
                let l = p.losses
                log(String(format: "step %d/%d total %.4f content %.4e style %.4e tv %.4e otemp %.4e ftemp %.4e sat %.4e %.1fs/step %.0fs%@",
                           p.step, p.steps, l.total, l.content, l.style, l.totalVariation, l.outputTemporal, l.featureTemporal, l.saturation,
                           p.seconds, Date().timeIntervalSince(started), p.checkpointed ? " checkpoint" : ""))
                return true
            }
        } catch { Self.failWithOneLine("\(error)", status: 1) }
        log("done: step \(trainer.step), model \(out), checkpoint \(checkpointPath)")
    }

    /// A model or checkpoint file and the network it holds, or one `error:` line naming the path.
    private static func readModel(_ path: String, failing what: String) -> (file: StyleModelFile, network: ReCoNet) {
        do {
            let file = try StyleModelFile.read(path: path)
            return (file, try file.makeNetwork())
        } catch { failWithOneLine("\(what) \(path): \(error)", status: 2) }
    }
}

private func log(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
