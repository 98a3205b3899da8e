import Engine
import Foundation
import Media
import ProcessSupport
import Protocol

/// One job from its planned chunks to its finished output file: builds each chunk's TASK, stores
/// and records every result before it is acknowledged, stitches overlaps and encodes final
/// frames in order into per-chunk segments, then joins the segments into the output.
///
/// Chunk k's segment (`segments/K.mkv`) holds the final frames of k's own range. It is sealed
/// (finished, fsynced, recorded) when its last frame is encoded, and only then are the stored
/// renders it used deleted; so a coordinator killed at any moment finds every frame either in
/// a sealed segment or still stored, and `restore` goes on from there (a half-written segment is
/// discarded and re-encoded from the renders). After the last segment, `SegmentJoiner` joins
/// them into the output (on a background thread, so the loop keeps heartbeating) and copies
/// the sound.
///
/// Frame numbers inside the runner are relative to the job's first frame (`--start`); messages
/// carry absolute input frame numbers, converted here and nowhere else.
///
/// Job folder: `frames/` (see `FrameStore`), `segments/`, `request.json`; progress is in the
/// `JobStore` (see `JobJournal`).
///
/// Building TASKs is in JobRunner+Tasks.swift, turning renders into the output in
/// JobRunner+Assembly.swift, what the job reports of its progress in JobRunner+Progress.swift; the state they share is internal rather than private for that, and
/// nothing outside the runner touches it. The job's `state`, `message` and `priority` change
/// only through the runner's own methods ("State" below), which record each change in the job
/// store.
final class JobRunner {
    let id: UInt32
    let request: JobRequest
    let directory: URL
    let plan: ChunkPlan
    let source: InputFrameSource
    let store: FrameStore
    let journal: JobJournal
    let durable: Bool
    /// The segment being written: the chunk whose own frames it holds, and where they go (its
    /// film segment, or the output's numbered pictures: `segmentSink(for:)`).
    var segment: (chunk: Int, sink: any FrameSink)?
    /// The output's numbering when it is an image sequence (`--out styled/%04d.png`), else nil.
    let outputSequence: ImageSequencePattern?
    /// The background join of the segments into the output, once every segment is sealed.
    var joining: SegmentJoin?
    let styles: [[UInt8]]
    let styleWeights: [Double]
    /// The network of a `reconet` job, sent once to each worker.
    var model: JobModel?
    /// Final frames from their renders: overlaps stitched in time along the input's motion, read
    /// by a second forward reader of the input (the first serves the tasks).
    lazy var stitcher: SeamStitcher = {
        let request = request
        var reader: InputFrameSource?
        return SeamStitcher { frame in
            if reader == nil { reader = try InputFrameSource(request: request, keep: 2) }
            return try reader!.frames(frame..<(frame + 1))[0]
        }
    }()
    /// The seam tasks (`--seam-refine`; none otherwise), and those handed to the scheduler.
    let seamPlan: SeamPlan
    var seamsQueued: Set<Int> = []
    /// The keyframe tasks and chains (`--handover keyframe`; none otherwise), and the keyframe
    /// tasks and chains handed to the scheduler.
    let keyframePlan: KeyframePlan
    var keyframeTasksQueued: Set<Int> = []
    /// The input frames of keyframe tasks, read by their own forward reader: keyframes are
    /// handed out together, ahead of the chains the task reader serves.
    lazy var keyframeSource: Result<InputFrameSource, MediaError> = {
        do throws(MediaError) { return .success(try InputFrameSource(request: request, keep: 1)) } catch { return .failure(error) }
    }()
    /// The input frames of seam tasks, read by a third forward reader: seams are assigned in
    /// order but after the chunks around them, behind the task reader.
    lazy var seamSource: Result<InputFrameSource, MediaError> = {
        do throws(MediaError) {
            return .success(try InputFrameSource(request: request, keep: request.overlap + (request.seamTail ?? 0) + 2))
        } catch { return .failure(error) }
    }()
    /// True when workers encode their chunks themselves (see `SegmentSpec`): the job has no
    /// overlap to stitch, its frames are cheap enough to redo a whole chunk after a loss (every
    /// method but gatys), the film has timestamps to cut clips by, and the output is a film.
    let workersEncode: Bool
    /// Cuts each chunk's input clip when workers encode (opened at the first clip; its error
    /// is every clip's).
    lazy var clipper: Result<VideoClipper, MediaError> = {
        do throws(MediaError) { return .success(try VideoClipper(path: request.input, framePTS: source.framePTS)) } catch { return .failure(error) }
    }()
    /// The next relative frame to encode.
    var nextOutput = 0
    /// What the job holds on disk now and at most (`DiskLedger`): the scheduler's disk budget
    /// reads it, the summary line and the dashboard show its peak.
    var disk = DiskLedger()
    /// The newest render each chunk delivered in order: the warm start if the chunk must move.
    var lastRender: [Int: (frame: Int, payload: [UInt8])] = [:]
    private(set) var state: JobStatus.State = .queued
    /// Higher runs first (`submit --priority`); equal priorities run in submission order.
    private(set) var priority = 0
    private(set) var message = ""
    /// Reads the time for the job's progress (elapsed, ETA): the coordinator's clock.
    let clock: any CoordinatorClock
    /// When rendering started and when the output was joined, on `clock`.
    var renderStarted: Duration?
    /// RESULTs stored so far by this process (duplicates only counted are not), and the newest
    /// one, for the dashboard's counters and preview.
    private(set) var storedResults = 0
    private(set) var latestStored: (chunk: Int, frame: Int, payload: [UInt8])?
    /// The newest SEGMENT stored (workers encode): its chunk and last frame (absolute).
    private(set) var latestSegment: (chunk: Int, frame: Int)?
    var renderEnded: Duration?

