import ArgumentParser
import Foundation

/// The exit contract every vst executable keeps: a failure is one `error:` line on standard
/// error and a non-zero status; help and version print and exit 0.
///
/// ArgumentParser's own `main()` prints a usage block after an error and exits 64 for usage
/// errors; scripts and the tests read one line and status 2. Kept in one place so the three
/// executables cannot drift apart (they did: only `vst` had learnt the wrapped-ExitCode case).
extension ParsableCommand {
    /// Parses the process's arguments, runs the command and exits. `describe` turns a library's
    /// own error into its line and status (`nil`: handle it as any other error).
    /// - A thrown `ExitCode` exits with it; the command printed its own line already.
    /// - Help and version requests print their text to standard output and exit 0.
    /// - Anything else prints the first line of ArgumentParser's message as `error: ...` and
    ///   exits 2 (bad input or usage).
    public static func mainWithOneLineErrors(describe: (Error) -> (message: String, status: Int32)? = { _ in nil }) -> Never {
        do {
            var command = try parseAsRoot()
            try command.run()
            Foundation.exit(0)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            if let (message, status) = describe(error) { failWithOneLine(message, status: status) }
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let text = message(for: error)
            // A validate() that printed its own line and threw an ExitCode arrives here wrapped,
            // with no message of its own: its line is out already.
            if text.allSatisfy(\.isWhitespace) { Foundation.exit(exitCode(for: error).rawValue) }
            failWithOneLine(text, status: 2)
        }
    }

    /// Writes the first line of `text` as `error: ...` (without ArgumentParser's own "Error: "
    /// prefix) and exits with `status`.
    public static func failWithOneLine(_ text: String, status: Int32) -> Never {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        let trimmed = line.hasPrefix("Error: ") ? String(line.dropFirst(7)) : line
        FileHandle.standardError.write(Data("error: \(trimmed)\n".utf8))
        Foundation.exit(status)
    }
}
