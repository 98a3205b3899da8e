import ArgumentParser
import Engine
import Foundation
import ToolSupport

extension BenchCommand {
    /// `vst bench reconet-frame`: seconds of one ReCoNet frame (packed RGB in and out), as one JSON line.
    struct ReCoNetFrame: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reconet-frame",
            abstract: "One ReCoNet frame (48/96/192 network, RGB bytes in and out): seconds, frames/s and peak memory.")
        @OptionGroup var common: Common
        @Option(help: "A .reconet model (default: a seeded random network of the paper's shape).")
        var model: String?
        @Flag(help: "Also time every layer alone, one JSON line each.")
        var layers = false

        func run() throws {
            common.applyThreads()
            let (w, h) = common.dimensions
            var network: Engine.ReCoNet?
            if let model {
                do { network = try StyleModelFile.read(path: model).makeNetwork() } catch {
                    Self.failWithOneLine("\(error)", status: 2)
                }
            }
            BenchCommand.print(ReCoNetBench.frame(width: w, height: h, network: network, repeats: common.repeats).record)
            if layers {
                for record in ReCoNetBench.layerProfile(width: w, height: h, network: network, repeats: common.repeats) { BenchCommand.print(record) }
            }
        }
    }
}
