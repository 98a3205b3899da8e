import Engine
import Foundation
import Logging
import Media
import ProcessSupport
import Protocol

/// One chunk being rendered on a background thread, so that the worker's socket thread keeps
/// heartbeating and reading ACK and CANCEL while a long frame renders.
///
/// The render thread never touches the socket: it hands finished messages to `outbox`, which
/// the socket thread drains. At most `window` results may wait for their ACK; the render thread
/// blocks beyond that, so a slow network throttles rendering instead of filling memory.
final class ChunkJob: @unchecked Sendable {
    let job: UInt32
    let chunk: UInt32
    let window: Int
    private let condition = NSCondition()
    private var outbox: [Message] = []
    private var unacknowledged: Set<UInt32> = []
    private var cancelled = false
    /// Set by a graceful stop: the frame being rendered is finished and posted, then no more.
    private var stopping = false
    private(set) var finished = false
    /// The render thread's frame times, read by a stopping worker (under `condition`).
    private var pace = FramePace(started: .now)

    /// Lines about this chunk go here and, at or above its level, to the coordinator (LOG).
    let logger: Logger
    /// How logs name this task: "job J chunk C", or "job J seam task C" for a seam task, whose
    /// index follows the plan's chunks (so "chunk 2" of a two-chunk job would mislead).
    private(set) var name: String

    init(job: UInt32, chunk: UInt32, window: Int = 8, logger: Logger = LineLogHandler.logger("vst-worker")) {
        self.job = job
        self.chunk = chunk
        self.window = window
        self.logger = logger
        name = "job \(job) chunk \(chunk)"
    }

    /// Decodes the task and renders it on a new thread; the last message it posts is
    /// CHUNK_DONE or CHUNK_FAILED (or nothing when cancelled).
    func start(_ task: TaskPayload, renderer: any FrameRenderer) {
        if task.spec.seam != nil { name = "job \(job) seam task \(chunk)" }
        let spec = task.spec
        // The compressed frames are let go once decoded: a 1080p chunk's are a hundred MB or more.
        let compressed = TaskHolder(task)
        let thread = Thread { [self] in
            // The flow keeps up to 256 MB of scratch between calls, and the heap keeps freed
            // frames; a worker between chunks holds neither.
            defer {
                DISFlow.releaseCachedMemory()
                HeapTrim.releaseFreePages()
            }
            let started = ContinuousClock.now
            var rendered = 0
            do {
                var input = try Self.decode(compressed.take())
                input.shouldStop = { [weak self] in self?.isStopping ?? true }
                input.report = { [weak self] line in self?.ship(.info, "\(self?.name ?? ""): \(line)") }
                condition.lock()
                pace = FramePace(started: .now)
                condition.unlock()
                ship(.info, "\(name): rendering frames \(spec.firstInputFrame)...\(spec.end - 1) with \(spec.method)"
                     + (spec.warmStartFrame.map { ", warm-started from frame \($0)" } ?? ""))
                // A chunk its worker encodes goes back as one SEGMENT; any other frame by frame.
                let segment = try spec.segment.map { segment throws(MediaError) in
                    try ChunkSegmentWriter(segment, width: spec.width, height: spec.height)
                }
                try renderer.render(input) { frame, image in
                    if let segment {
                        try self.checkGoingOn()
                        try segment.write(image)
                        self.frameEnded()
                    } else {
                        try self.post(frame: frame, image: image)
                    }
                    rendered += 1
                }
                if let segment { try post(segment: try segment.finish(), firstFrame: spec.renderStart) }
                let elapsed = (ContinuousClock.now - started).components
                let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
                ship(.info, "\(name): \(rendered) frames in \(String(format: "%.1f", seconds)) s (\(String(format: "%.2f", Double(rendered) / max(seconds, 1e-3))) frames/s)")
                finish(with: .chunkDone(job: job, chunk: chunk))
            } catch WorkerError.cancelled {
                finish(with: nil)
            } catch {
                ship(.error, "\(name) failed after \(rendered) frames: \(error)")
                finish(with: .chunkFailed(job: job, chunk: chunk, reason: "\(error)"))
            }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Messages ready to send, oldest first; and whether the render has ended.
    func drain() -> (messages: [Message], finished: Bool) {
        condition.lock()
        defer { condition.unlock() }
        let messages = outbox
        outbox.removeAll()
        return (messages, finished)
    }

    func acknowledge(frame: UInt32) {
        condition.lock()
        unacknowledged.remove(frame)
        condition.broadcast()
        condition.unlock()
    }

    /// Whether the frame being rendered is expected to end by `deadline`, from this chunk's own
    /// frame times (true before the first frame has ended: see `FramePace`). True once the
    /// render has ended: then only ACKs are awaited, and they come within the grace or not at all.
    func currentFrameEnds(by deadline: ContinuousClock.Instant) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return finished || pace.currentFrameEnds(by: deadline)
    }

    /// How long the last frame of this chunk took, for a stopping worker's log line.
    var lastFrameTime: Duration? {
        condition.lock()
        defer { condition.unlock() }
        return pace.lastFrame
    }

    /// Graceful shutdown (SIGTERM): the frame being rendered is finished and sent, then the
    /// render ends without CHUNK_DONE, so the coordinator resumes the chunk elsewhere from the
    /// next frame once the worker says BYE.
    func finishCurrentFrame() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    /// True when the render has ended and every result it posted was acknowledged.
    var isSettled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return finished && unacknowledged.isEmpty && outbox.isEmpty
    }

