import Foundation
import Media
import Protocol

/// One job from its planned chunks to its finished output file: builds each chunk's TASK, stores
/// and records every result before it is acknowledged, stitches overlaps and hands final frames
/// to the encoder in order, deleting their stored copies once encoded.
///
/// Frame numbers inside the runner are relative to the job's first frame (`--start`); messages
/// carry absolute input frame numbers, converted here and nowhere else.
///
/// Job folder: `journal` (see `JobJournal`), `frames/` (see `FrameStore`), `request.json`.
final class JobRunner {
    let id: UInt32
    let request: JobRequest
    let directory: URL
    let plan: ChunkPlan
    private let source: InputFrameSource
    private let store: FrameStore
    private let journal: JobJournal
    private var writer: VideoWriter?
    private let styles: [[UInt8]]
    private let styleWeights: [Double]
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
    /// The next relative frame to encode.
    private(set) var nextOutput = 0
    /// The newest render each chunk delivered in order: the warm start if the chunk must move.
    private var lastRender: [Int: (frame: Int, payload: [UInt8])] = [:]
    var state: JobStatus.State = .queued
    var message = ""
    private(set) var renderStarted: ContinuousClock.Instant?
    private(set) var renderEnded: ContinuousClock.Instant?

    var frameCount: Int { plan.frameCount }
    var width: Int { source.info.width }
    var height: Int { source.info.height }
    var isComplete: Bool { nextOutput >= plan.frameCount && writer == nil && journal.isFinished }

