/// What a film is, measured when `VideoReader` opens it and before any frame is decoded: the
/// planner cuts chunks from `frameCount`, the assembler writes with `timeBase` and `frameRate`.
public struct VideoInfo: Sendable, Equatable {
    /// The video stream's coded picture size, as stored (before `orientation`).
    public var sourceWidth: Int
    public var sourceHeight: Int
    /// How the stored pictures turn upright (the stream's display matrix). `VideoReader`
    /// applies it: its frames, `width` and `height` are upright.
    public var orientation: Orientation
    /// The size of the frames `VideoReader` returns: upright, after `--height` scaling
    /// (`--height` counts the upright picture's lines); always even.
    public var width: Int
    public var height: Int
    /// Frames per second (the stream's average rate, else its base rate).
    public var frameRate: Rational
    /// The video stream's time base: every pts of this film counts in it.
    public var timeBase: Rational
    /// Exact number of frames: video packets counted by demuxing the whole file.
    public var frameCount: Int
    /// The first frame's pts, in `timeBase` (often 0, not always).
    public var startPTS: Int64
    /// From the first frame's start to the last frame's end, in `timeBase` ticks.
    public var duration: Int64
    /// Streams that `VideoWriter` copies packet for packet.
    public var audioStreamCount: Int
    public var subtitleStreamCount: Int
    /// FFmpeg's name of the video codec ("h264", "ffv1", ...).
    public var codecName: String
    /// The video stream's colour tags as declared (any value may be unspecified).
    public var colour: ColourDescription

    /// `duration` in seconds, for display.
    public var durationSeconds: Double { timeBase.seconds(duration) }

    /// `colour` with what it leaves unspecified guessed from the stored size, as a player
    /// would: what `VideoReader` converts untagged frames with, and what an output of this
    /// film is converted and tagged with (`VideoWriter(colour:)`), so its colours stay.
    public var resolvedColour: ColourDescription { colour.resolved(width: sourceWidth, height: sourceHeight) }
}

extension VideoInfo {
    /// The frame size for a source scaled to `height` lines, keeping the aspect ratio (pixels
    /// assumed square). Both sides come out even, as 4:2:0 encoders need: the height is rounded
    /// down to even and the width to the nearest even number. With `height` nil the source size
    /// is kept, less one line or column where a side is odd.
    public static func scaledSize(sourceWidth: Int, sourceHeight: Int, height: Int?) -> (width: Int, height: Int) {
        guard let height else { return (max(2, sourceWidth & ~1), max(2, sourceHeight & ~1)) }
        let evenHeight = max(2, height & ~1)
        let exactWidth = Double(sourceWidth) * Double(evenHeight) / Double(sourceHeight)
        let evenWidth = max(2, Int((exactWidth / 2).rounded()) * 2)
        return (evenWidth, evenHeight)
    }
}
