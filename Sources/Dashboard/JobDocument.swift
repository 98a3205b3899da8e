import Coordinator
import Protocol

/// A job as the JSON API shows it: `GET /api/jobs` lists summaries (`chunks`, `strip`, `latest`
/// and `events` left out), `GET /api/jobs/ID` has everything. docs/api.md has the shape.
struct JobDocument: Encodable {
    struct Chunk: Encodable {
        var index: Int
        var renderStart: Int
        var ownStart: Int
        var end: Int
        var state: String
        var framesDelivered: Int
        var framesTotal: Int
        var worker: String?
        var failures: Int
    }

    struct Latest: Encodable {
        /// Absolute index in the input film, and the chunk whose render it is.
        var frame: Int
        var chunk: Int
    }

    var id: UInt32
    var state: String
    var framesDone: Int
    var framesTotal: Int
    var fraction: Double
    /// Renders delivered of those planned (overlaps and seam tasks included) and their share:
    /// the work the bar and the ETA follow.
    var rendersDone: Int
    var rendersTotal: Int
    var workFraction: Double
    /// Bytes the coordinator keeps on disk for the job now and at most (renders and segments).
    var diskBytes: Int?
    var peakDiskBytes: Int?
    var fps: Double
    var etaSeconds: Double?
    var workersBusy: Int
    var message: String
    var priority: Int
    var input: String
    var output: String
    var method: String
    var width: Int
    var height: Int
    /// Absolute index of the job's frame 0 (`--start`).
    var start: Int
    var chunks: [Chunk]?
    var strip: FrameStrip?
    var latest: Latest?
    /// True when `warping-error.png` exists for the job.
    var errorPlot: Bool?
    var events: [JobStoreReader.Event]?

    init(_ job: FarmSnapshot.Job, detailed: Bool, errorPlot: Bool = false, events: [JobStoreReader.Event] = []) {
        let status = job.status
        id = status.job
        state = status.state.rawValue
        framesDone = status.framesDone
        framesTotal = status.framesTotal
        fraction = status.framesTotal == 0 ? 0 : Double(status.framesDone) / Double(status.framesTotal)
        rendersDone = status.rendersDone ?? status.framesDone
        rendersTotal = status.rendersTotal ?? status.framesTotal
        workFraction = rendersTotal == 0 ? 0 : min(1, Double(rendersDone) / Double(rendersTotal))
        diskBytes = status.diskBytes
        peakDiskBytes = status.peakDiskBytes
        fps = status.fps
        etaSeconds = status.etaSeconds
        workersBusy = status.workersBusy
        message = status.message
        priority = status.priority ?? 0
        input = job.request.input
        output = job.request.output
        method = job.request.method.description
        width = job.width
        height = job.height
        start = job.request.start
        guard detailed else { return }
        let statuses = Dictionary((status.chunks ?? []).map { ($0.chunk, $0) }, uniquingKeysWith: { a, _ in a })
        chunks = job.chunks.map { span in
            let chunk = statuses[span.index]
            return Chunk(index: span.index, renderStart: span.renderStart, ownStart: span.ownStart, end: span.end,
                         state: chunk?.state ?? "queued", framesDelivered: chunk?.framesDelivered ?? 0,
                         framesTotal: chunk?.framesTotal ?? span.end - span.renderStart, worker: chunk?.worker,
                         failures: chunk?.failures ?? 0)
        }
        strip = job.strip
        latest = job.latestStored.map { Latest(frame: $0.frame, chunk: $0.chunk) } ?? job.latestSegment.map { Latest(frame: $0.frame, chunk: $0.chunk) }
        self.errorPlot = errorPlot
        self.events = events
    }
}