    /// Opens the input (failing early on a missing, corrupt or non-video file), loads the style
    /// images, plans the chunks and opens the output encoder.
    init(id: UInt32, request: JobRequest, directory: URL, durable: Bool = true) throws(CoordinatorError) {
        self.id = id
        self.request = request
        self.directory = directory
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
        parameters = request.parameters
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(JSONPayload.encode(request)).write(to: directory.appendingPathComponent("request.json"))
        } catch {
            throw .cannotWrite(path: directory.path, reason: "\(error)")
        }
        store = try FrameStore(directory: directory.appendingPathComponent("frames"))
        journal = try JobJournal(url: directory.appendingPathComponent("journal"), durable: durable)
    }

    /// Takes up a job folder left by an earlier coordinator process: a finished job counts as
    /// done; an unfinished one as failed, because its partly encoded output died with that
    /// process (`retry` renders it again). Resuming mid-job needs per-chunk output segments.
    func restore() {
        if journal.isFinished {
            nextOutput = plan.frameCount
            state = .done
            message = "done: \(request.output)"
        } else {
            state = .failed
            message = "interrupted by a coordinator restart; retry starts it again"
        }
    }

    /// Chunk k's render range, for the scheduler.
    var chunkRanges: [Range<Int>] { plan.chunks.map(\.renderRange) }

    /// Opens the encoder; called when the job starts running.
    func open() throws(CoordinatorError) {
        guard writer == nil, !journal.isFinished else { return }
        do {
            // A slice (--start/--frames) keeps only its stretch of sound and starts at zero.
            let isSlice = plan.frameCount < source.info.frameCount
            let first = source.pts(of: 0)
            let window = isSlice ? TimeWindow(start: first, end: plan.frameCount + request.start < source.info.frameCount
                                                ? source.pts(of: plan.frameCount) : nil, timeBase: source.info.timeBase) : nil
            writer = try VideoWriter(path: request.output, width: source.info.width, height: source.info.height,
                                     frameRate: source.info.frameRate, timeBase: source.info.timeBase,
                                     options: EncoderOptions(crf: request.crf, preset: request.preset, lossless: request.lossless),
                                     copyingStreamsFrom: request.input, window: window,
                                     timestampOffset: isSlice ? first - source.info.startPTS : 0)
        } catch {
            throw .cannotWrite(path: request.output, reason: "\(error)")
        }
        renderStarted = renderStarted ?? .now
    }

    /// The TASK for `assignment`: the chunk's input frames from where it (re)starts, with the
    /// last frame it delivered as warm start when it resumes.
    func task(for assignment: Scheduler.Assignment, keepAlive: () -> Void = {}) throws(CoordinatorError) -> Message {
        let chunk = plan.chunks[assignment.chunk.chunk]
        var warm: (frame: Int, payload: [UInt8])?
        if assignment.isResumption {
            let frame = assignment.firstFrame - 1
            if let last = lastRender[chunk.index], last.frame == frame {
                warm = last
            } else if let stored = store.read(chunk: chunk.index, frame: frame) {
                warm = (frame, stored)
            }
        }
        // Without the warm-start render the chunk starts over: duplicates are stored once.
        let first = warm?.frame ?? chunk.renderStart
        let images: [RGBImage]
        do { images = try source.frames(first..<chunk.end, keepAlive: keepAlive) } catch { throw .badInput(path: request.input, reason: "\(error)") }
        let spec = TaskSpec(job: id, chunk: UInt32(chunk.index), renderStart: absolute(chunk.renderStart),
                            ownStart: absolute(chunk.ownStart), end: absolute(chunk.end),
                            width: source.info.width, height: source.info.height, method: request.method,
                            parameters: parameters, styleCount: styles.count, styleWeights: styleWeights,
                            frameCount: images.count, warmStartFrame: warm.map { absolute($0.frame) })
        let frames = images.map { FramePayload.encode(width: $0.width, height: $0.height, pixels: $0.pixels) }
        return .task(TaskPayload(spec: spec, styles: styles, frames: frames, warmStart: warm?.payload))
    }

    /// Where a result can resume a chunk: the first relative frame not delivered in order.
    func resumePoint(chunk: Int) -> Int {
        let range = plan.chunks[chunk].renderRange
        var frame = range.lowerBound
        while frame < range.upperBound && (journal.stored.contains(.init(chunk: chunk, frame: frame)) || journal.encoded.contains(frame)) {
            frame += 1
        }
        return frame
    }

    /// Stores and records RESULT `absoluteFrame` of `chunk` (durably, before the caller acks).
    /// Returns the relative frame, or throws `DecodeError` for a result that does not belong to
    /// this job or does not hold a frame of the job's size.
    func accept(chunk: Int, absoluteFrame: Int, payload: [UInt8]) throws -> Int {
        let frame = absoluteFrame - request.start
        guard plan.chunks.indices.contains(chunk), plan.chunks[chunk].renderRange.contains(frame) else {
            throw DecodeError.badPayload("result for frame \(absoluteFrame) outside chunk \(chunk) of job \(id)")
        }
        let size = try FramePayload.size(of: payload)
        guard size.width == source.info.width, size.height == source.info.height else {
            throw DecodeError.badPayload("result frame is \(size.width)x\(size.height), job \(id) renders \(source.info.width)x\(source.info.height)")
        }
        _ = try FramePayload.decode(payload) // the whole block must decompress before it is stored
        if (lastRender[chunk]?.frame ?? Int.min) < frame { lastRender[chunk] = (frame, payload) }
        let render = JobJournal.Render(chunk: chunk, frame: frame)
        guard !journal.encoded.contains(frame), !journal.stored.contains(render) else { return frame }
        try store.write(payload, chunk: chunk, frame: frame)
        try journal.recordStored(render)
        return frame
    }

    func chunkDone(_ chunk: Int) throws {
        try journal.recordChunkDone(chunk)
        lastRender[chunk] = nil
    }

    /// Encodes frames that are final (every render covering them stored), in order, for about
    /// `budget` (at least one frame), so that the coordinator's loop stays responsive;
    /// `keepAlive` runs after every frame (the loop heartbeats from it).
    /// Returns how many were encoded; finishes the output after the last frame.
    @discardableResult
    func assemble(budget: Duration = .milliseconds(150), keepAlive: () -> Void = {}) throws(CoordinatorError) -> Int {
        guard let writer else { return 0 }
        var encoded = 0
        let deadline = ContinuousClock.now + budget
        while (encoded == 0 || ContinuousClock.now < deadline) && nextOutput < plan.frameCount {
            let frame = nextOutput
            let renders = plan.chunks(rendering: frame)
            var pixels: [[UInt8]] = []
            for chunk in renders {
                guard let bytes = store.read(chunk: chunk.index, frame: frame) else { return encoded }
                do { pixels.append(try FramePayload.decode(bytes).pixels) } catch {
                    throw .jobFailed(job: id, reason: "stored frame \(frame) of chunk \(chunk.index) is corrupt: \(error)")
                }
            }
            let final: [UInt8]
            do {
                let last = renders[renders.count - 1]
                final = try stitcher.final(frame: frame, renders: pixels, position: frame - last.renderStart, overlapLength: last.overlapRange.count)
            } catch {
                throw .jobFailed(job: id, reason: "stitching frame \(frame): \(error)")
            }
            do {
                try writer.write(RGBImage(width: source.info.width, height: source.info.height, pixels: final), pts: source.pts(of: frame))
                try journal.recordEncoded(frame)
            } catch {
                throw .jobFailed(job: id, reason: "writing \(request.output): \(error)")
            }
            for chunk in renders { store.remove(chunk: chunk.index, frame: frame) }
            nextOutput += 1
            encoded += 1
            keepAlive()
        }
        if nextOutput >= plan.frameCount {
            do {
                try writer.finish()
                try journal.recordFinished()
            } catch {
                throw .jobFailed(job: id, reason: "finishing \(request.output): \(error)")
            }
            self.writer = nil
            renderEnded = .now
        }
        return encoded
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
                         workersBusy: workersBusy, message: message, output: request.output)
    }

    /// Abandons the output (cancel, failure): closes the encoder without finishing the file.
    func abandon() {
        writer = nil
    }

    /// Deletes the job folder (after success, in embedded mode).
    func removeFolder() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func absolute(_ frame: Int) -> Int { request.start + frame }
}
