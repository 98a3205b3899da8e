import ArgumentParser
import Engine
import Media

@main struct VST: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vst", abstract: "vst's single-machine tools.")
    func run() throws {}
}
