import Foundation
import Testing

/// `vst-coord serve`, two `vst-worker`s and the client commands as separate processes on
/// 127.0.0.1: the farm as a studio runs it.
@Suite(.serialized) struct ServeTests {
    @Test func serveTwoWorkersAndARemoteSubmitThenControlAJob() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Tools.syntheticClip(in: folder, frames: 30)
        let workerEndpoint = "tcp://127.0.0.1:\(FreePort.pick())", control = "tcp://127.0.0.1:\(FreePort.pick())"
        // CURVE throughout: keys made with keygen, the workers' and the client's authorized,
        // a stranger's not.
        func keygen(_ name: String) throws -> String {
            let base = folder.appendingPathComponent(name).path
            let made = try ChildProcess.run(Tools.vstCoord, ["keygen", "--out", base], timeout: .seconds(20))
            #expect(made.status == 0 && made.stdout == "\(base).key\n\(base).pub\n", "\(made.stderr)")
            return base
        }
        let server = try keygen("coord"), worker = try keygen("worker"), client = try keygen("client"), stranger = try keygen("stranger")
        let authorized = folder.appendingPathComponent("authorized").path
        try ("# the farm's workers and clients\n" + String(contentsOfFile: worker + ".pub", encoding: .utf8)
             + String(contentsOfFile: client + ".pub", encoding: .utf8)).write(toFile: authorized, atomically: true, encoding: .utf8)
        let clientKeys = ["--key", client + ".key", "--server-key", server + ".pub"]
        // The workers start first: they must wait for the coordinator and join it when it comes up.
        let workers = try (0..<2).map { _ in
            try ChildProcess(Tools.vstWorker, ["--connect", workerEndpoint, "--key", worker + ".key", "--server-key", server + ".pub"])
        }
        defer { workers.forEach { $0.kill() } }
        let intruder = try ChildProcess(Tools.vstWorker, ["--connect", workerEndpoint, "--key", stranger + ".key", "--server-key", server + ".pub"])
        defer { intruder.kill() }
        Thread.sleep(forTimeInterval: 0.5)
        let serve = try ChildProcess(Tools.vstCoord, ["serve", "--bind", workerEndpoint, "--control", control,
                                                      "--data", folder.appendingPathComponent("data").path,
                                                      "--key", server + ".key", "--authorized", authorized])
        defer { serve.kill() }

        // A job handed over the client channel and followed to the end.
        let output = folder.appendingPathComponent("remote.mkv").path
        let submit = try ChildProcess.run(Tools.vstCoord, ["submit", input, "--method", "copy", "--lossless", "--chunk", "8",
                                                           "--overlap", "2", "--coordinator", control, "--out", output] + clientKeys,
                                          timeout: .seconds(60))
        #expect(submit.status == 0, "\(submit.stderr) | serve: \(serve.stderr)")
        #expect(submit.stdout == "1\n")
        #expect(try FrameComparison.differingFrames(output, input) == 0)
        let status = try ChildProcess.run(Tools.vstCoord, ["status", "--coordinator", control] + clientKeys, timeout: .seconds(20))
        #expect(status.status == 0)
        #expect(status.stdout.contains("1\tdone\t36/36\t30/30\t"), "\(status.stdout)")
        // The stranger was refused, with its address in the log, and never joined.
        #expect(serve.stderr.contains("refused a connection from 127.0.0.1: key not authorized"), "\(serve.stderr)")
        #expect(serve.stderr.components(separatedBy: " joined (").count - 1 == 2, "\(serve.stderr)")
        // A client without keys gets a clear error, not a hang.
        let keyless = try ChildProcess.run(Tools.vstCoord, ["status", "--coordinator", control], timeout: .seconds(20))
        #expect(keyless.status == 2 && keyless.stderr.hasPrefix("error: ") && keyless.stderr.contains("--key"), "\(keyless.stderr)")

        // A detached slow job: pause, resume, cancel, retry, and it still finishes.
        let slow = folder.appendingPathComponent("slow.mkv").path
        let detached = try ChildProcess.run(Tools.vstCoord, ["submit", input, "--method", "sleep:60", "--lossless", "--chunk", "8",
                                                             "--coordinator", control, "--detach", "--priority", "3", "--out", slow] + clientKeys, timeout: .seconds(20))
        #expect(detached.status == 0 && detached.stdout == "2\n", "\(detached.stderr)")
        func run(_ arguments: [String]) throws -> (status: Int32?, stdout: String, stderr: String) {
            try ChildProcess.run(Tools.vstCoord, arguments + ["--coordinator", control] + clientKeys, timeout: .seconds(20))
        }
        let paused = try run(["pause", "2"])
        #expect(paused.status == 0 && paused.stdout.contains("2\tpaused"), "\(paused.stdout)\(paused.stderr)")
        let detail = try run(["status", "2"])
        // PRI (the 8th column) is 3 and the message says paused.
        let jobLine = detail.stdout.split(separator: "\n").first { $0.hasPrefix("2\t") }?.split(separator: "\t", omittingEmptySubsequences: false)
        #expect(jobLine?[7] == "3" && jobLine?.last == "paused" && detail.stdout.contains("\nCHUNK\tSTATE\tFRAMES\tWORKER\tFAILURES\n0\t"), "\(detail.stdout)")
        let again = try run(["pause", "2"])
        #expect(again.status == 1 && again.stderr.hasPrefix("error: job 2 is paused"), "\(again.stderr)")
        #expect(try run(["resume", "2"]).stdout.contains("2\trunning") )
        #expect(try run(["cancel", "2"]).stdout.contains("2\tcancelled"))
        #expect(try run(["retry", "2"]).stdout.contains("2\tqueued"))
        let missing = try run(["status", "99"])
        #expect(missing.status == 1 && missing.stderr == "error: no job 99\n", "\(missing.stderr)")
        let deadline = ContinuousClock.now + .seconds(60)
        var finished = false
        while ContinuousClock.now < deadline && !finished {
            finished = try run(["status", "2"]).stdout.contains("2\tdone\t42/42\t30/30\t")
            if !finished { Thread.sleep(forTimeInterval: 0.2) }
        }
        #expect(finished, "\(serve.stderr)")
        #expect(try FrameComparison.differingFrames(slow, input) == 0)

        // SIGTERM ends workers and coordinator cleanly.
        workers.forEach { $0.terminate() }
        for worker in workers { #expect(worker.wait(timeout: .seconds(10)) == 0) }
        serve.terminate()
        #expect(serve.wait(timeout: .seconds(10)) == 0)

        // A new coordinator on the same data folder knows the jobs that are done.
        let restarted = try ChildProcess(Tools.vstCoord, ["serve", "--bind", workerEndpoint, "--control", control,
                                                      "--data", folder.appendingPathComponent("data").path,
                                                      "--key", server + ".key", "--authorized", authorized])
        defer { restarted.kill() }
        let listed = try run(["status"])
        #expect(listed.stdout.contains("1\tdone\t36/36\t30/30\t") && listed.stdout.contains("2\tdone\t42/42\t30/30\t"), "\(listed.stdout) \(restarted.stderr)")
        restarted.terminate()
        #expect(restarted.wait(timeout: .seconds(10)) == 0)
    }
}