    var frameCount: Int { plan.frameCount }
    var width: Int { source.info.width }
    var height: Int { source.info.height }
    var isComplete: Bool { nextOutput >= plan.frameCount && segment == nil && journal.isFinished }

    /// Opens the input (failing early on a missing, corrupt or non-video file), loads the style
    /// images and plans the chunks; progress is read from and recorded in `store`.
    init(id: UInt32, request: JobRequest, directory: URL, store jobStore: JobStore, durable: Bool = true, priority: Int = 0,
         clock: any CoordinatorClock = SystemClock()) throws(CoordinatorError) {
        self.id = id
        self.priority = priority
        self.clock = clock
        // A chained gatys job of one style starts its chunks from a model of that style when the
        // coordinator has one (`GatysParameters.startModel`); the request stored below names it.
        var request = request
        if request.method == .gatys, request.model == nil, let gatys = request.gatys, gatys.start == nil, gatys.startModel,
           request.styles.count == 1, let found = StyleModelFinder.model(for: request.styles[0], in: ModelStore.directory()) {
            request.model = found
        }
        self.request = request
        self.directory = directory
        self.durable = durable
        do {
            source = try InputFrameSource(request: request, keep: request.overlap + 1)
        } catch {
            throw .badInput(path: request.input, reason: "\(error)")
        }
        let available = source.info.frameCount - request.start
        guard available > 0 else {
            throw .invalidOption("--start \(request.start) is past the last frame (the film has \(source.info.frameCount))")
        }
        let count = min(available, request.frames ?? available)
        // The keyframe hand-over renders no frame twice: its `overlap` sets the frames held (`HoldSpec`).
        let keyframes = request.handover == .keyframe && request.method == .gatys
        plan = ChunkPlan(frameCount: count, chunkFrames: request.chunk, overlapFrames: keyframes ? 0 : request.overlap)
        keyframePlan = KeyframePlan(plan: plan, holdFrames: KeyframePlan.heldFrames(overlap: request.overlap), enabled: keyframes)
        seamPlan = SeamPlan(plan: plan, tail: request.seamTail ?? 0, enabled: request.seamRefine == true && request.method == .gatys)
        do { outputSequence = try ImageSequencePattern.parse(request.output) } catch { throw .invalidOption("--out \(error)") }
        // An image sequence has no timestamps (`framePTS` is empty), and workers encode films only.
        workersEncode = plan.chunks.allSatisfy { $0.renderStart == $0.ownStart } && request.method != .gatys && !source.framePTS.isEmpty
            && outputSequence == nil
        var loaded: [[UInt8]] = []
        for path in request.styles {
            do {
                let image = try ImageIO.load(path: path)
                loaded.append(FramePayload.encode(width: image.width, height: image.height, pixels: image.pixels))
            } catch {
                throw .badInput(path: path, reason: "\(error)")
            }
        }
        styles = loaded
        styleWeights = request.styleWeights.isEmpty ? Array(repeating: 1, count: loaded.count) : request.styleWeights
        if request.method == .reconet {
            guard min(source.info.width, source.info.height) >= ReCoNet.minimumSide else {
                throw .invalidOption("method reconet needs frames of at least \(ReCoNet.minimumSide) pixels a side, the job's are \(source.info.width)x\(source.info.height)")
            }
            guard let path = request.model else { throw .invalidOption("method reconet needs --model FILE.reconet") }
            model = try JobModel(path: path)
        } else if let path = request.model {
            model = try JobModel(path: path)
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(JSONPayload.encode(request)).write(to: directory.appendingPathComponent("request.json"))
        } catch {
            throw .cannotWrite(path: directory.path, reason: "\(error)")
        }
        store = try FrameStore(directory: directory.appendingPathComponent("frames"))
        journal = JobJournal(store: jobStore, job: id)
        do {
            try FileManager.default.createDirectory(at: segmentsDirectory, withIntermediateDirectories: true)
        } catch {
            throw .cannotWrite(path: segmentsDirectory.path, reason: "\(error)")
        }
    }

