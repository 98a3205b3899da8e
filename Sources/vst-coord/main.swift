import ArgumentParser
import Coordinator

@main struct VSTCoord: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vst-coord", abstract: "The vst render farm's coordinator.")
    func run() throws {}
}
