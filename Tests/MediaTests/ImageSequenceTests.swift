import Foundation
import Testing
@testable import Media

@Suite struct ImageSequenceTests {
    /// Writes 8-bit PNG frames numbered `numbers` into a fresh folder; returns the pattern.
    static func frames(_ numbers: [Int], width: Int = 16, height: Int = 12, name: String = "%04d.png") throws -> (ImageSequencePattern, URL) {
        let folder = TestMedia.temporaryDirectory()
        let pattern = try #require(try ImageSequencePattern.parse(folder.appendingPathComponent(name).path))
        var rng = SplitMix64(seed: 3)
        for number in numbers { try ImageIO.save(RGBImage.random(width: width, height: height, using: &rng), to: pattern.path(number)) }
        return (pattern, folder)
    }

    @Test func theFramesRunFromTheLowestNumberToTheHighest() throws {
        let (pattern, folder) = try Self.frames([1001, 1002, 1003])
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = FileManager.default.createFile(atPath: folder.appendingPathComponent("notes.txt").path, contents: Data())
        let sequence = try ImageSequence(scanning: pattern)
        #expect(sequence.firstNumber == 1001 && sequence.count == 3)
        #expect(sequence.path(ofFrame: 2) == folder.appendingPathComponent("1003.png").path)
    }

    @Test func aGapIsRefusedNamingTheFirstMissingFile() throws {
        let (pattern, folder) = try Self.frames([3, 4, 6, 8])
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("0005.png").path
        #expect(throws: MediaError.sequenceGap(path: missing, first: "0003.png", last: "0008.png")) { try ImageSequence(scanning: pattern) }
        #expect(MediaError.sequenceGap(path: missing, first: "0003.png", last: "0008.png").description.hasPrefix(missing + ": missing"))
    }

    @Test func anEmptyPatternAndOtherTypesAreRefused() throws {
        let (pattern, folder) = try Self.frames([1])
        defer { try? FileManager.default.removeItem(at: folder) }
        let other = try #require(try ImageSequencePattern.parse(folder.appendingPathComponent("x%02d.png").path))
        #expect(throws: MediaError.emptySequence(pattern: other.text)) { try ImageSequence(scanning: other) }
        let exr = try #require(try ImageSequencePattern.parse(folder.appendingPathComponent("%04d.exr").path))
        #expect(throws: MediaError.self) { try ImageSequence(scanning: exr) }
        #expect(try ImageSequence(scanning: pattern).count == 1)
    }
}