    var segmentsDirectory: URL { directory.appendingPathComponent("segments") }

    /// Chunk k's segment: Matroska, which stores no dts, so a segment's first B-frame delay
    /// never shifts its pts (NUT's muxer moves a segment that starts at pts 0 later by that
    /// delay, making it overlap the next); it rounds pts to milliseconds, which the join keeps.
    /// WebM output is VP9, which `VideoWriter` picks only for .webm names.
    func segmentPath(_ chunk: Int) -> String {
        let kind = (request.output as NSString).pathExtension.lowercased() == "webm" ? "webm" : "mkv"
        return segmentsDirectory.appendingPathComponent("\(chunk).\(kind)").path
    }

    /// Takes up a job an earlier coordinator process left in `state`: a done, failed or
    /// cancelled job stays so; an unfinished one goes on after its sealed segments, with every
    /// stored render kept, a half-written segment discarded, and renders a sealed segment
    /// already holds deleted (a crash between sealing and deleting leaves them).
    func restore(state: JobStatus.State, message: String) {
        self.state = state
        self.message = message
        if state == .done {
            nextOutput = plan.frameCount
            journal.recordFinished()
            return
        }
        var sealedEnd = 0
        for chunk in plan.chunks where journal.sealedChunks.contains(chunk.index) && chunk.ownStart == sealedEnd {
            sealedEnd = chunk.end
        }
        nextOutput = sealedEnd
        for chunk in plan.chunks where !journal.sealedChunks.contains(chunk.index) {
            try? FileManager.default.removeItem(atPath: segmentPath(chunk.index))
        }
        for render in journal.stored where render.frame < sealedEnd && !keptForWarmStart(render) {
            store.remove(chunk: render.chunk, frame: render.frame)
        }
        // Files the store no longer lists (deleted by a seal that was cut short).
        for file in store.renders() where !journal.stored.contains(.init(chunk: file.chunk, frame: file.frame)) {
            store.remove(chunk: file.chunk, frame: file.frame)
        }
        // What this process takes up, sized once from the files (later changes are counted).
        for render in journal.stored {
            if let size = Self.fileSize(store.url(chunk: render.chunk, frame: render.frame).path) {
                disk.record(.render(chunk: render.chunk, frame: render.frame), bytes: size)
            }
        }
        for chunk in journal.sealedChunks {
            if let size = Self.fileSize(segmentPath(chunk)) { disk.record(.segment(chunk: chunk), bytes: size) }
        }
        if state == .running { renderStarted = clock.now }
    }

    /// The stored renders' files and records can lag a crash by one step; what a chunk is
    /// known to have delivered, as the scheduler needs it after a restart.
    var chunkProgress: (done: Set<Int>, resumeAt: [Int: Int]) {
        var done: Set<Int> = [], resumeAt: [Int: Int] = [:]
        for chunk in plan.chunks {
            let point = resumePoint(chunk: chunk.index)
            if point >= chunk.end { done.insert(chunk.index) } else { resumeAt[chunk.index] = point }
        }
        return (done, resumeAt)
    }

    /// The render of the frame just before chunk k's own range, by chunk k: its warm start
    /// if it must resume at its first own frame, so it outlives the earlier chunk's segment.
    func keptForWarmStart(_ render: JobJournal.Render) -> Bool {
        guard plan.chunks.indices.contains(render.chunk) else { return false }
        let chunk = plan.chunks[render.chunk]
        return render.frame == chunk.ownStart - 1 && chunk.renderStart < chunk.ownStart
            && !journal.sealedChunks.contains(render.chunk)
    }

    /// What is kept from an earlier run, for the log.
    var progressDescription: String {
        "\(journal.sealedChunks.count) of \(plan.chunks.count) segments sealed, \(journal.stored.count) renders stored, next frame \(nextOutput)"
    }

