import Engine
import Foundation
import Media
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
final class JobRunner {
    let id: UInt32
    let request: JobRequest
    let directory: URL
    let plan: ChunkPlan
    private let source: InputFrameSource
    private let store: FrameStore
    private let journal: JobJournal
    private let durable: Bool
    /// The segment being written: the chunk whose own frames it holds, and its encoder.
    private var segment: (chunk: Int, writer: VideoWriter)?
    /// The background join of the segments into the output, once every segment is sealed.
    private var joining: SegmentJoin?
    private let styles: [[UInt8]]
    private let styleWeights: [Double]
    /// The network of a `reconet` job, sent once to each worker.
    private var model: JobModel?
    /// Final frames from their renders: overlaps stitched in time along the input's motion, read
    /// by a second forward reader of the input (the first serves the tasks).
    private lazy var stitcher: SeamStitcher = {
        let (path, height, start) = (request.input, request.height, request.start)
        var reader: InputFrameSource?
        return SeamStitcher { frame in
            if reader == nil { reader = try InputFrameSource(path: path, height: height, start: start, keep: 2) }
            return try reader!.frames(frame..<(frame + 1))[0]
        }
    }()
    private let parameters: [String: String]
    /// The seam tasks (`--seam-refine`; none otherwise), and those handed to the scheduler.
    let seamPlan: SeamPlan
    private var seamsQueued: Set<Int> = []
    /// The input frames of seam tasks, read by a third forward reader: seams are assigned in
    /// order but after the chunks around them, behind the task reader.
    private lazy var seamSource: Result<InputFrameSource, MediaError> = {
        do throws(MediaError) {
            return .success(try InputFrameSource(path: request.input, height: request.height, start: request.start,
                                                 keep: request.overlap + (request.seamTail ?? 0) + 2))
        } catch { return .failure(error) }
    }()
    /// True when workers encode their chunks themselves (see `SegmentSpec`): the job has no
    /// overlap to stitch, its frames are cheap enough to redo a whole chunk after a loss (every
    /// method but gatys), and the film has timestamps to cut clips by.
    let workersEncode: Bool
    /// Cuts each chunk's input clip when workers encode (opened at the first clip; its error
    /// is every clip's).
    private lazy var clipper: Result<VideoClipper, MediaError> = {
        do throws(MediaError) { return .success(try VideoClipper(path: request.input, framePTS: source.framePTS)) } catch { return .failure(error) }
    }()
    /// The next relative frame to encode.
    private(set) var nextOutput = 0
    /// The newest render each chunk delivered in order: the warm start if the chunk must move.
    private var lastRender: [Int: (frame: Int, payload: [UInt8])] = [:]
    var state: JobStatus.State = .queued
    /// Higher runs first (`submit --priority`); equal priorities run in submission order.
    var priority = 0
    var message = ""
    private(set) var renderStarted: ContinuousClock.Instant?
    /// RESULTs stored so far by this process (duplicates only counted are not), and the newest
    /// one, for the dashboard's counters and preview.
    private(set) var storedResults = 0
    private(set) var latestStored: (chunk: Int, frame: Int, payload: [UInt8])?
    /// The newest SEGMENT stored (workers encode): its chunk and last frame (absolute).
    private(set) var latestSegment: (chunk: Int, frame: Int)?
    private(set) var renderEnded: ContinuousClock.Instant?

    var frameCount: Int { plan.frameCount }
    var width: Int { source.info.width }
    var height: Int { source.info.height }
    var isComplete: Bool { nextOutput >= plan.frameCount && segment == nil && journal.isFinished }

