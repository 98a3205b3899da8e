import Foundation

/// The worker processes an embedded `submit` starts on this machine: the `vst-worker`
/// executable next to the running `vst-coord`, connected to the embedded coordinator over the
/// run's `EmbeddedLink` (a private Unix socket, else 127.0.0.1). Separate processes, not threads, so a local run exercises exactly the code and
/// the protocol a farm runs, and a crashing renderer cannot take the coordinator down.
final class LocalWorkers {
    private(set) var processes: [Process] = []

    /// The default count: one worker per two cores, at least one.
    static var defaultCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount / 2) }

    /// `vst-worker` in the folder of the running executable.
    static func defaultExecutable() -> String {
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let folder = FileManager.default.fileExists(atPath: me.path) ? me.deletingLastPathComponent()
            : URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return folder.appendingPathComponent("vst-worker").path
    }

    /// Starts `count` workers connecting to `endpoint`, each with `threads` compute threads and
    /// `keyArguments` (`--key F --server-key F`, or `--insecure`).
    init(count: Int, endpoint: String, executable: String, threads: Int?, keyArguments: [String]) throws(CoordinatorError) {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw .workerExecutableMissing(path: executable)
        }
        for _ in 0..<count {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["--connect", endpoint, "--parent-pid", "\(getpid())"] + keyArguments + (threads.map { ["--threads", "\($0)"] } ?? [])
            process.standardInput = FileHandle.nullDevice
            do { try process.run() } catch {
                stop()
                throw .workerExecutableMissing(path: "\(executable) (\(error))")
            }
            processes.append(process)
        }
    }

    var pids: [Int32] { processes.map(\.processIdentifier) }

    /// SIGTERM to every worker, a grace period for their BYE, then SIGKILL to any left.
    func stop(grace: Duration = .seconds(3)) {
        for process in processes where process.isRunning { process.terminate() }
        let deadline = ContinuousClock.now + grace
        while processes.contains(where: \.isRunning) && ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for process in processes { process.waitUntilExit() }
        processes.removeAll()
    }

    deinit { if !processes.isEmpty { stop() } }
}
