import Media
import Protocol

/// One chunk as a renderer sees it: the spec, the style images and the input frames, decoded.
public struct ChunkInput: Sendable {
    public var spec: TaskSpec
    public var styles: [RGBImage]
    /// Input frames `spec.firstInputFrame ..< spec.end`, in order.
    public var frames: [RGBImage]
    /// The already-styled frame `spec.warmStartFrame` when the chunk resumes after another
    /// worker died; rendering continues with the frame after it.
    public var warmStart: RGBImage?
    /// The model file's bytes when the TASK carried them (`spec.model` attached).
    public var model: [UInt8]?
    /// A seam task's renders of the frames it refines, in `SeamSpec`'s order; or the next
    /// keyframe's render (`spec.hold`).
    public var renders: [RGBImage] = []
    /// True once the chunk was taken back or the worker is stopping: a renderer that works
    /// long between two `emit`s (a multi-pass render's earlier passes) asks it and throws
    /// `WorkerError.cancelled`.
    public var shouldStop: @Sendable () -> Bool = { false }
    /// A line about the render's progress (a Gatys frame's iterations), for the worker's log and
    /// the coordinator's: an optimised frame takes long enough that users want to see each.
    public var report: @Sendable (String) -> Void = { _ in }

    public init(spec: TaskSpec, styles: [RGBImage], frames: [RGBImage], warmStart: RGBImage? = nil, model: [UInt8]? = nil) {
        self.spec = spec
        self.styles = styles
        self.frames = frames
        self.warmStart = warmStart
        self.model = model
    }

    /// The absolute index of `frames[i]`.
    public func frameIndex(_ i: Int) -> Int {
        // A keyframe task from the previous keyframe: its two frames lie a chunk apart.
        if let from = spec.keyframeFrom { return i == 0 ? from : spec.renderStart }
        return spec.firstInputFrame + i
    }

    /// The frames to render: all of them, or all but the first when that one is the warm start,
    /// and but the last when that one is the next keyframe's input (`spec.hold`).
    public var framesToRender: Range<Int> { (warmStart == nil ? 0 : 1)..<(frames.count - (spec.hold == nil ? 0 : 1)) }
}

/// Where a styling method plugs into the worker: given a chunk's frames, produce its styled
/// frames one by one, in order, handing each to `emit` as soon as it is final so that the
/// coordinator stores it (and a dying worker loses as little as possible).
///
/// `emit` throws `WorkerError.cancelled` once the coordinator takes the chunk back; a renderer
/// lets that error through and stops. `GatysChunkRenderer` and `ReCoNetChunkRenderer` implement this
/// protocol; `RendererFactory` is the dispatch.
public protocol FrameRenderer: Sendable {
    func render(_ chunk: ChunkInput, emit: (_ frame: Int, _ image: RGBImage) throws -> Void) throws
}

/// `copy`: every output frame is its input frame. Exercises the farm without the engine, and
/// makes every stitched overlap exact.
public struct CopyRenderer: FrameRenderer {
    public init() {}
    public func render(_ chunk: ChunkInput, emit: (Int, RGBImage) throws -> Void) throws {
        for i in chunk.framesToRender { try emit(chunk.frameIndex(i), chunk.frames[i]) }
    }
}

/// `sleep:MS`: `copy` after sleeping MS milliseconds per frame, so that a test can kill a
/// worker in the middle of a chunk.
public struct SleepRenderer: FrameRenderer {
    public let milliseconds: Int
    public init(milliseconds: Int) { self.milliseconds = milliseconds }
    public func render(_ chunk: ChunkInput, emit: (Int, RGBImage) throws -> Void) throws {
        for i in chunk.framesToRender {
            try WorkerClock.sleep(.milliseconds(milliseconds))
            try emit(chunk.frameIndex(i), chunk.frames[i])
        }
    }
}
