import ArgumentParser
import Foundation
import Worker

@main struct VSTWorker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vst-worker", abstract: "A vst render node: connects to a coordinator and renders the chunks it is given.",
        discussion: "Reconnects with backoff while the coordinator is away; SIGTERM or SIGINT ends it cleanly. Connections are plain TCP: encryption (CURVE) is not implemented yet.")
    @Option(help: "Coordinator worker endpoint, e.g. tcp://coord:5555.") var connect: String
    @Option(help: "Compute threads (default: all cores).") var threads: Int?
    @Flag(help: "Plain TCP without encryption (the only transport implemented so far).") var insecure = false
    @Option(help: .hidden) var parentPid: Int32?

    /// Usage errors print one `error:` line and exit 2, as every vst command does.
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
            let text = message(for: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "\(error)"
            FileHandle.standardError.write(Data("error: \(text)\n".utf8))
            Foundation.exit(2)
        }
    }

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        guard connect.hasPrefix("tcp://") || connect.hasPrefix("ipc://") else {
            throw ValidationError("--connect \(connect) is not an endpoint like tcp://HOST:PORT")
        }
    }

    func run() throws {
        let stop = StopSignal()
        stop.install()
        do {
            try WorkerLoop(configuration: .init(endpoint: connect, threads: threads, parentProcess: parentPid), stop: stop).run()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
