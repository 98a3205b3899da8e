import Engine
import Foundation
import Media
import Protocol

/// The keyframe hand-over's TASKs (`KeyframePlan`): a keyframe task's (one input frame), a
/// chain's (its input frames from its warm start, and the next keyframe's frame and render
/// when it holds toward it), and which of them are ready to be handed out.
extension JobRunner {
    /// A keyframe task: the chunk's first frame. The first keyframe starts from its content; every
    /// later one from the keyframe before it (`TaskSpec.keyframeFrom`: that keyframe's input
    /// frame and render come with it), so still parts of the picture start where the previous
    /// chunk's did and keyframes cost what a warm-started frame costs.
    func keyframePayload(_ keyframe: KeyframePlan.Keyframe, worker: WorkerID, keepAlive: () -> Void) throws(CoordinatorError) -> TaskPayload {
        let previous = keyframePlan.previous(of: keyframe)
        let images: [RGBImage]
        do {
            images = try (previous.map { try keyframeSource.get().frames($0.range, keepAlive: keepAlive) } ?? [])
                + keyframeSource.get().frames(keyframe.range, keepAlive: keepAlive)
        } catch {
            throw .badInput(path: request.input, reason: "\(error)")
        }
        var warm: [UInt8]?
        if let previous {
            if let last = lastRender[previous.index], last.frame == previous.frame {
                warm = last.payload
            } else {
                guard let bytes = store.read(chunk: previous.index, frame: previous.frame) else {
                    throw .jobFailed(job: id, reason: "the render of keyframe \(previous.frame) is gone")
                }
                warm = bytes
            }
        }
        let frame = absolute(keyframe.frame), from = previous.map { absolute($0.frame) }
        let spec = TaskSpec(job: id, chunk: UInt32(keyframe.index), renderStart: frame, ownStart: frame, end: frame + 1,
                            width: source.info.width, height: source.info.height, method: request.method,
                            gatys: request.gatys, styleCount: styles.count, styleWeights: styleWeights, frameCount: images.count,
                            warmStartFrame: from, keyframeFrom: from)
        var payload = TaskPayload(spec: spec, styles: styles, frames: images.map { FramePayload.encode(width: $0.width, height: $0.height, pixels: $0.pixels) },
                                  warmStart: warm)
        // The first keyframe starts from the job's model when it has one; the others from the spine.
        if previous == nil { attachModel(to: &payload, for: worker) }
        return payload
    }

    /// A chain from `assignment.firstFrame`: warm-started from the final render of the frame
    /// before (its keyframe, or its own last delivered frame when it resumes), and, when it holds
    /// toward the next keyframe, that keyframe's input frame after its own and its render.
    func chainPayload(_ chunk: ChunkPlan.Chunk, assignment: Scheduler.Assignment,
                      keepAlive: () -> Void) throws(CoordinatorError) -> TaskPayload {
        func stored(_ render: JobJournal.Render) throws(CoordinatorError) -> [UInt8] {
            if let last = lastRender[render.chunk], last.frame == render.frame { return last.payload }
            guard let bytes = store.read(chunk: render.chunk, frame: render.frame) else {
                throw .jobFailed(job: id, reason: "the render of frame \(render.frame) by task \(render.chunk) for chunk \(chunk.index) is gone")
            }
            return bytes
        }
        let first = assignment.firstFrame
        let warm = try stored(finalRender(of: first - 1))
        let hold = keyframePlan.hold(for: chunk)
        let images: [RGBImage]
        do { images = try source.frames((first - 1)..<(chunk.end + (hold == nil ? 0 : 1)), keepAlive: keepAlive) } catch {
            throw .badInput(path: request.input, reason: "\(error)")
        }
        let renders = hold == nil ? [] : [try stored(.init(chunk: hold!.keyframe.index, frame: hold!.keyframe.frame))]
        // The chain's range runs from its keyframe, which it never renders (always its warm start
        // when it starts, so a resumed chain's warm start lies inside the range as a chunk's does).
        let spec = TaskSpec(job: id, chunk: UInt32(chunk.index), renderStart: absolute(chunk.ownStart), ownStart: absolute(chunk.ownStart + 1),
                            end: absolute(chunk.end), width: source.info.width, height: source.info.height, method: request.method,
                            gatys: request.gatys, styleCount: styles.count, styleWeights: styleWeights, frameCount: images.count,
                            warmStartFrame: absolute(first - 1),
                            hold: hold.map { HoldSpec(keyframe: absolute($0.keyframe.frame), frames: $0.frames) })
        return TaskPayload(spec: spec, styles: styles, frames: images.map { FramePayload.encode(width: $0.width, height: $0.height, pixels: $0.pixels) },
                           warmStart: warm, renders: renders)
    }

    /// Keyframe tasks and chains that the scheduler has not been given (each once per process)
    /// and can start now, with where each starts: a keyframe once the one before it is stored (the
    /// first at once); a chain once its own keyframe and the one it holds toward are stored. A finished task is only marked.
    func readyKeyframeTasks() -> [(index: Int, range: Range<Int>, resumeAt: Int)] {
        var ready: [(index: Int, range: Range<Int>, resumeAt: Int)] = []
        func stored(_ keyframe: KeyframePlan.Keyframe) -> Bool {
            journal.stored.contains(.init(chunk: keyframe.index, frame: keyframe.frame))
        }
        for keyframe in keyframePlan.keyframes where !keyframeTasksQueued.contains(keyframe.index) {
            // Each keyframe starts from the one before: it waits until that one is stored.
            if let previous = keyframePlan.previous(of: keyframe), !stored(previous) { continue }
            keyframeTasksQueued.insert(keyframe.index)
            let first = resumePoint(chunk: keyframe.index)
            if first < keyframe.range.upperBound { ready.append((keyframe.index, keyframe.range, first)) }
        }
        for chunk in plan.chunks where keyframePlan.isEnabled && !keyframeTasksQueued.contains(chunk.index) {
            let range = keyframePlan.chainRange(of: chunk), first = resumePoint(chunk: chunk.index)
            if first >= range.upperBound {
                keyframeTasksQueued.insert(chunk.index)
                continue
            }
            // Its warm start: the keyframe (or its own frame before, when it resumes) must be stored.
            guard journal.stored.contains(finalRender(of: first - 1)) else { continue }
            if let hold = keyframePlan.hold(for: chunk), !stored(hold.keyframe) { continue }
            keyframeTasksQueued.insert(chunk.index)
            ready.append((chunk.index, range, first))
        }
        return ready
    }
}
