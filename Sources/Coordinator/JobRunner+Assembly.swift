import Engine
import Foundation
import Media
import Protocol

/// From stored renders to the output file: final frames in order into per-chunk segments, each
/// sealed (fsynced, recorded) before the renders it holds are deleted, then the join.
extension JobRunner {
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
            } else if let keyframe = keyframePlan.keyframe(at: frame) {
                // A keyframe is final as its task rendered it: both chains meet it.
                guard let bytes = store.read(chunk: keyframe.index, frame: frame) else { return encoded }
                do { final = try FramePayload.decode(bytes).pixels } catch {
                    throw .jobFailed(job: id, reason: "stored keyframe \(frame) of task \(keyframe.index) is corrupt: \(error)")
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
                try segmentSink(for: owner.index)
                    .write(RGBImage(width: source.info.width, height: source.info.height, pixels: final), frame: frame, pts: source.pts(of: frame))
            } catch {
                throw .jobFailed(job: id, reason: "writing frame \(absolute(frame)) of chunk \(owner.index): \(error)")
            }
            nextOutput += 1
            encoded += 1
            if nextOutput == owner.end { try seal(owner) }
            keepAlive()
        }
        if nextOutput >= plan.frameCount { try join() }
        return encoded
    }

    /// Finishes `chunk`'s segment, puts it on disk (fsync), records it sealed, then deletes the
    /// renders it holds: the owner's, its seam's or keyframe's, and the next chunk's overlap
    /// renders except the last, which stays as that chunk's warm start until its own segment
    /// is sealed. (The next keyframe, which this chain was held toward, is the next chunk's.)
    private func seal(_ chunk: ChunkPlan.Chunk) throws(CoordinatorError) {
        guard let segment, segment.chunk == chunk.index else { return }
        do {
            try segment.sink.finish()
        } catch {
            throw .jobFailed(job: id, reason: "finishing chunk \(chunk.index)'s output: \(error)")
        }
        self.segment = nil
        var released = journal.stored.filter { $0.chunk == chunk.index }
        for frame in chunk.ownRange {
            if let seam = seamPlan.seam(containing: frame), journal.stored.contains(.init(chunk: seam.index, frame: frame)) {
                released.insert(.init(chunk: seam.index, frame: frame))
            }
            if let keyframe = keyframePlan.keyframe(at: frame), journal.stored.contains(.init(chunk: keyframe.index, frame: frame)) {
                released.insert(.init(chunk: keyframe.index, frame: frame))
            }
            for other in plan.chunks(rendering: frame) where other.index != chunk.index {
                let render = JobJournal.Render(chunk: other.index, frame: frame)
                if journal.stored.contains(render) && !keptForWarmStart(render) { released.insert(render) }
            }
        }
        // A film's segment waits in the scratch folder for the join; a sequence's frames are
        // the output itself, already in place, and hold no scratch disk.
        if outputSequence == nil, let size = Self.fileSize(segmentPath(chunk.index)) {
            disk.record(.segment(chunk: chunk.index), bytes: size)
        }
        try journal.recordSealed(chunk.index, released: Array(released))
        for render in released {
            store.remove(chunk: render.chunk, frame: render.frame)
            disk.release(.render(chunk: render.chunk, frame: render.frame))
        }
    }

    /// Puts a finished segment file on disk (fsync) before it is recorded sealed.
    func syncIfDurable(_ path: String) throws {
        guard durable else { return }
        try FileSync.synchronize(path)
    }

    /// Joins the sealed segments into the output on a background thread (a long film's join
    /// takes a while, and the loop must keep heartbeating); on the call that finds it done,
    /// records the job finished and deletes the segments.
    private func join() throws(CoordinatorError) {
        guard !journal.isFinished else { return }
        if outputSequence != nil {
            // The sealed chunks' pictures are the output: nothing to join.
            journal.recordFinished()
            renderEnded = clock.now
            try? FileManager.default.removeItem(at: segmentsDirectory)
            return
        }
        if let joining {
            guard let result = joining.result else { return }
            self.joining = nil
            switch result {
            case .success:
                journal.recordFinished()
                renderEnded = clock.now
                try? FileManager.default.removeItem(at: segmentsDirectory)
                disk.releaseSegments()
            case .failure(let error):
                throw .jobFailed(job: id, reason: "joining the segments into \(request.output): \(error)")
            }
            return
        }
        let (window, offset) = outputWindow
        let segments = plan.chunks.map { segmentPath($0.index) }
        // An image sequence has no sound or subtitles to copy.
        let output = request.output, input = source.sequenceRate == nil ? request.input : nil, timeBase = source.info.timeBase
        joining = SegmentJoin {
            try SegmentJoiner.join(segments: segments, into: output, timeBase: timeBase, copyingStreamsFrom: input,
                                   window: window, timestampOffset: offset)
        }
    }
}
