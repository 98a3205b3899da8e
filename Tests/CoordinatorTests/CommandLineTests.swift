import Foundation
import Testing

/// The exit-code contract of every executable: usage errors exit 2 with one `error:` line,
/// including the ones ArgumentParser finds before a subcommand runs (its own default is 64).
@Suite struct CommandLineTests {
    @Test(arguments: [
        ["stylize"],                                   // missing arguments
        ["stylize", "a.png", "--bogus"],               // unknown option
        ["flow", "/nonexistent-a.png", "/nonexistent-b.png", "--out", "/tmp/never.flo"],
        ["no-such-tool"],
        // found by a subcommand's validate(), which prints its own line
        ["train", "--style", "s.jpg", "--images", "d", "--out", "m.reconet", "--steps", "0"],
        ["train", "--style", "s.jpg", "--images", "d", "--out", "m.reconet", "--resume", "--from", "m.reconet"],
        ["train", "--style", "s.jpg", "--images", "d", "--out", "m.reconet", "--from", "m.reconet", "--weights-from", "w.reconet"],
        ["train", "--style", "s.jpg", "--images", "d", "--out", "m.reconet", "--weights-from", "w.reconet", "--widths", "8,16,32"],
    ])
    func vstUsageErrorsExit2OnOneLine(_ arguments: [String]) throws {
        let result = try ChildProcess.run(Tools.vst, arguments, timeout: .seconds(60))
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.hasPrefix("error: "), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }

    /// The coordinator and the worker keep the same contract through the same code
    /// (ToolSupport's mainWithOneLineErrors).
    @Test(arguments: [
        ["submit"],                                              // missing arguments
        ["submit", "a.mkv", "--out", "b.mkv", "--bogus"],        // unknown option
        ["no-such-command"],
        ["cancel", "not-a-job-id"],                               // a value of the wrong type
    ])
    func coordinatorUsageErrorsExit2OnOneLine(_ arguments: [String]) throws {
        let result = try ChildProcess.run(Tools.vstCoord, arguments, timeout: .seconds(60))
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.hasPrefix("error: ") && !result.stderr.hasPrefix("error: Error: "), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }

    @Test(arguments: [
        ["--connect", "tcp://127.0.0.1:1", "--insecure", "--bogus"],
        ["--connect", "tcp://127.0.0.1:1", "--insecure", "--threads", "0"],
        ["--connect", "not-an-endpoint", "--insecure"],
    ])
    func workerUsageErrorsExit2OnOneLine(_ arguments: [String]) throws {
        let result = try ChildProcess.run(Tools.vstWorker, arguments, timeout: .seconds(60))
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.hasPrefix("error: "), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }

    @Test func helpExitsZero() throws {
        for tool in [Tools.vst, Tools.vstCoord, Tools.vstWorker] {
            let result = try ChildProcess.run(tool, ["--help"], timeout: .seconds(60))
            #expect(result.status == 0 && result.stdout.contains("USAGE"), "\(tool): \(result.stderr)")
        }
    }

    @Test func heartbeatsOutOfRangeOrLongerThanTheLeaseAreUsageErrors() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (arguments, message) in [(["--heartbeat", "0"], "--heartbeat must be between"),
                                     (["--heartbeat", "6", "--lease", "10"], "must be at least 2 heartbeats")] {
            let result = try ChildProcess.run(Tools.vstCoord, ["serve", "--bind", "tcp://127.0.0.1:\(FreePort.pick())", "--control",
                                                               "tcp://127.0.0.1:\(FreePort.pick())", "--data", folder.path, "--insecure"] + arguments,
                                              timeout: .seconds(20))
            #expect(result.status == 2 && result.stderr.hasPrefix("error: ") && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        let worker = try ChildProcess.run(Tools.vstWorker, ["--connect", "tcp://127.0.0.1:1", "--insecure", "--heartbeat", "0.01"], timeout: .seconds(20))
        #expect(worker.status == 2 && worker.stderr.contains("--heartbeat must be between"), "\(worker.stderr)")
    }

    @Test func workerWithoutEndpointIsAUsageError() throws {
        let result = try ChildProcess.run(Tools.vstWorker, [], timeout: .seconds(60))
        #expect(result.status == 2 && result.stderr.hasPrefix("error: "), "\(result.stderr)")
    }
}