    /// Opens the input (failing early on a missing, corrupt or non-video file), loads the style
    /// images and plans the chunks; progress is read from and recorded in `store`.
    init(id: UInt32, request: JobRequest, directory: URL, store jobStore: JobStore, durable: Bool = true) throws(CoordinatorError) {
        self.id = id
        self.request = request
        self.directory = directory
        self.durable = durable
        do {
            source = try InputFrameSource(path: request.input, height: request.height, start: request.start,
                                          keep: request.overlap + 1)
        } catch {
            throw .badInput(path: request.input, reason: "\(error)")
        }
        let available = source.info.frameCount - request.start
        guard available > 0 else {
            throw .invalidOption("--start \(request.start) is past the last frame (the film has \(source.info.frameCount))")
        }
        let count = min(available, request.frames ?? available)
        plan = ChunkPlan(frameCount: count, chunkFrames: request.chunk, overlapFrames: request.overlap)
        seamPlan = SeamPlan(plan: plan, tail: request.seamTail ?? 0, enabled: request.seamRefine == true && request.method == "gatys")
        workersEncode = plan.chunks.allSatisfy { $0.renderStart == $0.ownStart } && request.method != "gatys" && !source.framePTS.isEmpty
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
        if request.method == "reconet" {
            guard min(source.info.width, source.info.height) >= ReCoNet.minimumSide else {
                throw .invalidOption("method reconet needs frames of at least \(ReCoNet.minimumSide) pixels a side, the job's are \(source.info.width)x\(source.info.height)")
            }
            guard let path = request.parameters["model"] else { throw .invalidOption("method reconet needs --model FILE.reconet") }
            model = try JobModel(path: path)
        }
        // The model's path means nothing on a worker's host: it travels by content instead.
        parameters = request.parameters.filter { $0.key != "model" }
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
        if state == .running { renderStarted = .now }
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
    private func keptForWarmStart(_ render: JobJournal.Render) -> Bool {
        let chunk = plan.chunks[render.chunk]
        return render.frame == chunk.ownStart - 1 && chunk.renderStart < chunk.ownStart
            && !journal.sealedChunks.contains(render.chunk)
    }

    /// What is kept from an earlier run, for the log.
    var progressDescription: String {
        "\(journal.sealedChunks.count) of \(plan.chunks.count) segments sealed, \(journal.stored.count) renders stored, next frame \(nextOutput)"
    }

    /// Chunk k's render range, for the scheduler.
    var chunkRanges: [Range<Int>] { plan.chunks.map(\.renderRange) }

    /// Called when the job starts running (the clock of its progress starts).
    func open() throws(CoordinatorError) {
        renderStarted = renderStarted ?? .now
    }

    /// The stretch of sound to copy and the timestamp shift: a slice (--start/--frames) keeps
    /// only its stretch of sound and starts at zero.
    private var outputWindow: (window: TimeWindow?, offset: Int64) {
        let isSlice = plan.frameCount < source.info.frameCount
        guard isSlice else { return (nil, 0) }
        let first = source.pts(of: 0)
        let window = TimeWindow(start: first, end: plan.frameCount + request.start < source.info.frameCount
                                    ? source.pts(of: plan.frameCount) : nil, timeBase: source.info.timeBase)
        return (window, first - source.info.startPTS)
    }

    /// The TASK for `assignment`: the chunk's input frames from where it (re)starts, with the
    /// last frame it delivered as warm start when it resumes, and the job's model when this
    /// worker has not been sent it yet (`modelAttached`).
    func task(for assignment: Scheduler.Assignment, keepAlive: () -> Void = {}) throws(CoordinatorError)
        -> (message: Message, modelAttached: ModelReference?) {
        if let seam = seamPlan.seam(index: assignment.chunk.chunk) {
            return (.task(try seamPayload(seam, assignment: assignment, keepAlive: keepAlive)), nil)
        }
        let chunk = plan.chunks[assignment.chunk.chunk]
        let spec = TaskSpec(job: id, chunk: UInt32(chunk.index), renderStart: absolute(chunk.renderStart),
                            ownStart: absolute(chunk.ownStart), end: absolute(chunk.end),
                            width: source.info.width, height: source.info.height, method: request.method,
                            parameters: parameters, styleCount: styles.count, styleWeights: styleWeights, frameCount: 0)
        var payload = workersEncode ? try clipPayload(spec, chunk: chunk)
            : try framesPayload(spec, chunk: chunk, assignment: assignment, keepAlive: keepAlive)
        if let next = model?.next(for: assignment.worker) {
            payload.spec.model = next.reference
            payload.model = next.bytes
        }
        return (.task(payload), payload.model == nil ? nil : payload.spec.model)
    }

    /// A TASK for a worker that encodes the chunk: the film's own packets for it as a clip, and
    /// the timestamps and encoder settings of its segment.
    private func clipPayload(_ spec: TaskSpec, chunk: ChunkPlan.Chunk) throws(CoordinatorError) -> TaskPayload {
        let clip: VideoClip
        do { clip = try clipper.get().clip(frames: absolute(chunk.renderStart)..<absolute(chunk.end)) } catch {
            throw .badInput(path: request.input, reason: "\(error)")
        }
        var spec = spec
        let (timeBase, rate) = (source.info.timeBase, source.info.frameRate)
        spec.segment = SegmentSpec(scaleHeight: request.height, clipPTS: clip.pts, outputPTS: chunk.renderRange.map { source.pts(of: $0) },
                                   timeBase: [timeBase.numerator, timeBase.denominator], frameRate: [rate.numerator, rate.denominator],
                                   crf: request.crf, preset: request.preset, lossless: request.lossless,
                                   container: (segmentPath(chunk.index) as NSString).pathExtension, clipBytes: clip.bytes.count)
        return TaskPayload(spec: spec, styles: styles, frames: [], clip: clip.bytes)
    }

    /// A TASK of decoded input frames from where the chunk (re)starts, with the last frame it
    /// delivered as warm start when it resumes. Without that render the chunk starts over:
    /// duplicates are stored once.
    private func framesPayload(_ spec: TaskSpec, chunk: ChunkPlan.Chunk, assignment: Scheduler.Assignment,
                               keepAlive: () -> Void) throws(CoordinatorError) -> TaskPayload {
        var warm: (frame: Int, payload: [UInt8])?
        if assignment.isResumption {
            let frame = assignment.firstFrame - 1
            if let last = lastRender[chunk.index], last.frame == frame {
                warm = last
            } else if let stored = store.read(chunk: chunk.index, frame: frame) {
                warm = (frame, stored)
            }
        }
        let first = warm?.frame ?? chunk.renderStart
        let images: [RGBImage]
        do { images = try source.frames(first..<chunk.end, keepAlive: keepAlive) } catch { throw .badInput(path: request.input, reason: "\(error)") }
        var spec = spec
        spec.frameCount = images.count
        spec.warmStartFrame = warm.map { absolute($0.frame) }
        let frames = images.map { FramePayload.encode(width: $0.width, height: $0.height, pixels: $0.pixels) }
        return TaskPayload(spec: spec, styles: styles, frames: frames, warmStart: warm?.payload)
    }

    /// A seam task from `assignment.firstFrame` (past the seam's start when it resumes): the
    /// input frames from the one before it to the anchor, that frame's final render as the warm
    /// start, and both chunks' renders of every frame still to refine (`SeamSpec`).
    private func seamPayload(_ seam: SeamPlan.Seam, assignment: Scheduler.Assignment,
                             keepAlive: () -> Void) throws(CoordinatorError) -> TaskPayload {
        let first = assignment.firstFrame
        func stored(_ chunk: Int, _ frame: Int) throws(CoordinatorError) -> [UInt8] {
            if let last = lastRender[chunk], last.frame == frame { return last.payload }
            guard let bytes = store.read(chunk: chunk, frame: frame) else {
                throw .jobFailed(job: id, reason: "the render of frame \(frame) by chunk \(chunk) for seam \(seam.index) is gone")
            }
            return bytes
        }
        let before = finalRender(of: first - 1)
        let warm = try stored(before.chunk, first - 1)
        var renders: [[UInt8]] = []
        for frame in first..<seam.range.upperBound {
            if frame < seam.later.ownStart { renders.append(try stored(seam.earlier.index, frame)) }
            renders.append(try stored(seam.later.index, frame))
        }
        if let anchor = seam.anchor { renders.append(try stored(seam.later.index, anchor)) }
        let inputEnd = (seam.anchor ?? seam.range.upperBound - 1) + 1
        let images: [RGBImage]
        do { images = try seamSource.get().frames((first - 1)..<inputEnd, keepAlive: keepAlive) } catch {
            throw .badInput(path: request.input, reason: "\(error)")
        }
        let spec = TaskSpec(job: id, chunk: UInt32(seam.index), renderStart: absolute(seam.range.lowerBound - 1),
                            ownStart: absolute(seam.range.lowerBound), end: absolute(inputEnd),
                            width: source.info.width, height: source.info.height, method: request.method,
                            parameters: parameters, styleCount: styles.count, styleWeights: styleWeights, frameCount: images.count,
                            warmStartFrame: absolute(first - 1),
                            seam: SeamSpec(laterRenderStart: absolute(seam.later.renderStart), laterOwnStart: absolute(seam.later.ownStart),
                                           tail: request.seamTail ?? 0, seamEnd: absolute(seam.range.upperBound), anchored: seam.anchor != nil))
        return TaskPayload(spec: spec, styles: styles, frames: images.map { FramePayload.encode(width: $0.width, height: $0.height, pixels: $0.pixels) },
                           warmStart: warm, renders: renders)
    }

    /// Which render is frame `frame`'s final one, outside the stitched overlaps: a seam's when
    /// the frame is in one, else its owner's.
    private func finalRender(of frame: Int) -> JobJournal.Render {
        if let seam = seamPlan.seam(containing: frame) { return .init(chunk: seam.index, frame: frame) }
        return .init(chunk: frame / plan.chunkFrames, frame: frame)
    }

    /// Seam tasks whose renders are all stored now and that the scheduler has not been given
    /// (each once per process), with where each starts; a finished seam is only marked.
    func readySeams() -> [(index: Int, range: Range<Int>, resumeAt: Int)] {
        var ready: [(index: Int, range: Range<Int>, resumeAt: Int)] = []
        for seam in seamPlan.seams where !seamsQueued.contains(seam.index) {
            let first = resumePoint(chunk: seam.index)
            if first >= seam.range.upperBound {
                seamsQueued.insert(seam.index)
                continue
            }
            func has(_ chunk: Int, _ frame: Int) -> Bool { journal.stored.contains(.init(chunk: chunk, frame: frame)) }
            var needed = [finalRender(of: first - 1)]
            for frame in first..<seam.range.upperBound {
                if frame < seam.later.ownStart { needed.append(.init(chunk: seam.earlier.index, frame: frame)) }
                needed.append(.init(chunk: seam.later.index, frame: frame))
            }
            if let anchor = seam.anchor { needed.append(.init(chunk: seam.later.index, frame: anchor)) }
            guard needed.allSatisfy({ has($0.chunk, $0.frame) }) else { continue }
            seamsQueued.insert(seam.index)
            ready.append((seam.index, seam.range, first))
        }
        return ready
    }

    /// The worker feature (`WorkerHello.Feature`) chunk or seam `index`'s TASK needs; nil for
    /// a plain chunk, which every worker takes.
    func featureNeeded(chunk index: Int) -> String? {
        if seamPlan.seam(index: index) != nil { return WorkerHello.Feature.seam }
        return workersEncode ? WorkerHello.Feature.segment : nil
    }

    /// The frames chunk or seam `index` renders.
    func renderRange(of index: Int) -> Range<Int>? {
        if plan.chunks.indices.contains(index) { return plan.chunks[index].renderRange }
        return seamPlan.seam(index: index)?.range
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
        try journal.recordSealed(index, released: [])
        storedResults += chunk.renderRange.count
        latestSegment = (index, absolute(chunk.end - 1))
        return chunk.renderRange.count
    }

    /// True when `frame` is in a sealed segment (or in the one being written: its renders are
    /// still stored until the segment is sealed).
    private func isEncoded(_ frame: Int) -> Bool {
        guard frame >= 0, frame < plan.frameCount else { return false }
        return frame < nextOutput || journal.sealedChunks.contains(frame / plan.chunkFrames)
    }

    func chunkDone(_ chunk: Int) throws {
        try journal.recordChunkDone(chunk)
        lastRender[chunk] = nil
    }

    /// Encodes frames that are final (every render covering them stored), in order, into their
    /// chunk's segment for about `budget` (at least one frame), so that the coordinator's loop
    /// stays responsive; `keepAlive` runs after every frame (the loop heartbeats from it).
    /// Seals each segment after its last frame; after the last one, starts the join and, on a
    /// later call, finishes the job when the join is done. Returns how many frames it encoded.
    @discardableResult
    func assemble(budget: Duration = .milliseconds(150), keepAlive: () -> Void = {}) throws(CoordinatorError) -> Int {
        guard !journal.isFinished else { return 0 }
        var encoded = 0
        if workersEncode {
            // The workers' segments are final as they come: only the order is the runner's.
            while nextOutput < plan.frameCount, case let owner = plan.chunks[nextOutput / plan.chunkFrames],
                  journal.sealedChunks.contains(owner.index) {
                encoded += owner.end - nextOutput
                nextOutput = owner.end
            }
            if nextOutput >= plan.frameCount { try join() }
            return encoded
        }
        let deadline = ContinuousClock.now + budget
        while (encoded == 0 || ContinuousClock.now < deadline) && nextOutput < plan.frameCount {
            let frame = nextOutput
            let final: [UInt8]
            if let seam = seamPlan.seam(containing: frame) {
                // A refined seam is final as it is; its first frame waits for the whole seam, so
                // that no render it may still need (a resumed seam's warm start, the overlap's)
                // is released by the earlier chunk's seal.
                guard resumePoint(chunk: seam.index) >= seam.range.upperBound, let bytes = store.read(chunk: seam.index, frame: frame) else {
                    return encoded
                }
                do { final = try FramePayload.decode(bytes).pixels } catch {
                    throw .jobFailed(job: id, reason: "stored frame \(frame) of seam \(seam.index) is corrupt: \(error)")
                }
            } else {
            let renders = plan.chunks(rendering: frame)
            var pixels: [[UInt8]] = []
            for chunk in renders {
                guard let bytes = store.read(chunk: chunk.index, frame: frame) else { return encoded }
                do { pixels.append(try FramePayload.decode(bytes).pixels) } catch {
                    throw .jobFailed(job: id, reason: "stored frame \(frame) of chunk \(chunk.index) is corrupt: \(error)")
                }
            }
            do {
                let last = renders[renders.count - 1]
                final = try stitcher.final(frame: frame, renders: pixels, position: frame - last.renderStart,
                                           overlapLength: last.overlapRange.count, tail: seamPlan.seams.isEmpty ? request.seamTail ?? 0 : 0)
            } catch {
                throw .jobFailed(job: id, reason: "stitching frame \(frame): \(error)")
            }
            }
            let owner = plan.chunks[frame / plan.chunkFrames]
            do {
                try segmentWriter(for: owner.index)
                    .write(RGBImage(width: source.info.width, height: source.info.height, pixels: final), pts: source.pts(of: frame))
            } catch {
                throw .jobFailed(job: id, reason: "writing \(segmentPath(owner.index)): \(error)")
            }
            nextOutput += 1
            encoded += 1
            if nextOutput == owner.end { try seal(owner) }
            keepAlive()
        }
        if nextOutput >= plan.frameCount { try join() }
        return encoded
    }

    private func segmentWriter(for chunk: Int) throws(MediaError) -> VideoWriter {
        if let segment, segment.chunk == chunk { return segment.writer }
        let writer = try VideoWriter(path: segmentPath(chunk), width: source.info.width, height: source.info.height,
                                     frameRate: source.info.frameRate, timeBase: source.info.timeBase,
                                     options: EncoderOptions(crf: request.crf, preset: request.preset, lossless: request.lossless))
        segment = (chunk, writer)
        return writer
    }

    /// Finishes `chunk`'s segment, puts it on disk (fsync), records it sealed, then deletes the
    /// renders it holds: the owner's, and the next chunk's overlap renders except the last,
    /// which stays as that chunk's warm start until its own segment is sealed.
    private func seal(_ chunk: ChunkPlan.Chunk) throws(CoordinatorError) {
        guard let segment, segment.chunk == chunk.index else { return }
        let path = segmentPath(chunk.index)
        do {
            try segment.writer.finish()
            try syncIfDurable(path)
        } catch {
            throw .jobFailed(job: id, reason: "finishing \(path): \(error)")
        }
        self.segment = nil
        var released = journal.stored.filter { $0.chunk == chunk.index }
        for frame in chunk.ownRange {
            if let seam = seamPlan.seam(containing: frame), journal.stored.contains(.init(chunk: seam.index, frame: frame)) {
                released.insert(.init(chunk: seam.index, frame: frame))
            }
            for other in plan.chunks(rendering: frame) where other.index != chunk.index {
                let render = JobJournal.Render(chunk: other.index, frame: frame)
                if journal.stored.contains(render) && !keptForWarmStart(render) { released.insert(render) }
            }
        }
        try journal.recordSealed(chunk.index, released: Array(released))
        for render in released { store.remove(chunk: render.chunk, frame: render.frame) }
    }

    /// Puts a finished segment file on disk (fsync) before it is recorded sealed.
    private func syncIfDurable(_ path: String) throws {
        guard durable else { return }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.synchronize()
        try handle.close()
    }

    /// Joins the sealed segments into the output on a background thread (a long film's join
    /// takes a while, and the loop must keep heartbeating); on the call that finds it done,
    /// records the job finished and deletes the segments.
    private func join() throws(CoordinatorError) {
        guard !journal.isFinished else { return }
        if let joining {
            guard let result = joining.result else { return }
            self.joining = nil
            switch result {
            case .success:
                journal.recordFinished()
                renderEnded = .now
                try? FileManager.default.removeItem(at: segmentsDirectory)
            case .failure(let error):
                throw .jobFailed(job: id, reason: "joining the segments into \(request.output): \(error)")
            }
            return
        }
        let (window, offset) = outputWindow
        let segments = plan.chunks.map { segmentPath($0.index) }
        let output = request.output, input = request.input, timeBase = source.info.timeBase
        joining = SegmentJoin {
            try SegmentJoiner.join(segments: segments, into: output, timeBase: timeBase, copyingStreamsFrom: input,
                                   window: window, timestampOffset: offset)
        }
    }

    /// Stored renders on disk now.
    var storedFrameCount: Int { store.count() }

    func progress(workersBusy: Int, workers: Int) -> ProgressReport {
        let elapsed = renderStarted.map { (renderEnded ?? .now) - $0 } ?? .zero
        return ProgressReport(framesDone: nextOutput, framesTotal: plan.frameCount, elapsed: elapsed,
                              workersBusy: workersBusy, workers: workers)
    }

    func status(workersBusy: Int, workers: Int) -> JobStatus {
        let report = progress(workersBusy: workersBusy, workers: workers)
        return JobStatus(job: id, state: state, framesDone: report.framesDone, framesTotal: report.framesTotal,
                         fps: report.framesPerSecond ?? 0, etaSeconds: report.eta.map(\.seconds),
                         workersBusy: workersBusy, message: message, output: request.output, priority: priority)
    }

    /// Per-chunk detail for `status JOB`; `holder`, `failures` come from the scheduler.
    func chunkStatuses(holder: (Int) -> String?, failures: (Int) -> Int) -> [ChunkStatus] {
        plan.chunks.map { chunk in
            let delivered = resumePoint(chunk: chunk.index) - chunk.renderStart
            let worker = holder(chunk.index)
            let state = journal.sealedChunks.contains(chunk.index) || journal.isFinished ? "sealed"
                : delivered >= chunk.renderRange.count ? "delivered" : worker != nil ? "rendering" : "queued"
            return ChunkStatus(chunk: chunk.index, state: state, framesDelivered: journal.isFinished ? chunk.renderRange.count : delivered,
                               framesTotal: chunk.renderRange.count, worker: worker, failures: failures(chunk.index))
        }
    }

    /// Abandons the output (cancel, failure): closes the segment being written without
    /// finishing it (a retry starts over).
    func abandon() {
        segment = nil
    }

    /// Deletes the job folder (after success, in embedded mode).
    func removeFolder() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func absolute(_ frame: Int) -> Int { request.start + frame }
}
