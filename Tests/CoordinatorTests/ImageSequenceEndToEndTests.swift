import Foundation
import Testing
import Media

/// Image sequences through `vst-coord submit` and the farm (embedded coordinator, local
/// workers, chunks with overlap): numbered frames in, numbered frames or a film out, frame
/// numbers and 16 bits kept.
@Suite(.serialized) struct ImageSequenceEndToEndTests {
    /// The first `count` 16-bit frames of a test pattern with every bit in use, numbered from
    /// `start` (FFmpeg's geq at 16 bits writes them, not vst).
    static func deepSequence(in folder: URL, count: Int, start: Int) throws -> String {
        let pattern = folder.appendingPathComponent("shot/%04d.png").path
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("shot"), withIntermediateDirectories: true)
        _ = try Tools.ffmpeg(["-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=24", "-frames:v", "\(count)",
                              "-vf", "format=gbrp16le,geq=r='mod(X*997+Y*131+N*7001,65536)':g='mod(X*31+Y*7919,65536)':b='mod(X*Y*13+N*3001,65536)'",
                              "-pix_fmt", "rgb48be", "-start_number", "\(start)", pattern])
        return pattern
    }

    /// A picture as FFmpeg reads it, 16 bits a channel, little-endian bytes.
    static func rgb48(_ path: String) throws -> Data {
        let raw = FileManager.default.temporaryDirectory.appendingPathComponent("vst-rgb48-\(UUID().uuidString).raw")
        defer { try? FileManager.default.removeItem(at: raw) }
        _ = try Tools.ffmpeg(["-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb48le", raw.path])
        return try Data(contentsOf: raw)
    }

    static func submit(_ arguments: [String]) throws -> (status: Int32?, stdout: String, stderr: String) {
        try ChildProcess.run(Tools.vstCoord, ["submit"] + arguments + ["--local-workers", "2"], timeout: .seconds(180))
    }

    @Test func aSixteenBitSequenceRoundTripsBitExactlyThroughCopy() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Self.deepSequence(in: folder, count: 5, start: 1001)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("styled"), withIntermediateDirectories: true)
        let output = folder.appendingPathComponent("styled/%04d.png").path
        let result = try Self.submit([input, "--fps", "24", "--method", "copy", "--lossless", "--chunk", "2", "--out", output])
        #expect(result.status == 0, "\(result.stderr)")
        let written = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("styled").path).sorted()
        #expect(written == ["1001.png", "1002.png", "1003.png", "1004.png", "1005.png"])
        for number in 1001...1005 {
            let name = String(number) + ".png"
            let format = try Tools.ffprobe(["-show_entries", "stream=pix_fmt", "-of", "csv=p=0", folder.appendingPathComponent("styled/" + name).path])
            #expect(format.trimmingCharacters(in: .whitespacesAndNewlines) == "rgb48be")
            #expect(try Self.rgb48(folder.appendingPathComponent("styled/" + name).path) == Self.rgb48(folder.appendingPathComponent("shot/" + name).path),
                    "frame \(name) differs")
        }
    }

    @Test func aTIFFSequenceBecomesAFilmOfAsManyFrames() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("f_%d.tif").path
        _ = try Tools.ffmpeg(["-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=24", "-frames:v", "6", "-pix_fmt", "rgb24",
                              "-start_number", "8", input])
        let output = folder.appendingPathComponent("out.mkv").path
        let result = try Self.submit([input, "--fps", "25", "--method", "copy", "--lossless", "--chunk", "4", "--out", output])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Tools.videoTimes(output).count == 6)
        #expect(try Tools.ffprobe(["-select_streams", "v:0", "-show_entries", "stream=r_frame_rate", "-of", "csv=p=0", output])
            .trimmingCharacters(in: .whitespacesAndNewlines) == "25/1")
        // Frame by frame, the film is the sequence (lossless, read back through FFmpeg's image2).
        let films = try Tools.ffmpeg(["-v", "error", "-i", output, "-f", "framemd5", "-pix_fmt", "rgb24", "-"])
        let frames = try Tools.ffmpeg(["-v", "error", "-framerate", "25", "-start_number", "8", "-i", input, "-f", "framemd5", "-pix_fmt", "rgb24", "-"])
        let sums = { (text: String) in text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: ",").last! } }
        #expect(sums(films) == sums(frames))
    }

    @Test func aFilmBecomesPNGFramesNumberedAsTheFilmCountsThem() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let film = try Tools.syntheticClip(in: folder, frames: 8, width: 64, height: 48)
        let output = folder.appendingPathComponent("frame.%03d.png").path
        let result = try Self.submit([film, "--method", "copy", "--start", "2", "--frames", "5", "--chunk", "2", "--out", output])
        #expect(result.status == 0, "\(result.stderr)")
        let written = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("frame.") }.sorted()
        #expect(written == ["frame.002.png", "frame.003.png", "frame.004.png", "frame.005.png", "frame.006.png"])
        let reader = try VideoReader(path: film, startFrame: 2)
        for name in written {
            let expected = try #require(try reader.nextFrame()).image
            #expect(try ImageIO.load(path: folder.appendingPathComponent(name).path) == expected, "\(name)")
        }
    }

    /// A submit killed mid-job and run again takes its sequence job up where the store says it
    /// stopped: every numbered frame ends up written, equal to the input, the frames the first run
    /// had written are still there, and the job folder is gone.
    @Test func aKilledSequenceSubmitRunAgainResumesAndWritesEveryFrame() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let shot = folder.appendingPathComponent("shot")
        try FileManager.default.createDirectory(at: shot, withIntermediateDirectories: true)
        _ = try Tools.ffmpeg(["-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=24", "-frames:v", "40",
                              "-pix_fmt", "rgb24", "-start_number", "101", shot.appendingPathComponent("%04d.png").path])
        let styled = folder.appendingPathComponent("styled")
        try FileManager.default.createDirectory(at: styled, withIntermediateDirectories: true)
        let arguments = ["submit", shot.appendingPathComponent("%04d.png").path, "--fps", "24", "--method", "sleep:100",
                         "--chunk", "10", "--overlap", "2", "--local-workers", "2",
                         "--out", styled.appendingPathComponent("%04d.png").path]
        let written = { (try? FileManager.default.contentsOfDirectory(atPath: styled.path))?.filter { !$0.hasPrefix(".") }.sorted() ?? [] }
        let first = try ChildProcess(Tools.vstCoord, arguments)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline && written().count < 12 { Thread.sleep(forTimeInterval: 0.02) }
        kill(first.pid, SIGKILL)
        first.wait(timeout: .seconds(10))
        let before = written()
        #expect(before.count >= 12 && before.count < 40, "\(before.count) frames written before the kill")

        let second = try ChildProcess.run(Tools.vstCoord, arguments, timeout: .seconds(90))
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("resuming job 1 of an interrupted run"), "\(second.stderr)")
        let after = written()
        #expect(after == (101...140).map { String(format: "%04d.png", $0) })
        #expect(Set(before).isSubset(of: Set(after)))
        for name in after {
            #expect(try ImageIO.load(path: styled.appendingPathComponent(name).path) == ImageIO.load(path: shot.appendingPathComponent(name).path),
                    "\(name) differs from the input")
        }
        #expect(!FileManager.default.fileExists(atPath: styled.appendingPathComponent(".%04d.png.vst").path))
    }

    @Test func aSequenceWithAGapIsRefusedNamingTheMissingFile() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Self.deepSequence(in: folder, count: 4, start: 1)
        try FileManager.default.removeItem(atPath: folder.appendingPathComponent("shot/0003.png").path)
        let result = try Self.submit([input, "--fps", "24", "--method", "copy", "--out", folder.appendingPathComponent("out.mkv").path])
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error:") && lines[0].contains(folder.appendingPathComponent("shot/0003.png").path), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out.mkv").path))
    }
}
