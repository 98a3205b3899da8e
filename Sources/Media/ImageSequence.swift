import Foundation

/// The frames of an image sequence on disk: every file of a pattern's folder that the pattern
/// names, which must run without a gap from the lowest number to the highest.
///
/// The frame set is decided by listing the folder once (no file is decoded): from the first
/// existing number to the last, so a shot that starts at 1001 keeps its numbers. A missing
/// file in between fails here, naming the first one missing, before any work is planned; a
/// shot delivered with a hole is a delivery problem, not something to render around.
public struct ImageSequence: Sendable, Equatable {
    public let pattern: ImageSequencePattern
    /// The number of the first frame (frame index 0).
    public let firstNumber: Int
    /// Frames from `firstNumber` on, without a gap.
    public let count: Int

    /// File types a sequence is read from (lower case). EXR is not among them: its frames are
    /// linear-light floating point, which would need a colour transform vst does not have.
    public static let inputExtensions = ["png", "tif", "tiff"]

    /// Lists `pattern`'s folder. Throws `.unsupportedSequenceType` for frames other than PNG or
    /// TIFF, `.cannotOpen` for a missing folder, `.emptySequence` when no file matches, and
    /// `.sequenceGap` naming the first missing file.
    public init(scanning pattern: ImageSequencePattern) throws(MediaError) {
        guard Self.inputExtensions.contains(pattern.fileExtension) else {
            throw .unsupportedSequenceType(path: pattern.text, accepted: "frames are read from .png, .tif or .tiff; EXR is not supported")
        }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: pattern.folder) } catch {
            throw .cannotOpen(path: pattern.folder, reason: "cannot list the image sequence's folder")
        }
        let numbers = names.compactMap(pattern.number(ofFileName:)).sorted()
        guard let first = numbers.first, let last = numbers.last else { throw .emptySequence(pattern: pattern.text) }
        if numbers.count != last - first + 1 {
            var expected = first
            for number in numbers {
                if number != expected { break }
                expected += 1
            }
            throw .sequenceGap(path: pattern.path(expected), first: pattern.fileName(first), last: pattern.fileName(last))
        }
        self.pattern = pattern
        firstNumber = first
        count = numbers.count
    }

    /// The path of frame `index` (0 is the first file).
    public func path(ofFrame index: Int) -> String { pattern.path(firstNumber + index) }
}
