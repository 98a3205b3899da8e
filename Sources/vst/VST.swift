import ArgumentParser

/// `vst`: the single-machine tools (stylize, flow, eval, train, models, bench).
/// Each subcommand lives in its own file and only parses options and calls a library.
@main struct VST: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vst",
        abstract: "vst's single-machine tools.",
        subcommands: [StylizeCommand.self, ModelsCommand.self, BenchCommand.self, TrainCommand.self, TrainPlotCommand.self])
}
