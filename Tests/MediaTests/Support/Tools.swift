import Foundation

/// Runs FFmpeg's command-line tools when the machine has them, so tests can compare Media with
/// an independent reader; tests skip those comparisons when the tools are absent.
enum Tools {
    static func find(_ name: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Standard output of `tool arguments`, or nil if the tool is missing, fails, or runs past
    /// `timeout` seconds (then it is terminated).
    static func run(_ tool: String, _ arguments: [String], timeout: Double = 30) -> Data? {
        guard let executable = find(tool) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let timer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        timer.cancel()
        return process.terminationStatus == 0 ? data : nil
    }

    /// ffprobe's pts of every frame of the first video stream, in presentation order.
    static func probeFramePTS(_ path: String) -> [Int64]? {
        guard let data = run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "frame=pts",
                                         "-of", "csv=p=0", path]) else { return nil }
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).compactMap { Int64($0.trimmingCharacters(in: CharacterSet(charactersIn: ", "))) }
    }
}
