/// Decodes an image sequence's files (`ImageSequence`) into RGB frames, in order or at random.
///
/// Opening checks what is cheap to check up front: the first and last files decode and have
/// the same size. Every other file is checked as it is decoded: one of another size, or one
/// that does not decode, fails naming it. Frames are scaled to `--height` as films are (even
/// sides, `VideoInfo.scaledSize`).
///
/// Depth: when the first file has more than 8 bits a channel (16-bit PNG or TIFF), `isDeep`
/// is true and `deepFrame(at:)` gives it at 16 bits; `nextFrame()` always gives 8 bits, the
/// deep frame `narrowed()`, which is what the farm renders. Timestamps: frame i is at pts i in
/// a time base of one frame (`1 / frameRate`).
public final class ImageSequenceReader: FrameReader {
    public let sequence: ImageSequence
    public let info: VideoInfo
    public let isDeep: Bool
    public private(set) var nextIndex: Int
    public var path: String { sequence.pattern.text }
    public var framePTS: [Int64] { [] }
    public var firstNumber: Int { sequence.firstNumber }

    public init(sequence: ImageSequence, height: Int? = nil, startFrame: Int = 0, frameRate: Rational) throws(MediaError) {
        if let height, height < 2 { throw MediaError.invalidArgument("height \(height) is below 2") }
        guard startFrame >= 0 else { throw MediaError.invalidArgument("start frame \(startFrame) is negative") }
        guard frameRate.numerator > 0, frameRate.denominator > 0 else { throw MediaError.invalidArgument("frame rate \(frameRate) is not positive") }
        self.sequence = sequence
        let first = try ImageIO.decodePicture(path: sequence.path(ofFrame: 0))
        if sequence.count > 1 {
            let lastPath = sequence.path(ofFrame: sequence.count - 1)
            let last = try ImageIO.decodePicture(path: lastPath)
            guard last.width == first.width, last.height == first.height else {
                throw MediaError.invalidMedia(path: lastPath, reason: "\(last.width)x\(last.height), the sequence's first frame is \(first.width)x\(first.height)")
            }
        }
        isDeep = first.bitsPerChannel > 8
        let size = VideoInfo.scaledSize(sourceWidth: first.width, sourceHeight: first.height, height: height)
        info = VideoInfo(sourceWidth: first.width, sourceHeight: first.height, orientation: .upright,
                         width: size.width, height: size.height, frameRate: frameRate, timeBase: frameRate.inverse,
                         frameCount: sequence.count, startPTS: 0, duration: Int64(sequence.count),
                         audioStreamCount: 0, subtitleStreamCount: 0, codecName: first.codecName,
                         // PNG and TIFF frames are RGB with sRGB's BT.709 primaries: a film made
                         // from them is BT.709 whatever its size (the size guess would call a
                         // small shot BT.601 and tag other primaries than the frames have).
                         colour: .bt709)
        nextIndex = min(startFrame, sequence.count)
    }

    public func nextFrame() throws(MediaError) -> VideoFrame? {
        guard nextIndex < sequence.count else { return nil }
        let index = nextIndex
        let picture = try picture(at: index)
        let image = isDeep ? try ImageIO.rgb48(picture, width: info.width, height: info.height).narrowed()
            : try ImageIO.rgb(picture, width: info.width, height: info.height)
        nextIndex += 1
        return VideoFrame(image: image, pts: Int64(index), index: index)
    }

    /// Frame `index` at 16 bits a channel, the job's size; nil for an 8-bit sequence.
    public func deepFrame(at index: Int) throws(MediaError) -> RGB48Image? {
        guard isDeep else { return nil }
        return try ImageIO.rgb48(picture(at: index), width: info.width, height: info.height)
    }

    public func skip(frames: Int) throws(MediaError) {
        nextIndex = min(sequence.count, nextIndex + max(0, frames))
    }

    public func seek(toFrame index: Int) throws(MediaError) {
        guard index >= 0 else { throw MediaError.invalidArgument("frame \(index) is negative") }
        nextIndex = min(index, sequence.count)
    }

    /// Decodes file `index`, checking that it has the sequence's size.
    private func picture(at index: Int) throws(MediaError) -> ImageIO.DecodedPicture {
        let path = sequence.path(ofFrame: index)
        let picture = try ImageIO.decodePicture(path: path)
        guard picture.width == info.sourceWidth, picture.height == info.sourceHeight else {
            throw MediaError.invalidMedia(path: path, reason: "\(picture.width)x\(picture.height), the sequence's first frame is \(info.sourceWidth)x\(info.sourceHeight)")
        }
        return picture
    }
}