    /// Chunk k's render range, for the scheduler; none with the keyframe hand-over, whose tasks
    /// are queued as they become ready (`readyKeyframeTasks`).
    var chunkRanges: [Range<Int>] { keyframePlan.isEnabled ? [] : plan.chunks.map(\.renderRange) }

    /// The stretch of sound to copy and the timestamp shift: a slice (--start/--frames) keeps
    /// only its stretch of sound and starts at zero.
    var outputWindow: (window: TimeWindow?, offset: Int64) {
        let isSlice = plan.frameCount < source.info.frameCount
        guard isSlice else { return (nil, 0) }
        let first = source.pts(of: 0)
        let window = TimeWindow(start: first, end: plan.frameCount + request.start < source.info.frameCount
                                    ? source.pts(of: plan.frameCount) : nil, timeBase: source.info.timeBase)
        return (window, first - source.info.startPTS)
    }

    /// `worker` may no longer hold this job's model (it failed a chunk, left, or its TASK was
    /// not sent): its next TASK carries the model again.
    func forgetModel(of worker: WorkerID) { model?.forget(worker) }

    /// Where a result can resume a chunk: the first relative frame not delivered in order.
    func resumePoint(chunk: Int) -> Int {
        guard let range = renderRange(of: chunk) else { return 0 }
        var frame = range.lowerBound
        while frame < range.upperBound && (journal.stored.contains(.init(chunk: chunk, frame: frame)) || isEncoded(frame)) {
            frame += 1
        }
        return frame
    }

    /// Stores and records RESULT `absoluteFrame` of `chunk` (durably, before the caller acks).
    /// Returns the relative frame, or throws `DecodeError` for a result that does not belong to
    /// this job or does not hold a frame of the job's size.
    func accept(chunk: Int, absoluteFrame: Int, payload: [UInt8]) throws -> Int {
        let frame = absoluteFrame - request.start
        guard let range = renderRange(of: chunk), range.contains(frame) else {
            throw DecodeError.badPayload("result for frame \(absoluteFrame) outside chunk \(chunk) of job \(id)")
        }
        let size = try FramePayload.size(of: payload)
        guard size.width == source.info.width, size.height == source.info.height else {
            throw DecodeError.badPayload("result frame is \(size.width)x\(size.height), job \(id) renders \(source.info.width)x\(source.info.height)")
        }
        _ = try FramePayload.decode(payload) // the whole block must decompress before it is stored
        if (lastRender[chunk]?.frame ?? Int.min) < frame { lastRender[chunk] = (frame, payload) }
        let render = JobJournal.Render(chunk: chunk, frame: frame)
        guard !isEncoded(frame), !journal.stored.contains(render) else {
            try journal.recordDuplicate(render)
            return frame
        }
        try store.write(payload, chunk: chunk, frame: frame, durable: durable)
        disk.record(.render(chunk: chunk, frame: frame), bytes: payload.count)
        try journal.recordStored(render)
        storedResults += 1
        latestStored = (chunk, absoluteFrame, payload)
        return frame
    }

    /// Stores chunk `chunk`'s SEGMENT (its first absolute frame `firstFrame`) as its sealed
    /// segment, on disk (fsync) before the caller acks; a chunk already sealed keeps its
    /// segment. Returns the frames stored (0 for a duplicate); throws `DecodeError` for a
    /// segment that is not the chunk's (wrong chunk, size, frame count, or not media).
    func acceptSegment(chunk index: Int, firstFrame: Int, file: [UInt8]) throws -> Int {
        guard workersEncode, plan.chunks.indices.contains(index), plan.chunks[index].renderStart == firstFrame - request.start else {
            throw DecodeError.badPayload("segment of frame \(firstFrame) is not chunk \(index) of job \(id) encoded by its worker")
        }
        let chunk = plan.chunks[index]
        if journal.sealedChunks.contains(index) || journal.isFinished { return 0 }
        let inspection: SegmentInspection
        do { inspection = try SegmentInspection(bytes: file, name: "segment of chunk \(index)") } catch {
            throw DecodeError.badPayload("segment of chunk \(index): \(error)")
        }
        guard inspection.width == source.info.width, inspection.height == source.info.height,
              inspection.frameCount == chunk.renderRange.count, inspection.startsWithKeyframe else {
            throw DecodeError.badPayload("segment of chunk \(index) holds \(inspection.frameCount) frames of \(inspection.width)x\(inspection.height)"
                                         + (inspection.startsWithKeyframe ? "" : " not starting with a keyframe")
                                         + ", the chunk is \(chunk.renderRange.count) of \(source.info.width)x\(source.info.height)")
        }
        let path = segmentPath(index)
        do {
            try Data(file).write(to: URL(fileURLWithPath: path))
            try syncIfDurable(path)
        } catch {
            throw CoordinatorError.cannotWrite(path: path, reason: "\(error)")
        }
        disk.record(.segment(chunk: index), bytes: file.count)
        try journal.recordSealed(index, released: [])
        storedResults += chunk.renderRange.count
        latestSegment = (index, absolute(chunk.end - 1))
        return chunk.renderRange.count
    }

