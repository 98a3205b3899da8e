import ArgumentParser
import Foundation

/// `vst`: the single-machine tools (stylize, flow, eval, train, models, bench).
/// Each subcommand lives in its own file and only parses options and calls a library.
@main struct VST: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vst",
        abstract: "vst's single-machine tools.",
        subcommands: [StylizeCommand.self, FlowCommand.self, EvalCommand.self, TrainCommand.self, TrainPlotCommand.self,
                      ModelsCommand.self, BenchCommand.self])

    /// Subcommands report their own failures (one `error:` line, then an `ExitCode`); this catches
    /// what ArgumentParser rejects before they run, so a usage error exits 2 (not its 64) on one line.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let text = message(for: error)
            // A validate() that printed its own line and threw an ExitCode arrives here wrapped,
            // with no message of its own: its line is out already.
            if text.allSatisfy(\.isWhitespace) { Foundation.exit(exitCode(for: error).rawValue) }
            let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
            let trimmed = line.hasPrefix("Error: ") ? String(line.dropFirst(7)) : line
            FileHandle.standardError.write(Data("error: \(trimmed)\n".utf8))
            Foundation.exit(2)
        }
    }
}
