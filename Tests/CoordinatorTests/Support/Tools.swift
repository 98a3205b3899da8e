import Foundation

/// Where the built executables are, and the ffmpeg CLI checks the end-to-end tests make.
enum Tools {
    /// The build products folder: the test bundle runs from it, next to vst-coord and vst-worker
    /// (`swift test` builds every executable product first).
    static var productsFolder: URL {
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        if FileManager.default.fileExists(atPath: me.appendingPathComponent("vst-coord").path) { return me }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".build/debug")
    }

    static var vstCoord: String { productsFolder.appendingPathComponent("vst-coord").path }
    static var vstWorker: String { productsFolder.appendingPathComponent("vst-worker").path }
    static var vst: String { productsFolder.appendingPathComponent("vst").path }

    /// Waits (at most `timeout`) until `folder` holds more than `count` files ending in
    /// `suffix`: how the kill tests know a job has stored renders or segments.
    static func waitForFiles(in folder: URL, suffix: String, moreThan count: Int, timeout: Duration = .seconds(60)) {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let stored = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.filter { $0.hasSuffix(suffix) } ?? []
            if stored.count > count { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vst-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func ffmpeg(_ arguments: [String]) throws -> String {
        let result = try ChildProcess.run("/usr/bin/ffmpeg", ["-hide_banner", "-nostdin"] + arguments, timeout: .seconds(120))
        guard result.status == 0 else { throw ToolError.failed("ffmpeg \(arguments.joined(separator: " ")): \(result.stderr.suffix(400))") }
        return result.stdout + result.stderr
    }

    static func ffprobe(_ arguments: [String]) throws -> String {
        let result = try ChildProcess.run("/usr/bin/ffprobe", ["-v", "error"] + arguments, timeout: .seconds(60))
        guard result.status == 0 else { throw ToolError.failed("ffprobe: \(result.stderr.suffix(400))") }
        return result.stdout
    }

    /// Presentation times in seconds of every video packet, sorted (= the frames' timestamps).
    static func videoTimes(_ path: String) throws -> [Double] {
        try ffprobe(["-select_streams", "v:0", "-show_entries", "packet=pts_time", "-of", "csv=p=0", path])
            .split(whereSeparator: \.isNewline).compactMap { Double($0.trimmingCharacters(in: CharacterSet(charactersIn: ", "))) }.sorted()
    }

    /// Size and MD5 of every packet of the first audio stream, in order.
    static func audioPackets(_ path: String) throws -> [String] {
        try ffmpeg(["-v", "error", "-i", path, "-map", "0:a:0", "-c", "copy", "-f", "framemd5", "-"])
            .split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("#") }
            .map { line in line.split(separator: ",").suffix(2).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ") }
    }

    /// Average PSNR (dB) of `a` against `b` over all frames, from ffmpeg's psnr filter.
    static func psnr(_ a: String, _ b: String) throws -> Double {
        let text = try ffmpeg(["-i", a, "-i", b, "-lavfi", "[0:v][1:v]psnr", "-f", "null", "-"])
        guard let range = text.range(of: "average:") else { throw ToolError.failed("no PSNR in ffmpeg's output") }
        let value = text[range.upperBound...].prefix { !$0.isWhitespace }
        return value == "inf" ? .infinity : Double(value) ?? 0
    }

    /// A small clip with sound: ffmpeg's test pattern and a 440 Hz tone, H.264 + AAC in MP4.
    static func syntheticClip(in folder: URL, frames: Int, width: Int = 160, height: Int = 96) throws -> String {
        let path = folder.appendingPathComponent("clip.mp4").path
        _ = try ffmpeg(["-v", "error", "-f", "lavfi", "-i", "testsrc=size=\(width)x\(height):rate=25",
                        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                        "-frames:v", "\(frames)", "-t", "\(Double(frames) / 25)", "-c:v", "libx264", "-pix_fmt", "yuv420p",
                        "-c:a", "aac", "-shortest", path])
        return path
    }

    enum ToolError: Error, CustomStringConvertible {
        case failed(String)
        var description: String { switch self { case .failed(let what): what } }
    }
}
