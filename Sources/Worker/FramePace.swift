/// How long a chunk's frames take, measured by the worker itself, so that a stopping worker
/// can tell whether the frame it is rendering will be done before its `--stop-grace` runs out.
///
/// The next frame is expected to take what the last one took: a warm-started frame costs about
/// what its neighbour did. The chunk's first frame has no estimate (it is often the dearest, a
/// cold start), so `expectedEnd` is nil until one frame has ended. A frame's time runs from the
/// end of the one before (or the start of the render) to its own end, waits for ACKs included:
/// that is what a stopping worker would wait too.
struct FramePace: Sendable, Equatable {
    /// When the frame being rendered began.
    private(set) var currentStarted: ContinuousClock.Instant
    /// How long the last finished frame took; nil before the first has ended.
    private(set) var lastFrame: Duration?

    init(started: ContinuousClock.Instant) {
        currentStarted = started
    }

    /// Records that the frame being rendered ended at `instant`; the next one starts there.
    mutating func frameEnded(at instant: ContinuousClock.Instant) {
        lastFrame = instant - currentStarted
        currentStarted = instant
    }

    /// When the frame being rendered should end, or nil while nothing has been measured.
    var expectedEnd: ContinuousClock.Instant? {
        lastFrame.map { currentStarted + $0 }
    }

    /// Whether the frame being rendered is expected to end by `deadline`; true while nothing has
    /// been measured, since then only trying tells (the deadline still bounds the wait).
    func currentFrameEnds(by deadline: ContinuousClock.Instant) -> Bool {
        guard let end = expectedEnd else { return true }
        return end <= deadline
    }
}
