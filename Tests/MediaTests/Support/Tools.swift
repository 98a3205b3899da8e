import Foundation

/// Runs FFmpeg's command-line tools, so tests can compare Media with an independent reader and
/// make films Media does not write. A test that needs a tool is disabled when the tool is not
/// installed (`hasFFmpeg`, `hasFFprobe`); once it runs, a tool that fails fails the test.
enum Tools {
    static func find(_ name: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static var hasFFmpeg: Bool { find("ffmpeg") != nil }
    static var hasFFprobe: Bool { find("ffprobe") != nil }

    /// Why a tool gave no output: one line, with the end of what it wrote to standard error.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Standard output of `tool arguments`; throws when the tool is missing, fails, or runs past
    /// `timeout` seconds (then it is terminated).
    static func run(_ tool: String, _ arguments: [String], timeout: Double = 30) throws -> Data {
        guard let executable = find(tool) else { throw Failure(description: "\(tool) is not installed") }
        // Standard error goes to a file: a second pipe could fill up while we read the first.
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("vst-tool-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        let timer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        timer.cancel()
        guard process.terminationStatus == 0 else {
            let said = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            let tail = said.split(whereSeparator: \.isNewline).suffix(3).joined(separator: " / ")
            throw Failure(description: "\(tool) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus): \(tail)")
        }
        return data
    }

    /// ffprobe's pts of every frame of the first video stream, in presentation order.
    static func probeFramePTS(_ path: String) throws -> [Int64] {
        let data = try run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "frame=pts",
                                       "-of", "csv=p=0", path])
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).compactMap { Int64($0.trimmingCharacters(in: CharacterSet(charactersIn: ", "))) }
    }
}
