import Foundation
import Media

/// `submit`'s checks of what it reads and writes when either is an image sequence
/// (`shot/%04d.png`, see `ImageSequencePattern`); films are checked as files.
extension SubmitOptions {
    /// Checks the input (absolute path): a film must be a readable file and takes no `--fps`;
    /// an image sequence must hold PNG or TIFF frames without a gap (the first missing file is
    /// named) and needs `--fps`, since its files carry no rate. Returns true for a sequence.
    static func checkInput(_ input: String, fps: String?) throws(CoordinatorError) -> Bool {
        let pattern: ImageSequencePattern?
        do { pattern = try ImageSequencePattern.parse(input) } catch { throw .badInput(path: input, reason: "\(error)") }
        guard let pattern else {
            if fps != nil { throw .invalidOption("--fps is for image sequences (shot/%04d.png); a film keeps its own frame rate") }
            try requireReadable(input)
            return false
        }
        guard let fps else {
            throw .invalidOption("an image sequence carries no frame rate: give one with --fps (24, 25, 30000/1001, ...)")
        }
        guard Rational(frameRate: fps) != nil else { throw .invalidOption("--fps \(fps) is not a frame rate (24, 25, 30000/1001, ...)") }
        do { _ = try ImageSequence(scanning: pattern) } catch {
            if case .sequenceGap(let missing, let first, let last) = error {
                throw .badInput(path: missing, reason: "missing from the image sequence, which runs from \(first) to \(last)")
            }
            throw .badInput(path: input, reason: "\(error)")
        }
        return true
    }

    /// Checks the output's name (absolute path): a film container by extension, or an image
    /// sequence of PNG frames.
    static func checkOutputName(_ output: String, typed: String) throws(CoordinatorError) {
        let pattern: ImageSequencePattern?
        do { pattern = try ImageSequencePattern.parse(output) } catch { throw .invalidOption("--out \(error)") }
        if let pattern {
            guard pattern.fileExtension == "png" else {
                throw .invalidOption("--out \(typed): image sequences are written as PNG (styled/%04d.png)")
            }
            return
        }
        guard ["mkv", "mp4", "mov", "webm", "avi"].contains((output as NSString).pathExtension.lowercased()) else {
            throw .invalidOption("--out \(typed): unknown container (use .mkv, .mp4, .mov, .webm or .avi, or a PNG sequence such as styled/%04d.png)")
        }
    }
}
