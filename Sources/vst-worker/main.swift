import ArgumentParser
import Foundation
import Logging
import ProcessSupport
import Protocol
import ToolSupport
import Worker

@main struct VSTWorker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vst-worker", abstract: "A vst render node: connects to a coordinator and renders the chunks it is given.",
        discussion: """
        Reconnects with backoff while the coordinator is away; SIGTERM or SIGINT ends it cleanly. The link is \
        CURVE-encrypted: --key is this worker's secret key (vst-coord keygen; its .pub goes into the \
        coordinator's --authorized file), --server-key the coordinator's public key. --insecure means plain \
        TCP, on loopback only unless --force-insecure.
        """)
    @Option(help: "Coordinator worker endpoint, e.g. tcp://coord:5555.") var connect: String
    @Option(help: "Compute threads (default: all cores).") var threads: Int?
    @Option(help: "This worker's secret key file (keygen's PATH.key, mode 0600).") var key: String?
    @Option(help: "The coordinator's public key file (its PATH.pub).") var serverKey: String?
    @Flag(help: "Plain TCP without encryption; loopback only.") var insecure = false
    @Flag(help: "Plain TCP without encryption on any address (a trusted network).") var forceInsecure = false
    @Option(help: "Seconds a stopping worker (SIGTERM) may take to finish its current frame and have it acknowledged; a frame that by the chunk's own frame times would end later is not waited for (the chunk goes back at once). Keep it under what follows SIGTERM before SIGKILL (Slurm's KillWait, systemd's TimeoutStopSec).") var stopGrace = Liveness.stopGrace.seconds
    @Option(help: "trace, debug, info, notice, warning, error or critical; chunk lines at or above it also go to the coordinator.") var logLevel = "info"
    @Option(help: "Seconds between heartbeats (default \(Liveness.heartbeatInterval.secondsText)): the coordinator's serve --heartbeat; it counts as gone after \(Liveness.missedBeatsBeforeDead) silent ones.") var heartbeat = Liveness.heartbeatInterval.seconds
    @Option(help: .hidden) var parentPid: Int32?

    /// Usage errors print one `error:` line and exit 2, as every vst command does.
    static func main() { mainWithOneLineErrors() }

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if !(stopGrace >= 0) || !stopGrace.isFinite { throw ValidationError("--stop-grace must be a number of seconds >= 0") }
        let beats = Liveness.heartbeatRange
        if !(heartbeat >= beats.lowerBound.seconds && heartbeat <= beats.upperBound.seconds) {
            throw ValidationError("--heartbeat must be between \(beats.lowerBound.secondsText) and \(beats.upperBound.secondsText) seconds")
        }
        if Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level \(logLevel) is not one of trace, debug, info, notice, warning, error, critical")
        }
        guard Endpoint.isConnectable(connect) else {
            throw ValidationError("--connect \(connect) is not an endpoint like tcp://HOST:PORT")
        }
    }

    func run() throws {
        var configuration = WorkerConfiguration(endpoint: connect, threads: threads, parentProcess: parentPid)
        configuration.stopGrace = .milliseconds(Int64(stopGrace * 1000))
        configuration.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        configuration.heartbeat = .milliseconds(Int64(heartbeat * 1000))
        do {
            configuration.security = try WorkerConfiguration.security(key: key, serverKey: serverKey, insecure: insecure,
                                                                       forceInsecure: forceInsecure, endpoint: connect)
        } catch {
            Self.failWithOneLine("\(error)", status: 2)
        }
        let stop = StopSignal()
        stop.install()
        do {
            try WorkerLoop(configuration: configuration, stop: stop).run()
        } catch {
            Self.failWithOneLine("\(error)", status: 1)
        }
    }
}
