import Engine

/// The motions between a chunk's input frames that its temporal terms need, computed once each
/// and kept: a multi-pass render asks for the same pairs on every pass, and the long-term loss
/// for pairs several frames apart (flow computed directly between the two frames, as Ruder et
/// al. do, not chained: chaining adds up each step's error and loses what was hidden between).
final class ChunkMotions {
    private let frames: [PlanarImage]
    private let flow: DISFlow
    private let describe: (Int) -> Int
    private var cache: [Pair: FrameMotion] = [:]

    private struct Pair: Hashable { let from: Int, to: Int }

    /// - Parameter absoluteIndex: maps a chunk-relative index to the film's frame number, for errors.
    init(frames: [PlanarImage], flow: DISFlow, absoluteIndex: @escaping (Int) -> Int) {
        self.frames = frames
        self.flow = flow
        describe = absoluteIndex
    }

    /// The motion that carries anything aligned with frame `from` onto frame `to`'s grid.
    func motion(from: Int, to: Int) throws(WorkerError) -> FrameMotion {
        let key = Pair(from: from, to: to)
        if let known = cache[key] { return known }
        let motion: FrameMotion
        do { motion = try FrameMotion(previous: frames[from], current: frames[to], flow: flow) } catch {
            throw .badTask("flow between frames \(describe(from)) and \(describe(to)): \(error)")
        }
        cache[key] = motion
        return motion
    }
}
