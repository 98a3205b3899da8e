import Foundation
import Media

/// A chunk's final frames written as numbered PNG files in the output folder (`--out
/// styled/%04d.png`), each named with the number the input gives that frame: an image
/// sequence's own numbers (its start number kept), a film's frame index from 0 (as `--start`
/// counts). There is nothing to join: the files are the output.
///
/// Each file is written under a hidden name and renamed into place (`FileSync.writeAtomically`),
/// so a reader, or a restarted coordinator, finds every frame either whole or not at all; a
/// chunk not sealed before a crash is simply written again over its frames.
///
/// Depth: with `deepInput` (the input is a 16-bit sequence) frames are written as 16-bit PNG,
/// the 8-bit render widened with the input frame's finer bits
/// (`RGBImage.widened(keepingDetailOf:)`), so `--method copy` gives the input back exactly;
/// otherwise 8-bit PNG.
final class SequenceFrameSink: FrameSink {
    let pattern: ImageSequencePattern
    /// The name number of relative frame i.
    private let number: (Int) -> Int
    /// The input's frame index of relative frame i, for `deepInput`.
    private let inputIndex: (Int) -> Int
    private let deepInput: ImageSequenceReader?
    /// fsync each file and the folder (false only for jobs of tests that do not crash).
    let durable: Bool

    init(pattern: ImageSequencePattern, number: @escaping (Int) -> Int, inputIndex: @escaping (Int) -> Int,
         deepInput: ImageSequenceReader?, durable: Bool) throws(MediaError) {
        guard pattern.fileExtension == "png" else {
            throw MediaError.unsupportedSequenceType(path: pattern.text, accepted: "frames are written as .png")
        }
        self.pattern = pattern
        self.number = number
        self.inputIndex = inputIndex
        self.deepInput = deepInput
        self.durable = durable
    }

    func write(_ image: RGBImage, frame: Int, pts: Int64) throws(MediaError) {
        let bytes: [UInt8]
        if let deepInput {
            guard let original = try deepInput.deepFrame(at: inputIndex(frame)) else {
                throw MediaError.invalidArgument("\(deepInput.path) has no 16-bit frame \(inputIndex(frame))")
            }
            bytes = try ImageIO.encodePNG(image.widened(keepingDetailOf: original))
        } else {
            bytes = try ImageIO.encode(image, as: .png)
        }
        // Each file is synced as it is written; `finish` only needs the folder's entries.
        try FileSync.writeAtomically(bytes, to: pattern.path(number(frame)), durable: durable)
    }

    func finish() throws(MediaError) {
        guard durable else { return }
        // The renames live in the folder: sync it so that they survive a power cut too.
        let descriptor = open(pattern.folder, O_RDONLY)
        guard descriptor >= 0 else { throw MediaError.cannotWrite(path: pattern.folder, reason: "cannot open the folder to sync it") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw MediaError.cannotWrite(path: pattern.folder, reason: "fsync failed") }
    }
}
