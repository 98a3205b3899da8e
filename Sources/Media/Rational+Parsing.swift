import CFFmpeg

extension Rational {
    /// A frame rate as people type it, read by FFmpeg's `av_parse_video_rate` so that it means
    /// what `ffmpeg -framerate` makes of it: `24`, `30000/1001`, `23.976` (read as exactly that, 2997/125: NTSC's
    /// film rate is `24000/1001`),
    /// or a name such as `ntsc` or `film`. Nil for anything else, or a rate that is not positive.
    public init?(frameRate text: String) {
        var rate = AVRational()
        guard !text.isEmpty, av_parse_video_rate(&rate, text) >= 0, rate.num > 0, rate.den > 0 else { return nil }
        self.init(rate)
    }
}
