import ArgumentParser
import Foundation
import ToolSupport

/// `vst`: the single-machine tools (stylize, flow, eval, train, models, bench).
/// Each subcommand lives in its own file and only parses options and calls a library.
@main struct VST: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vst",
        abstract: "vst's single-machine tools.",
        subcommands: [StylizeCommand.self, FlowCommand.self, EvalCommand.self, TrainCommand.self, TrainPlotCommand.self,
                      ModelsCommand.self, BenchCommand.self])

    /// Subcommands report their own failures (one `error:` line, then an `ExitCode`); what
    /// ArgumentParser rejects before they run exits 2 on one line too.
    static func main() { mainWithOneLineErrors() }
}
