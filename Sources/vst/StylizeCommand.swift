import ArgumentParser
import Engine
import Foundation
import Media
import MediaBridge
import ToolSupport

/// `vst stylize`: one picture styled by Gatys optimisation.
struct StylizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stylize",
        abstract: "Style a picture by Gatys optimisation over VGG-16.",
        discussion: """
            Defaults reproduce the reference render (../shared/media/SOURCES.md): content relu4_2 \
            weight 1, style relu1_1..relu5_1 weight 1e-3 on Gram matrices divided by the pixel count, \
            mean squared differences, L-BFGS with history 20. Progress (iteration, losses) goes to stderr.
            """)

    @Argument(help: "The content picture (PNG or JPEG).")
    var content: String
    @Option(name: .customLong("style"), help: "A style picture; repeat for several.")
    var styles: [String] = []
    @Option(help: "Blend weights of the style pictures, comma-separated, one per --style (default: equal).")
    var styleWeights: String?
    @Option(help: "Output picture (.png or .jpg).")
    var out: String
    @Option(help: "Output width in pixels; the height keeps the aspect ratio.")
    var size = 512
    @Option(help: "Optimiser iterations.")
    var iters = 150
    @Option(help: "Iterations at half size first; the full-size render then starts from their result enlarged (0: full size only).")
    var coarseIters = 0
    @Option(help: "Stop once the loss fell by less than this share over --stop-window iterations (--iters is then a cap); 0 runs --iters in full.")
    var stopTolerance = 0.0
    @Option(help: "Iterations --stop-tolerance's decrease is measured over.")
    var stopWindow = 5
    @Option(help: "Weight of the content loss.")
    var contentWeight: Double?
    @Option(help: "Weight of the style loss.")
    var styleWeight: Double?
    @Option(help: "Weight of the total-variation loss.")
    var tvWeight: Double = 0
    @Option(help: "lbfgs or adam.")
    var optimizer = "lbfgs"
    @Option(help: "L-BFGS history size.")
    var history = 20
    @Option(help: "Adam learning rate (pixel units, 0...255 scale).")
    var learningRate = 5.0
    @Option(help: "Starting image: content, noise, or the path of a picture.")
    var `init` = "content"
    @Option(help: "Seed of --init noise.")
    var seed: UInt64 = 1
    @Option(help: "Style pictures are resized to this times the output width.")
    var styleScale = 1.0
    @Option(help: "Keep the content's colours: luminance (transfer luminance only) or histogram (recolour the styles first).")
    var originalColors: String?
    @Option(help: "Loss normalisation: mean (default; the reference's) or gatys (the paper's).")
    var normalization = "mean"
    @Option(help: "Content layers, comma-separated.")
    var contentLayers = "relu4_2"
    @Option(help: "Style layers, comma-separated.")
    var styleLayers = "relu1_1,relu2_1,relu3_1,relu4_1,relu5_1"
    @Option(help: "Print progress every N iterations.")
    var printEvery = 10
    @Option(help: "VGG weight file (default: models/vgg16.vstw, or $VST_MODELS/vgg16.vstw).")
    var weights: String?
    @Option(help: "A trained .reconet model: one feed-forward pass instead of optimisation (--style not needed).")
    var model: String?

    func validate() throws {
        guard !styles.isEmpty || model != nil else { Self.failWithOneLine("give at least one --style picture, or a --model", status: 2) }
        guard size > 0 else { Self.failWithOneLine("--size must be positive", status: 2) }
        guard iters > 0 else { Self.failWithOneLine("--iters must be positive", status: 2) }
        guard ["lbfgs", "adam"].contains(optimizer) else { Self.failWithOneLine("--optimizer must be lbfgs or adam", status: 2) }
        guard LossNormalization(rawValue: normalization) != nil else { Self.failWithOneLine("--normalization must be mean or gatys", status: 2) }
        if let o = originalColors, ColorTransfer.Mode(rawValue: o) == nil {
            Self.failWithOneLine("--original-colors must be luminance or histogram", status: 2)
        }
        if let w = styleWeights {
            let values = w.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard values.allSatisfy({ $0 != nil && $0! >= 0 }), values.count == styles.count else {
                Self.failWithOneLine("--style-weights needs \(styles.count) non-negative numbers, comma-separated", status: 2)
            }
        }
        guard stopTolerance >= 0, stopTolerance < 1 else { Self.failWithOneLine("--stop-tolerance must be a number in [0, 1)", status: 2) }
        guard coarseIters >= 0 else { Self.failWithOneLine("--coarse-iters must be 0 or more", status: 2) }
        guard stopWindow > 0 else { Self.failWithOneLine("--stop-window must be positive", status: 2) }
        guard history > 0, learningRate > 0, styleScale > 0, printEvery > 0 else {
            Self.failWithOneLine("--history, --learning-rate, --style-scale and --print-every must be positive", status: 2)
        }
    }

    func run() throws {
        if let model { return try stylize(model: model) }
        func load(_ path: String) throws -> Tensor {
            do { return try ImageIO.load(path: path).tensor } catch {
                Self.failWithOneLine("\(error)", status: 2)
            }
        }
        let weightPath = weights ?? ModelStore.defaultWeightsPath()
        let vgg: VGGWeights
        do { vgg = try VGGWeights.load(path: weightPath) } catch {
            Self.failWithOneLine("\(error)", status: 1)
        }
        var still = GatysStill(content: try load(content), styles: try styles.map(load))
        still.styleBlendWeights = styleWeights.map { $0.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces))! } }
        still.width = size
        still.styleScale = styleScale
        still.iterations = iters
        still.coarseIterations = coarseIters
        if stopTolerance > 0 { still.stop = LossPlateau(tolerance: stopTolerance, window: stopWindow) }
        still.originalColors = originalColors.flatMap(ColorTransfer.Mode.init(rawValue:))
        switch self.`init` {
        case "content": still.initial = .content
        case "noise": still.initial = .noise(seed: seed)
        default: still.initial = .image(try load(self.`init`))
        }
        var options = GatysOptions.defaults(for: LossNormalization(rawValue: normalization)!)
        if let contentWeight { options.contentWeight = contentWeight }
        if let styleWeight { options.styleWeight = styleWeight }
        options.totalVariationWeight = tvWeight
        options.optimizer = optimizer == "adam" ? .adam(learningRate: learningRate) : .lbfgs(historySize: history)
        options.contentLayers = contentLayers.split(separator: ",").map { String($0) }
        options.styleLayers = styleLayers.split(separator: ",").map { String($0) }
        still.options = options

        let started = Date()
        let every = printEvery
        let result: GatysRenderer.Result
        do {
            result = try still.render(weights: vgg) { i, l in
                if i == 1 || i % every == 0 {
                    let line = String(format: "iter %d loss %.4e content %.4e style %.4e tv %.4e %.1fs\n",
                                      i, l.total, l.content, l.style, l.totalVariation, Date().timeIntervalSince(started))
                    FileHandle.standardError.write(Data(line.utf8))
                }
                return true
            }
        } catch {
            Self.failWithOneLine("\(error)", status: 2)
        }
        let seconds = Date().timeIntervalSince(started)
        FileHandle.standardError.write(Data(String(
            format: "done: %d iterations, %d evaluations, %.1fs; style loss %.4e -> %.4e, content loss %.4e -> %.4e, total %.4e -> %.4e\n",
            result.iterations, result.evaluations, seconds, result.initial.style, result.final.style,
            result.initial.content, result.final.content, result.initial.total, result.final.total).utf8))
        do { try ImageIO.save(RGBImage(tensor: result.image), to: out) } catch {
            Self.failWithOneLine("\(error)", status: 1)
        }
    }
}