    /// True when `frame` is in a sealed segment (or in the one being written: its renders are
    /// still stored until the segment is sealed).
    func isEncoded(_ frame: Int) -> Bool {
        guard frame >= 0, frame < plan.frameCount else { return false }
        return frame < nextOutput || journal.sealedChunks.contains(frame / plan.chunkFrames)
    }

    func chunkDone(_ chunk: Int) throws {
        try journal.recordChunkDone(chunk)
        lastRender[chunk] = nil
        // The chunk's input payloads and renders were freed into the heap; give the pages back
        // so the coordinator holds what is in flight, not the largest chunk's worth ever seen.
        HeapTrim.releaseFreePages()
    }

    /// Stored renders on disk now.
    var storedFrameCount: Int { store.count() }

    /// The size of the file at `path`, nil when it is missing.
    static func fileSize(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
    }

    /// Bytes waiting for the encoder: every stored render, and the segments workers sent ahead of
    /// the output's order. A sealed segment the output has reached is the output under way: no
    /// scheduling shrinks it before the join, so counting it would only slow a long film down.
    var waitingBytes: Int {
        disk.renderBytes + disk.segmentBytes { plan.chunks.indices.contains($0) && plan.chunks[$0].end > nextOutput }
    }

    /// True when chunk or seam task `index` may go to a worker under a disk budget of `budget`
    /// bytes: while the bytes waiting for the encoder are within it, and always when it renders
    /// the frame the encoder needs next, since that is what lets the encoder free the disk (a
    /// job can never stall on its own budget; a seam task is that chunk when its frames are next).
    func admits(_ index: Int, budget: Int) -> Bool {
        if let range = renderRange(of: index), range.contains(nextOutput) { return true }
        return waitingBytes <= budget
    }

    // MARK: State

    /// The job starts rendering (its first chunk is handed out): the clock of its progress starts.
    func start() throws(CoordinatorError) {
        renderStarted = renderStarted ?? clock.now
        try change(to: .running, "running")
    }

    /// Every frame is in the output.
    func finish() throws(CoordinatorError) {
        try change(to: .done, "done: \(request.output)")
    }

    /// The job failed for `reason`; the segment being written is abandoned unfinished (a retry
    /// starts over).
    func fail(reason: String) throws(CoordinatorError) {
        segment = nil
        try change(to: .failed, reason)
    }

    /// The user cancelled the job; the segment being written is abandoned as on failure.
    func cancel() throws(CoordinatorError) {
        segment = nil
        try change(to: .cancelled, "cancelled")
    }

    /// The user paused the job (the caller took its chunks back).
    func pause() throws(CoordinatorError) {
        try change(to: .paused, "paused")
    }

    /// The user resumed the paused job: running again, or queued if it never started.
    func resume() throws(CoordinatorError) {
        try change(to: renderStarted == nil ? .queued : .running, "resumed")
    }

    /// This runner replaces a failed or cancelled one of the same job, from the beginning.
    func markRetried() throws(CoordinatorError) {
        try change(to: .queued, "retried")
    }

    /// Higher runs first; the caller moves the job's waiting chunks in the scheduler.
    func setPriority(_ priority: Int) throws(CoordinatorError) {
        self.priority = priority
        try journal.recordPriority(priority)
    }

    /// Changes the state in memory, then in the store (so a restart knows it). Memory first:
    /// a store that cannot record it does not stop the loop, which logs the error.
    private func change(to state: JobStatus.State, _ message: String) throws(CoordinatorError) {
        self.state = state
        self.message = message
        try journal.recordState(state, message: message)
    }

    /// Deletes the job folder (after success, in embedded mode).
    func removeFolder() {
        try? FileManager.default.removeItem(at: directory)
    }

    func absolute(_ frame: Int) -> Int { request.start + frame }
}
