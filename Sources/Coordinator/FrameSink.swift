import Media

/// Where a chunk's final frames go, in order, as `JobRunner`'s assembly writes them: the
/// chunk's film segment (`FilmSegmentSink`), or numbered pictures in the output folder
/// (`SequenceFrameSink`). A sink is sealed by `finish()`: after it returns, every frame written
/// is on disk (fsynced, for a durable job) and the job records the chunk sealed, so a
/// restarted coordinator never writes those frames again.
protocol FrameSink: AnyObject {
    /// Writes relative frame `frame` of the job, shown at `pts` (in the input's time base).
    func write(_ image: RGBImage, frame: Int, pts: Int64) throws(MediaError)
    /// Completes the chunk's frames and puts them on disk.
    func finish() throws(MediaError)
}