    func cancel() {
        condition.lock()
        cancelled = true
        outbox.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    private func post(frame: Int, image: RGBImage) throws {
        let message = Message.result(job: job, chunk: chunk, frame: UInt32(frame),
                                     width: image.width, height: image.height, pixels: image.pixels)
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && !stopping && unacknowledged.count >= window { condition.wait() }
        if cancelled { throw WorkerError.cancelled }
        unacknowledged.insert(UInt32(frame))
        outbox.append(message)
        pace.frameEnded(at: .now)
        if stopping { throw WorkerError.cancelled }
    }

    private func frameEnded() {
        condition.lock()
        pace.frameEnded(at: .now)
        condition.unlock()
    }

    /// Throws `cancelled` once the chunk is taken back or the worker is stopping: a segment
    /// is sent whole or not at all, so a stop hands the whole chunk back.
    private var isStopping: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled || stopping
    }

    private func checkGoingOn() throws {
        condition.lock()
        defer { condition.unlock() }
        if cancelled || stopping { throw WorkerError.cancelled }
    }

    private func post(segment file: [UInt8], firstFrame: Int) throws {
        condition.lock()
        defer { condition.unlock() }
        if cancelled || stopping { throw WorkerError.cancelled }
        unacknowledged.insert(UInt32(firstFrame))
        outbox.append(.segment(job: job, chunk: chunk, firstFrame: UInt32(firstFrame), file: file))
    }

    /// Logs `text` here and sends it to the coordinator as LOG, when `level` passes the logger's.
    private func ship(_ level: Logger.Level, _ text: String) {
        logger.log(level: level, "\(text)")
        guard level >= logger.logLevel else { return }
        condition.lock()
        if !cancelled { outbox.append(.log(job: job, chunk: chunk, WorkerLogLine(level: level.rawValue, message: text))) }
        condition.unlock()
    }

    private func finish(with message: Message?) {
        condition.lock()
        if let message, !cancelled { outbox.append(message) }
        finished = true
        condition.unlock()
    }

    static func decode(_ task: TaskPayload) throws -> ChunkInput {
        let spec = task.spec
        func image(_ bytes: [UInt8], _ what: String) throws -> RGBImage {
            do {
                let frame = try FramePayload.decode(bytes)
                return RGBImage(width: frame.width, height: frame.height, pixels: frame.pixels)
            } catch {
                throw WorkerError.badTask("\(what): \(error)")
            }
        }
        let styles = try task.styles.enumerated().map { try image($0.element, "style \($0.offset)") }
        var frames = try task.frames.enumerated().map { try image($0.element, "frame \(spec.firstInputFrame + $0.offset)") }
        if let segment = spec.segment, let clip = task.clip {
            do {
                let orientation = Orientation(rotation: segment.rotation ?? 0, mirrored: segment.mirrored ?? false)
                frames = try VideoClip(bytes: clip, pts: segment.clipPTS, orientation: orientation).frames(height: segment.scaleHeight)
            } catch {
                throw WorkerError.badTask("input clip: \(error)")
            }
        }
        for (i, frame) in frames.enumerated() where frame.width != spec.width || frame.height != spec.height {
            throw WorkerError.badTask("frame \(spec.firstInputFrame + i) is \(frame.width)x\(frame.height), the task says \(spec.width)x\(spec.height)")
        }
        let warm = try task.warmStart.map { try image($0, "warm-start frame") }
        let renders = try task.renders.enumerated().map { try image($0.element, "seam render \($0.offset)") }
        for (i, render) in renders.enumerated() where render.width != spec.width || render.height != spec.height {
            throw WorkerError.badTask("seam render \(i) is \(render.width)x\(render.height), the task says \(spec.width)x\(spec.height)")
        }
        var input = ChunkInput(spec: spec, styles: styles, frames: frames, warmStart: warm, model: task.model)
        input.renders = renders
        return input
    }
}
