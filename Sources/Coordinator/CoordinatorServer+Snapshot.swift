import Foundation
import Protocol

extension CoordinatorServer {
    /// The dashboard's view of this coordinator now. Called on the loop thread (between steps);
    /// the value it returns shares no state with the loop, so any thread may read it.
    public func snapshot() -> FarmSnapshot {
        let now = clock.now
        let jobViews: [FarmSnapshot.Job] = order.compactMap { id in
            guard let runner = jobs[id], let status = detailedStatus(of: id) else { return nil }
            let chunks = runner.plan.chunks
            return FarmSnapshot.Job(
                status: status, request: runner.request, width: runner.width, height: runner.height,
                chunks: chunks.map { .init(index: $0.index, renderStart: $0.renderStart, ownStart: $0.ownStart, end: $0.end) },
                strip: FrameStrip(chunks: chunks, statuses: status.chunks ?? [], finalFrames: runner.nextOutput, jobState: runner.state),
                latestStored: runner.latestStored.map { .init(frame: $0.frame, chunk: $0.chunk, payload: $0.payload) },
                latestSegment: runner.latestSegment.map { .init(frame: $0.frame, chunk: $0.chunk, path: runner.segmentPath($0.chunk)) })
        }
        let workerViews: [FarmSnapshot.Worker] = scheduler.knownWorkers.map { worker in
            let held = scheduler.assignedChunks(of: worker).first
            var delivered: Int?, total: Int?
            if let held, let runner = jobs[held.job], runner.plan.chunks.indices.contains(held.chunk) {
                let chunk = runner.plan.chunks[held.chunk]
                delivered = runner.resumePoint(chunk: held.chunk) - chunk.renderStart
                total = chunk.renderRange.count
            }
            let heard = scheduler.leases.deadline(of: worker).map { now - ($0 - scheduler.leases.lease) } ?? .zero
            return FarmSnapshot.Worker(
                identity: JobStore.hex(worker.bytes), name: workers.displayName(of: worker),
                address: workers.record(of: worker)?.address, key: workers.record(of: worker)?.key, state: held == nil ? "idle" : "busy",
                job: held?.job, chunk: held?.chunk, framesDelivered: delivered, framesTotal: total,
                framesPerSecond: workers.framesPerSecond(of: worker, now: now), secondsSinceHeard: max(0, heard.seconds),
                failures: workers.failures(of: worker))
        }
        return FarmSnapshot(taken: Date(), jobs: jobViews, workers: workerViews, queuedChunks: scheduler.queuedChunkCount,
                            counters: counters, malformedMessages: malformedMessages, storePath: store.path)
    }
}
