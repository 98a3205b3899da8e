import Protocol

/// What a job reports of itself: its planned and delivered renders, the progress line, the
/// status of `vst-coord status` and each chunk's detail. Read-only views of the runner's state.
extension JobRunner {
    /// Every task of the job by its scheduler index: chunks, then seam or keyframe tasks.
    var taskIndices: [Int] { plan.chunks.map(\.index) + seamPlan.seams.map(\.index) + keyframePlan.keyframes.map(\.index) }

    /// Renders the job plans: every frame of every chunk (its overlap included), of every seam
    /// task and of every keyframe task. The work bar counts these, so that it moves while
    /// workers render overlaps, seams and keyframes that no final frame comes out of yet.
    var rendersTotal: Int {
        taskIndices.reduce(0) { $0 + (renderRange(of: $1)?.count ?? 0) }
    }

    /// Planned renders delivered: for each chunk and seam task, its frames delivered in order
    /// (stored, or already encoded), which never goes down as renders are encoded and deleted.
    var rendersDone: Int {
        if journal.isFinished { return rendersTotal }
        return taskIndices.reduce(0) { sum, index in
            guard let range = renderRange(of: index) else { return sum }
            return sum + resumePoint(chunk: index) - range.lowerBound
        }
    }

    func progress(workersBusy: Int, workers: Int) -> ProgressReport {
        let elapsed = renderStarted.map { (renderEnded ?? clock.now) - $0 } ?? .zero
        return ProgressReport(framesDone: nextOutput, framesTotal: plan.frameCount, rendersDone: rendersDone,
                              rendersTotal: rendersTotal, elapsed: elapsed, workersBusy: workersBusy, workers: workers)
    }

    func status(workersBusy: Int, workers: Int) -> JobStatus {
        let report = progress(workersBusy: workersBusy, workers: workers)
        var status = JobStatus(job: id, state: state, framesDone: report.framesDone, framesTotal: report.framesTotal,
                               fps: report.framesPerSecond ?? 0, etaSeconds: report.eta.map(\.seconds),
                               workersBusy: workersBusy, message: message, output: request.output, priority: priority)
        status.rendersDone = report.rendersDone
        status.rendersTotal = report.rendersTotal
        status.elapsedSeconds = report.elapsed.seconds
        status.diskBytes = disk.bytes
        status.peakDiskBytes = disk.peak
        return status
    }

    /// The line the coordinator logs when the job is done.
    var summary: String {
        "job \(id) done: \(frameCount) frames in \(request.output), peak disk \(ByteCount.format(disk.peak))"
    }

    /// Per-chunk detail for `status JOB`; `holder`, `failures` come from the scheduler.
    func chunkStatuses(holder: (Int) -> String?, failures: (Int) -> Int) -> [ChunkStatus] {
        plan.chunks.map { chunk in
            let range = renderRange(of: chunk.index) ?? chunk.renderRange
            let delivered = resumePoint(chunk: chunk.index) - range.lowerBound
            let worker = holder(chunk.index)
            let state = journal.sealedChunks.contains(chunk.index) || journal.isFinished ? "sealed"
                : delivered >= range.count ? "delivered" : worker != nil ? "rendering" : "queued"
            return ChunkStatus(chunk: chunk.index, state: state, framesDelivered: journal.isFinished ? range.count : delivered,
                               framesTotal: range.count, worker: worker, failures: failures(chunk.index))
        }
    }
}
