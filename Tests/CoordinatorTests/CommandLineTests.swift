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
    ])
    func vstUsageErrorsExit2OnOneLine(_ arguments: [String]) throws {
        let result = try ChildProcess.run(Tools.vst, arguments, timeout: .seconds(60))
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

    @Test func workerWithoutEndpointIsAUsageError() throws {
        let result = try ChildProcess.run(Tools.vstWorker, [], timeout: .seconds(60))
        #expect(result.status == 2 && result.stderr.hasPrefix("error: "), "\(result.stderr)")
    }
}
