/// Frames in order from an input, film or image sequence: what the coordinator cuts chunks
/// from and the dashboard previews. `VideoReader` reads films, `ImageSequenceReader` numbered
/// picture files; `FrameReaders.open` picks one by the path.
///
/// Indices count from the input's first frame (0); `firstNumber` is what that frame is called
/// outside (a sequence's first file number, 0 for a film), so outputs can keep the numbers.
public protocol FrameReader: AnyObject {
    var path: String { get }
    var info: VideoInfo { get }
    /// Container timestamps of every frame, or empty when there are none (then frame i is shown
    /// at `info.startPTS + i` frame durations).
    var framePTS: [Int64] { get }
    /// Index of the frame the next `nextFrame()` returns.
    var nextIndex: Int { get }
    /// The number the input gives its frame 0.
    var firstNumber: Int { get }
    /// The next frame, or nil after the last one.
    func nextFrame() throws(MediaError) -> VideoFrame?
    /// Moves forward past `frames` frames.
    func skip(frames: Int) throws(MediaError)
    /// Positions at frame `index`, forwards or backwards.
    func seek(toFrame index: Int) throws(MediaError)
}

extension VideoReader: FrameReader {
    /// A film's frames are numbered from 0, as `--start` counts them.
    public var firstNumber: Int { 0 }
}

/// Opens an input as the `FrameReader` its path calls for.
public enum FrameReaders {
    /// Opens `path` as an image sequence when its file name holds a frame number (`%04d`,
    /// see `ImageSequencePattern`), else as a film.
    /// - Parameters:
    ///   - height, startFrame: as for `VideoReader`.
    ///   - sequenceRate: a sequence's frame rate (its files carry none); required for one.
    /// - Throws: as `VideoReader` or `ImageSequenceReader` do; `.invalidArgument` for a sequence
    ///   without a rate.
    public static func open(path: String, height: Int? = nil, startFrame: Int = 0,
                            sequenceRate: Rational?) throws(MediaError) -> any FrameReader {
        guard let pattern = try ImageSequencePattern.parse(path) else {
            return try VideoReader(path: path, height: height, startFrame: startFrame)
        }
        guard let sequenceRate else { throw MediaError.invalidArgument("\(path): an image sequence needs a frame rate (--fps)") }
        return try ImageSequenceReader(sequence: ImageSequence(scanning: pattern), height: height, startFrame: startFrame,
                                       frameRate: sequenceRate)
    }
}
