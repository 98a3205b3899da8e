/// A job's progress as the user sees it: work done (renders delivered, overlaps and seam tasks
/// included) out of the work planned, which moves steadily and sets the ETA, beside final frames
/// encoded out of the total, which jump as overlaps and seams complete. Pure formatting, so the
/// bar and the plain lines are tested without a terminal.
public struct ProgressReport: Sendable, Equatable {
    /// Final frames encoded, of the film's (or slice's) total.
    public var framesDone: Int
    public var framesTotal: Int
    /// Renders delivered, of those planned (`JobRunner.rendersTotal`).
    public var rendersDone: Int
    public var rendersTotal: Int
    /// Time since the job started rendering.
    public var elapsed: Duration
    public var workersBusy: Int
    public var workers: Int

    /// Without `rendersDone`/`rendersTotal` (a coordinator that predates them), the work is the
    /// final frames.
    public init(framesDone: Int, framesTotal: Int, rendersDone: Int? = nil, rendersTotal: Int? = nil, elapsed: Duration,
                workersBusy: Int, workers: Int) {
        self.framesDone = framesDone
        self.framesTotal = framesTotal
        self.rendersDone = rendersDone ?? framesDone
        self.rendersTotal = rendersTotal ?? framesTotal
        self.elapsed = elapsed
        self.workersBusy = workersBusy
        self.workers = workers
    }

    /// Final frames per second so far, nil before any frame or any time.
    public var framesPerSecond: Double? { Self.rate(framesDone, elapsed) }

    /// Renders per second so far, nil before any render or any time.
    public var rendersPerSecond: Double? { Self.rate(rendersDone, elapsed) }

    /// Remaining time: the renders left at the render rate so far; once every render is in, the
    /// frames left to encode at the encoding rate so far. nil when unknown.
    public var eta: Duration? {
        let left: Double
        if rendersDone < rendersTotal {
            guard let rate = rendersPerSecond else { return nil }
            left = Double(rendersTotal - rendersDone) / rate
        } else if framesDone < framesTotal {
            guard let rate = framesPerSecond else { return nil }
            left = Double(framesTotal - framesDone) / rate
        } else {
            left = 0
        }
        return .milliseconds(Int64((left * 1000).rounded()))
    }

    /// The work's share done, which the bar shows.
    public var fraction: Double { rendersTotal == 0 ? 1 : min(1, Double(rendersDone) / Double(rendersTotal)) }

    /// One line for logs:
    /// `work 30% (40/132 renders), 12/120 frames out, 5.0 renders/s, ETA 0:18, 2/2 workers busy`.
    public var line: String {
        "work \(Int(fraction * 100))% (\(rendersDone)/\(rendersTotal) renders), \(framesDone)/\(framesTotal) frames out, "
            + "\(rateText), ETA \(etaText), \(workersBusy)/\(workers) workers busy"
    }

    /// A terminal bar of `width` cells (the work) followed by the same figures:
    /// `[###-------] 30% 40/132 renders  12/120 frames out  5.0 renders/s  ETA 0:18  workers 2/2`.
    public func bar(width: Int = 30) -> String {
        let filled = min(width, Int((fraction * Double(width)).rounded(.down)))
        let cells = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        return "[\(cells)] \(Int(fraction * 100))% \(rendersDone)/\(rendersTotal) renders  \(framesDone)/\(framesTotal) frames out  "
            + "\(rateText)  ETA \(etaText)  workers \(workersBusy)/\(workers)"
    }

    var rateText: String {
        guard let rate = rendersPerSecond else { return "-- renders/s" }
        return rate < 10 ? "\(((rate * 100).rounded() / 100)) renders/s" : "\(((rate * 10).rounded() / 10)) renders/s"
    }

    var etaText: String {
        guard let eta else { return "--:--" }
        return Self.clock(eta)
    }

    private static func rate(_ count: Int, _ elapsed: Duration) -> Double? {
        let seconds = elapsed.seconds
        guard count > 0, seconds > 0 else { return nil }
        return Double(count) / seconds
    }

    /// `m:ss`, or `h:mm:ss` from an hour on.
    public static func clock(_ duration: Duration) -> String {
        let total = max(0, Int(duration.seconds.rounded()))
        let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60)
        let ss = s < 10 ? "0\(s)" : "\(s)"
        if h > 0 { return "\(h):\(m < 10 ? "0\(m)" : "\(m)"):\(ss)" }
        return "\(m):\(ss)"
    }
}
