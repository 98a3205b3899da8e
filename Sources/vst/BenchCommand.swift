import ArgumentParser
import Engine
import Foundation
import ToolSupport

/// `vst bench`: Engine speed on real shapes, one JSON line per measurement.
/// `layers` (the default) times cblas_sgemm and Conv2D on every VGG-16 conv shape; `network`
/// times VGG-16 to relu5_1 forward and backward, the network part of a Gatys iteration.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Engine kernels; prints one JSON line per measurement.",
        subcommands: [Layers.self, Network.self, ReCoNet.self, Gatys.self, ReCoNetFrame.self],
        defaultSubcommand: Layers.self)

    /// Options every bench shares.
    struct Common: ParsableArguments {
        @Option(help: "Input image size as WIDTHxHEIGHT.") var size: String = "512x288"
        @Option(help: "Timed runs per measurement (the best is reported).") var repeats: Int = 3
        @Option(help: "Threads for the matrix products and Engine's loops (default: all cores).") var threads: Int?

        /// (width, height) parsed from `size`; validate() has checked it.
        var dimensions: (width: Int, height: Int) { BenchCommand.parseSize(size)! }

        func validate() throws {
            if BenchCommand.parseSize(size) == nil {
                BenchCommand.failWithOneLine("--size must look like 512x288 (both at least 32), got '\(size)'", status: 2)
            }
            if repeats < 1 { BenchCommand.failWithOneLine("--repeats must be at least 1, got \(repeats)", status: 2) }
            if let threads, threads < 1 { BenchCommand.failWithOneLine("--threads must be at least 1, got \(threads)", status: 2) }
        }

        func applyThreads() {
            if let threads { Bench.setThreads(threads) }
        }
    }

    struct Layers: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "cblas_sgemm and Conv2D forward/backward GFLOP/s on VGG-16's conv shapes.")
        @OptionGroup var common: Common

        func run() throws {
            common.applyThreads()
            let (w, h) = common.dimensions
            Bench.layers(width: w, height: h, repeats: common.repeats) { BenchCommand.print($0) }
        }
    }

    struct Network: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "VGG-16 to relu5_1 forward and image-gradient backward: time and peak memory.")
        @OptionGroup var common: Common

        func run() throws {
            common.applyThreads()
            let (w, h) = common.dimensions
            Bench.network(width: w, height: h, repeats: common.repeats) { BenchCommand.print($0) }
        }
    }

    struct ReCoNet: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reconet",
            abstract: "ReCoNet as Engine builds it (random weights): inference and one training pass on a frame.")
        @OptionGroup var common: Common

        func run() throws {
            common.applyThreads()
            let (w, h) = common.dimensions
            Bench.reconet(width: w, height: h, repeats: common.repeats) { BenchCommand.print($0) }
        }
    }

    /// Every bench prints through `Bench.Record`, one line each, flushed so that a long run shows
    /// its lines as they come.
    static func print(_ record: Bench.Record) {
        Swift.print(record)
        fflush(stdout)
    }

    static func parseSize(_ text: String) -> (width: Int, height: Int)? {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), w >= 32, h >= 32,
              w <= 16384, h <= 16384 else { return nil }
        return (w, h)
    }
}
