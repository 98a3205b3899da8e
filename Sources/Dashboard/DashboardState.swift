import Coordinator
import Foundation

/// What the dashboard's HTTP handlers share with the coordinator's loop: the latest snapshot
/// (replaced whole under a lock, read without blocking the loop), the control inbox, the
/// metrics, a read-only connection to the job store, and the token.
public final class DashboardState: @unchecked Sendable {
    public let token: String
    public let inbox = ControlInbox()
    public let metrics: FarmMetrics
    /// `DATA/`: job folders hold the warping-error plot when one was made.
    public let dataDirectory: URL
    /// The note beside each public key (Z85) in `--authorized`: what the workers page calls a key.
    public let keyNames: [String: String]
    let inputFrames = InputFramePreview()
    let segmentFrames = SegmentFramePreview()
    private let lock = NSLock()
    private var latest: FarmSnapshot?
    private var latestAt: ContinuousClock.Instant?
    private var reader: JobStoreReader?

    public init(token: String, dataDirectory: URL, keyNames: [String: String] = [:], metrics: FarmMetrics = FarmMetrics()) {
        self.token = token
        self.keyNames = keyNames
        self.dataDirectory = dataDirectory
        self.metrics = metrics
    }

    /// The newest snapshot; nil until the loop published one.
    public var snapshot: FarmSnapshot? {
        lock.lock()
        defer { lock.unlock() }
        return latest
    }

    /// When the loop last published; nil until it did. `/readyz` judges the loop by it.
    public var lastPublished: ContinuousClock.Instant? {
        lock.lock()
        defer { lock.unlock() }
        return latestAt
    }

    /// Called on the loop thread: makes `snapshot` current and the metrics follow it.
    public func publish(_ snapshot: FarmSnapshot, at instant: ContinuousClock.Instant = .now) {
        metrics.update(from: snapshot)
        lock.lock()
        latest = snapshot
        latestAt = instant
        if reader == nil { reader = try? JobStoreReader(path: snapshot.storePath) }
        lock.unlock()
    }

    /// The job store, read-only; nil before the first snapshot.
    var store: JobStoreReader? {
        lock.lock()
        defer { lock.unlock() }
        return reader
    }

    /// Where a job's warping-error plot is expected (`vst eval ... --plot` may write it there).
    func errorPlotPath(of job: UInt32) -> String {
        dataDirectory.appendingPathComponent("jobs/\(job)/warping-error.png").path
    }
}
