/// A job's progress as the user sees it: frames final (encoded) out of the total, speed, ETA and
/// workers busy. Pure formatting, so the bar and the plain lines are tested without a terminal.
public struct ProgressReport: Sendable, Equatable {
    public var framesDone: Int
    public var framesTotal: Int
    /// Time since the job started rendering.
    public var elapsed: Duration
    public var workersBusy: Int
    public var workers: Int

    public init(framesDone: Int, framesTotal: Int, elapsed: Duration, workersBusy: Int, workers: Int) {
        self.framesDone = framesDone
        self.framesTotal = framesTotal
        self.elapsed = elapsed
        self.workersBusy = workersBusy
        self.workers = workers
    }

    /// Frames per second so far, nil before any frame or any time.
    public var framesPerSecond: Double? {
        let seconds = elapsed.seconds
        guard framesDone > 0, seconds > 0 else { return nil }
        return Double(framesDone) / seconds
    }

    /// Remaining time at the speed so far, nil when unknown.
    public var eta: Duration? {
        guard let fps = framesPerSecond else { return nil }
        return .milliseconds(Int64((Double(framesTotal - framesDone) / fps * 1000).rounded()))
    }

    public var fraction: Double { framesTotal == 0 ? 1 : Double(framesDone) / Double(framesTotal) }

    /// One line for logs: `frames 40/132 (30%), 12.5 fps, ETA 0:07, 2/2 workers busy`.
    public var line: String {
        "frames \(framesDone)/\(framesTotal) (\(Int(fraction * 100))%), \(fpsText), ETA \(etaText), \(workersBusy)/\(workers) workers busy"
    }

    /// A terminal bar of `width` cells followed by the same figures:
    /// `[##########----------]  40/132  12.5 fps  ETA 0:07  workers 2/2`.
    public func bar(width: Int = 30) -> String {
        let filled = min(width, Int((fraction * Double(width)).rounded(.down)))
        let cells = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        return "[\(cells)] \(framesDone)/\(framesTotal)  \(fpsText)  ETA \(etaText)  workers \(workersBusy)/\(workers)"
    }

    var fpsText: String {
        guard let fps = framesPerSecond else { return "-- fps" }
        return fps < 10 ? "\(((fps * 100).rounded() / 100)) fps" : "\(((fps * 10).rounded() / 10)) fps"
    }

    var etaText: String {
        guard let eta else { return "--:--" }
        return Self.clock(eta)
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
