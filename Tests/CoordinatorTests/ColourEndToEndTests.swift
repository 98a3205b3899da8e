import Foundation
import Testing

/// Colour kept through a job: `vst-coord submit --method copy` of a BT.601 or BT.709, limited or
/// full range film gives a film with the same four colour tags, whose flat colour decodes (by
/// the ffmpeg command line) within 2 levels of the input's, both where the workers encode
/// their own segments (no overlap) and where the coordinator encodes them (overlap).
@Suite(.serialized) struct ColourEndToEndTests {
    struct Case: Sendable, CustomStringConvertible {
        var clip: FlatColourClip
        var overlap: Int
        var description: String { "\(clip.name), " + (overlap == 0 ? "workers encode" : "coordinator encodes") }
    }

    static let cases = [
        Case(clip: .bt601Limited, overlap: 0), Case(clip: .bt601Limited, overlap: 2),
        Case(clip: .bt709Limited, overlap: 0), Case(clip: .bt709Full, overlap: 0), Case(clip: .bt709Full, overlap: 2),
    ]

    @Test(arguments: cases)
    func copyKeepsTheTagsAndTheColour(of job: Case) throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try job.clip.make(in: folder, frames: 8), output = folder.appendingPathComponent("kept.mkv").path
        let result = try ChildProcess.run(Tools.vstCoord, ["submit", input, "--method", "copy", "--chunk", "4", "--overlap", "\(job.overlap)",
                                                           "--preset", "ultrafast", "--local-workers", "2", "--verbose", "--out", output],
                                          timeout: .seconds(120))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("workers encode their own segments") == (job.overlap == 0), "\(result.stderr)")
        #expect(try FlatColourClip.probedTags(output) == FlatColourClip.probedTags(input))

        let before = try FlatColourClip.centralPixels(input, scratch: folder), after = try FlatColourClip.centralPixels(output, scratch: folder)
        #expect(before.count == after.count && !after.isEmpty)
        let fromInput = zip(before, after).map { abs(Int($0) - Int($1)) }.max() ?? .max
        let fromColour = after.enumerated().map { abs(Int($0.element) - Int(FlatColourClip.colour[$0.offset % 3])) }.max() ?? .max
        #expect(fromInput <= 2 && fromColour <= 2, "output is \(fromInput) levels from the input, \(fromColour) from the colour")
    }
}
