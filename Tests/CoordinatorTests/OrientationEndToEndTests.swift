import Foundation
import Testing
import Media

/// A phone clip (stored lying down, tagged with a display matrix) comes back from `vst-coord
/// submit` upright at the displayed size and without a rotation tag, both when the coordinator
/// decodes and encodes (with overlap) and when workers decode clips of the film's packets and
/// encode their own segments (`--overlap 0`).
@Suite(.serialized) struct OrientationEndToEndTests {
    /// A 160x96 clip with sound, its stream tagged the way a phone tags portrait video: the
    /// matrix FFmpeg 5.1 writes for `rotate=270` turns the picture a quarter clockwise.
    static func phoneClip(in folder: URL) throws -> String {
        let stored = try Tools.syntheticClip(in: folder, frames: 12)
        let path = folder.appendingPathComponent("phone.mp4").path
        _ = try Tools.ffmpeg(["-v", "error", "-i", stored, "-c", "copy", "-metadata:s:v:0", "rotate=270", path])
        return path
    }

    static func check(overlap: [String], workersEncode: Bool) throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Self.phoneClip(in: folder), output = folder.appendingPathComponent("upright.mkv").path
        #expect(try VideoReader(path: input).info.orientation == Orientation(rotation: 90, mirrored: false))
        let result = try ChildProcess.run(Tools.vstCoord, ["submit", input, "--method", "copy", "--lossless", "--chunk", "5"] + overlap
                                          + ["--local-workers", "2", "--verbose", "--out", output], timeout: .seconds(180))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("workers encode their own segments") == workersEncode, "\(result.stderr)")
        let size = try Tools.ffprobe(["-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", output])
        #expect(size.trimmingCharacters(in: .whitespacesAndNewlines) == "96,160")
        let streams = try Tools.ffprobe(["-show_streams", output])
        #expect(!streams.contains("Display Matrix") && !streams.contains("rotation"), "\(streams)")
        // Every frame is the input's upright frame, exactly (lossless), as Media reads it...
        #expect(try FrameComparison.differingFrames(output, input) == 0)
        // ...and close to what the ffmpeg command line shows (it turns the input upright itself).
        #expect(try Tools.psnr(output, input) >= 35)
        // Timestamps and sound are other tests' business: this clip's AAC starts 21 ms before
        // its video, which shifts the Matroska output whether or not the clip is turned.
        #expect(try Tools.videoTimes(output).count == 12)
    }

    @Test func aPhoneClipComesOutUprightWithTheDefaultOverlap() throws {
        try Self.check(overlap: [], workersEncode: false)
    }

    @Test func aPhoneClipComesOutUprightWhenWorkersEncode() throws {
        try Self.check(overlap: ["--overlap", "0"], workersEncode: true)
    }
}
