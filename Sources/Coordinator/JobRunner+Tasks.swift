import Engine
import Foundation
import Media
import Protocol

/// Building TASKs: a chunk's (decoded frames, or the film's own packets when workers encode), a
/// seam task's (both chunks' renders of the seam), and which seams are ready to be handed out.
extension JobRunner {
    /// The TASK for `assignment`: the chunk's input frames from where it (re)starts, with the
    /// last frame it delivered as warm start when it resumes, and the job's model when this
    /// worker has not been sent it yet (`modelAttached`).
    func task(for assignment: Scheduler.Assignment, keepAlive: () -> Void = {}) throws(CoordinatorError)
        -> (message: Message, modelAttached: ModelReference?) {
        if let seam = seamPlan.seam(index: assignment.chunk.chunk) {
            return (.task(try seamPayload(seam, assignment: assignment, keepAlive: keepAlive)), nil)
        }
        if let keyframe = keyframePlan.keyframe(index: assignment.chunk.chunk) {
            let payload = try keyframePayload(keyframe, worker: assignment.worker, keepAlive: keepAlive)
            return (.task(payload), payload.model == nil ? nil : payload.spec.model)
        }
        let chunk = plan.chunks[assignment.chunk.chunk]
        if keyframePlan.isEnabled {
            return (.task(try chainPayload(chunk, assignment: assignment, keepAlive: keepAlive)), nil)
        }
        let spec = TaskSpec(job: id, chunk: UInt32(chunk.index), renderStart: absolute(chunk.renderStart),
                            ownStart: absolute(chunk.ownStart), end: absolute(chunk.end),
                            width: source.info.width, height: source.info.height, method: request.method,
                            gatys: request.gatys, styleCount: styles.count, styleWeights: styleWeights, frameCount: 0,
                            reconet: request.reconet)
        var payload = workersEncode ? try clipPayload(spec, chunk: chunk)
            : try framesPayload(spec, chunk: chunk, assignment: assignment, keepAlive: keepAlive)
        attachModel(to: &payload, for: assignment.worker)
        return (.task(payload), payload.model == nil ? nil : payload.spec.model)
    }

    /// Names the job's model in `payload`, with its bytes when `worker` has not been sent them.
    func attachModel(to payload: inout TaskPayload, for worker: WorkerID) {
        guard let next = model?.next(for: worker) else { return }
        payload.spec.model = next.reference
        payload.model = next.bytes
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
        // The same edges the coordinator's own segment of this chunk would have (`segmentEdges`).
        let edges = segmentEdges(chunk.index)
        spec.segment = SegmentSpec(scaleHeight: request.height, clipPTS: clip.pts, outputPTS: chunk.renderRange.map { source.pts(of: $0) },
                                   timeBase: [timeBase.numerator, timeBase.denominator], frameRate: [rate.numerator, rate.denominator],
                                   crf: request.crf, preset: request.preset, lossless: request.lossless,
                                   container: (segmentPath(chunk.index) as NSString).pathExtension, clipBytes: clip.bytes.count,
                                   rotation: clip.orientation.rotation, mirrored: clip.orientation.mirrored,
                                   colour: ColourTags(source.info.resolvedColour),
                                   meetsPrevious: edges.first, meetsNext: edges.last != nil, joinGain: edges.gain)
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
        let frames: [[UInt8]]
        do {
            // Decoded and encoded ahead on a thread of its own, a chunk's worth beyond this one.
            frames = try source.payloads(first..<chunk.end, ahead: plan.chunkFrames + plan.overlapFrames, limit: plan.frameCount,
                                         keepAlive: keepAlive)
        } catch { throw .badInput(path: request.input, reason: "\(error)") }
        var spec = spec
        spec.frameCount = frames.count
        spec.warmStartFrame = warm.map { absolute($0.frame) }
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
                            gatys: request.gatys, styleCount: styles.count, styleWeights: styleWeights, frameCount: images.count,
                            warmStartFrame: absolute(first - 1),
                            seam: SeamSpec(laterRenderStart: absolute(seam.later.renderStart), laterOwnStart: absolute(seam.later.ownStart),
                                           tail: request.seamTail ?? 0, seamEnd: absolute(seam.range.upperBound), anchored: seam.anchor != nil))
        return TaskPayload(spec: spec, styles: styles, frames: images.map { FramePayload.encode(width: $0.width, height: $0.height, pixels: $0.pixels) },
                           warmStart: warm, renders: renders)
    }

    /// Which render is frame `frame`'s final one, outside the stitched overlaps: a seam's when
    /// the frame is in one, a keyframe task's for a chunk's first frame with the keyframe
    /// hand-over, else its owner's.
    func finalRender(of frame: Int) -> JobJournal.Render {
        if let seam = seamPlan.seam(containing: frame) { return .init(chunk: seam.index, frame: frame) }
        if let keyframe = keyframePlan.keyframe(at: frame) { return .init(chunk: keyframe.index, frame: frame) }
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

    /// The worker features (`WorkerHello.Feature`) chunk or seam `index`'s TASK needs, all of
    /// them; none for a plain chunk, which every worker takes. A worker that encodes segments
    /// but not in the film's colour only gets BT.709 limited films, which it encodes as such; a
    /// stabilized reconet chunk goes only to a worker that stabilizes.
    func featuresNeeded(chunk index: Int) -> [String] {
        if seamPlan.seam(index: index) != nil { return [WorkerHello.Feature.seam] }
        let stabilize = request.reconet?.stabilize != nil ? [WorkerHello.Feature.stabilize] : []
        if keyframePlan.isEnabled {
            if let keyframe = keyframePlan.keyframe(index: index) {
                return keyframePlan.previous(of: keyframe) == nil ? [] : [WorkerHello.Feature.keyframeChain]
            }
            let holds = plan.chunks.indices.contains(index) && keyframePlan.hold(for: plan.chunks[index]) != nil
            return holds ? [WorkerHello.Feature.keyframeHold] : []
        }
        guard workersEncode else { return stabilize }
        let segment = source.info.orientation == .upright ? WorkerHello.Feature.segment : WorkerHello.Feature.orientedSegment
        return (source.info.resolvedColour == .bt709 ? [segment] : [segment, WorkerHello.Feature.colourSegment]) + stabilize
    }

    /// The frames chunk, seam or keyframe task `index` renders (a chain's, with the keyframe
    /// hand-over: its chunk but the keyframe).
    func renderRange(of index: Int) -> Range<Int>? {
        if plan.chunks.indices.contains(index) {
            return keyframePlan.isEnabled ? keyframePlan.chainRange(of: plan.chunks[index]) : plan.chunks[index].renderRange
        }
        if let keyframe = keyframePlan.keyframe(index: index) { return keyframe.range }
        return seamPlan.seam(index: index)?.range
    }
}
