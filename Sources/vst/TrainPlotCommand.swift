import ArgumentParser
import Engine
import Foundation
import Media
import ToolSupport

/// `vst train-plot LOG --out curve.png`: the loss curves of a `vst train` log as a picture.
struct TrainPlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-plot",
        abstract: "Draw the weighted loss terms of a vst train log (log scale, moving average) as a PNG.")

    @Argument(help: "The log `vst train` wrote to stderr.") var log: String
    @Option(help: "The picture to write (.png).") var out: String
    @Option(help: "Content weight the run used.") var contentWeight = 1.0
    @Option(help: "Style weight the run used.") var styleWeight = 5.0
    @Option(help: "Total-variation weight the run used.") var tvWeight = 2.0
    @Option(help: "Output temporal weight the run used (0 for --no-temporal).") var outputTemporalWeight = 100.0
    @Option(help: "Feature temporal weight the run used (0 for --no-temporal).") var featureTemporalWeight = 0.5
    @Option(help: "Saturation weight the run used (logs without a sat term show none).") var saturationWeight = 10.0
    @Option(help: "Points averaged on each side.") var smoothing = 10

    func run() throws {
        guard let data = FileManager.default.contents(atPath: log) else { Self.failWithOneLine("cannot read \(log)", status: 2) }
        var weights = ReCoNetTrainer.Options()
        weights.contentWeight = contentWeight; weights.styleWeight = styleWeight; weights.totalVariationWeight = tvWeight
        weights.outputTemporalWeight = outputTemporalWeight; weights.featureTemporalWeight = featureTemporalWeight
        weights.saturationWeight = saturationWeight
        var curve = LossCurve.parse(log: String(decoding: data, as: UTF8.self), weights: weights)
        guard !curve.series.isEmpty else { Self.failWithOneLine("\(log) has no step lines", status: 2) }
        curve.smoothing = max(0, smoothing)
        let (w, h) = (800, 500)
        do { try ImageIO.save(RGBImage(width: w, height: h, pixels: curve.render(width: w, height: h)), to: out) } catch {
            Self.failWithOneLine("\(error)", status: 1)
        }
    }
}
