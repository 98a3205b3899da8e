/// One job's progress as the coordinator reports it: STATUS_REPLY carries an array of these,
/// CONTROL_REPLY one.
public struct JobStatus: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable, CaseIterable {
        case queued, running, paused, done, failed, cancelled
    }

    public var job: UInt32
    public var state: State
    public var framesDone: Int
    public var framesTotal: Int
    /// Recent throughput in frames per second.
    public var fps: Double
    /// Estimated seconds to completion; nil while unknown.
    public var etaSeconds: Double?
    public var workersBusy: Int
    /// Last notable event or failure reason, one line.
    public var message: String
    /// Output path.
    public var output: String
    /// Higher runs first; nil from a coordinator that predates priorities.
    public var priority: Int?
    /// Per-chunk detail, only in a STATUS reply for one job.
    public var chunks: [ChunkStatus]?
    /// Renders delivered out of those planned (every chunk's frames, overlaps included, and every
    /// seam task's): the work that the progress bar and `etaSeconds` follow, while `framesDone`
    /// counts final frames encoded. nil from a coordinator that predates them.
    public var rendersDone: Int?
    public var rendersTotal: Int?
    /// Seconds since the job started rendering; nil from a coordinator that predates it.
    public var elapsedSeconds: Double?
    /// Bytes the coordinator keeps on disk for the job now (stored renders and segments), and
    /// the most it kept so far; nil from a coordinator that predates them.
    public var diskBytes: Int?
    public var peakDiskBytes: Int?

    public init(job: UInt32, state: State, framesDone: Int = 0, framesTotal: Int = 0, fps: Double = 0,
                etaSeconds: Double? = nil, workersBusy: Int = 0, message: String = "", output: String = "",
                priority: Int? = nil, chunks: [ChunkStatus]? = nil) {
        self.priority = priority
        self.chunks = chunks
        self.job = job
        self.state = state
        self.framesDone = framesDone
        self.framesTotal = framesTotal
        self.fps = fps
        self.etaSeconds = etaSeconds
        self.workersBusy = workersBusy
        self.message = message
        self.output = output
    }
}
