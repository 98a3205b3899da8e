/// One chunk of a job as `vst-coord status JOB` shows it: carried in `JobStatus.chunks`, which
/// only a STATUS reply for one job fills in.
public struct ChunkStatus: Codable, Sendable, Equatable {
    /// `queued`, `rendering`, `delivered` (every frame stored) or `sealed` (in the output).
    public var state: String
    public var chunk: Int
    /// Frames of the chunk's render range that arrived, and how many it has.
    public var framesDelivered: Int
    public var framesTotal: Int
    /// The worker rendering it now (its READY name), if any.
    public var worker: String?
    /// CHUNK_FAILED reports so far.
    public var failures: Int

    public init(chunk: Int, state: String, framesDelivered: Int, framesTotal: Int, worker: String? = nil, failures: Int = 0) {
        self.chunk = chunk
        self.state = state
        self.framesDelivered = framesDelivered
        self.framesTotal = framesTotal
        self.worker = worker
        self.failures = failures
    }
}
