/// A span of a film's timeline, `[start, end)` in ticks of `timeBase`, used to copy only the
/// sound and subtitles of the slice of a film that is rendered (`--start` / `--frames`).
public struct TimeWindow: Sendable, Equatable {
    public var start: Int64
    /// Exclusive end; nil runs to the end of the film.
    public var end: Int64?
    public var timeBase: Rational

    public init(start: Int64, end: Int64?, timeBase: Rational) {
        self.start = start
        self.end = end
        self.timeBase = timeBase
    }
}
