import ArgumentParser
import Foundation
import Toolkit
import ToolSupport

/// `vst`: the single-machine tools (stylize, flow, eval, train, models, bench).
/// Each subcommand lives in its own file and only parses options and calls a library
/// (Engine, or Toolkit for the tools built on it).
@main struct VST: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vst",
        abstract: "vst's single-machine tools.",
        subcommands: [StylizeCommand.self, FlowCommand.self, EvalCommand.self, TrainCommand.self, TrainPlotCommand.self,
                      ModelsCommand.self, BenchCommand.self])

    /// Every failure is one `error:` line: a `ToolkitError` with its own status (2 for bad input
    /// or usage, 1 otherwise), what ArgumentParser rejects with 2, and subcommands that fail on
    /// their own through `failWithOneLine`.
    static func main() {
        mainWithOneLineErrors { error in
            (error as? ToolkitError).map { ($0.description, $0.exitCode) }
        }
    }
}
