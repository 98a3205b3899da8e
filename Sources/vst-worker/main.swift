import ArgumentParser
import Worker

@main struct VSTWorker: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vst-worker", abstract: "A vst render node.")
    @Option(help: "Coordinator endpoint, e.g. tcp://coord:5555.") var connect: String
    @Option(help: "Compute threads (default: all cores).") var threads: Int?
    func run() throws {
        throw ValidationError("the worker loop has not landed yet")
    }
}
