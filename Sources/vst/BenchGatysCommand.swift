import ArgumentParser
import Engine
import Foundation
import ToolSupport

extension BenchCommand {
    /// `vst bench gatys`: seconds of one Gatys iteration, as one JSON line.
    struct Gatys: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One Gatys iteration (VGG-16 to relu5_1, default losses, backward to the image): seconds and peak memory.")
        @OptionGroup var common: Common
        @Option(help: "VGG weight file (default: models/vgg16.vstw; seeded random weights when it is missing).")
        var weights: String?

        func run() throws {
            common.applyThreads()
            let (w, h) = common.dimensions
            let path = weights ?? ModelStore.defaultWeightsPath()
            var vgg: VGGWeights?
            do {
                vgg = try VGGWeights.load(path: path)
            } catch WeightFileError.missing where weights == nil {
                vgg = nil
            } catch {
                Self.failWithOneLine("\(error)", status: 1)
            }
            do {
                BenchCommand.print(try GatysBench.iteration(width: w, height: h, weights: vgg, repeats: common.repeats).record)
            } catch {
                Self.failWithOneLine("\(error)", status: 1)
            }
        }
    }
}
