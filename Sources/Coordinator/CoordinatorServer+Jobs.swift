import Foundation
import Protocol

/// Jobs on the coordinator: queueing one, its status and progress, and the control actions
/// (cancel, pause, resume, retry, priority).
extension CoordinatorServer {
    /// Hands the scheduler `runner`'s tasks that wait for other renders and can start now: seam
    /// tasks whose renders are all stored (`--seam-refine`), keyframe tasks and the chains whose
    /// keyframes are stored (`--handover keyframe`).
    func queueReadyTasks(_ runner: JobRunner) {
        for task in runner.readySeams() + runner.readyKeyframeTasks() {
            scheduler.addChunk(runner.id, index: task.index, range: task.range, resumeAt: task.resumeAt)
        }
    }

    /// Queues a job; fails at once (before any work) for a bad input, style or option.
    @discardableResult
    public func addJob(_ request: JobRequest, priority: Int = 0) throws(CoordinatorError) -> UInt32 {
        let id = try store.insertJob(request, priority: priority)
        let runner: JobRunner
        do {
            runner = try JobRunner(id: id, request: request, directory: jobsDirectory.appendingPathComponent("\(id)"),
                                   store: store, durable: settings.durable, priority: priority, clock: clock)
        } catch {
            // A bad input never becomes a job.
            store.deleteJob(id)
            try? FileManager.default.removeItem(at: jobsDirectory.appendingPathComponent("\(id)"))
            throw error
        }
        jobs[id] = runner
        order.append(id)
        scheduler.addJob(id, ranges: runner.chunkRanges, priority: priority)
        queueReadyTasks(runner)
        settings.log("job \(id): \(runner.frameCount) frames \(runner.width)x\(runner.height) in \(runner.plan.chunks.count) chunks, method \(request.method)"
                     + "; colour \(runner.source.info.resolvedColour)"
                     + (runner.workersEncode ? "; workers encode their own segments" : "")
                     + (runner.seamPlan.seams.isEmpty ? "" : "; \(runner.seamPlan.seams.count) seam tasks")
                     + (runner.keyframePlan.isEnabled ? "; \(runner.keyframePlan.keyframes.count) keyframe tasks, \(runner.keyframePlan.holdFrames) frames held" : "")
                     + (request.method == .gatys ? runner.request.model.map { "; chunks start from \($0)'s render" } ?? "" : ""))
        return id
    }

    /// An unfinished job (queued, running or paused, from an earlier run in this data folder)
    /// with exactly this request: what an embedded `submit` resumes after a crash.
    func unfinishedJob(matching request: JobRequest) -> UInt32? {
        order.first { id in jobs[id].map { $0.request == request && [.queued, .running, .paused].contains($0.state) } ?? false }
    }

    /// Unfinished jobs, oldest first.
    var unfinishedJobs: [UInt32] {
        order.filter { id in jobs[id].map { [.queued, .running, .paused].contains($0.state) } ?? false }
    }

    public func status(of job: UInt32) -> JobStatus? {
        jobs[job].map { $0.status(workersBusy: busyWorkers(of: $0.id), workers: scheduler.workerCount) }
    }

    public func statuses() -> [JobStatus] { order.compactMap { status(of: $0) } }

    /// One job's status with a line per chunk: its state, frames delivered, worker, failures.
    public func detailedStatus(of job: UInt32) -> JobStatus? {
        guard var status = status(of: job), let runner = jobs[job] else { return nil }
        status.chunks = runner.chunkStatuses(
            holder: { chunk in self.scheduler.holder(of: .init(job: job, chunk: chunk)).map(self.workers.displayName) },
            failures: { chunk in self.scheduler.failures(of: .init(job: job, chunk: chunk)) })
        return status
    }

    public func progress(of job: UInt32) -> ProgressReport? {
        jobs[job].map { $0.progress(workersBusy: busyWorkers(of: $0.id), workers: scheduler.workerCount) }
    }

    /// The job's summary line (`JobRunner.summary`), as logged when it is done.
    func summary(of job: UInt32) -> String? { jobs[job]?.summary }

    /// Removes the job's folder (embedded submit does this after success).
    func removeFolder(of job: UInt32) { jobs[job]?.removeFolder() }

    /// Stored renders waiting to be encoded, for the tests of the no-pile-up rule.
    func storedFrameCount(of job: UInt32) -> Int { jobs[job]?.storedFrameCount ?? 0 }

    /// Cancel, pause, resume or retry a job, or set its `priority`; returns its state after the action.
    public func control(_ job: UInt32, _ action: ControlRequest.Action, priority: Int? = nil) throws(CoordinatorError) -> JobStatus {
        guard let runner = jobs[job] else { throw .rejected("no job \(job)") }
        switch action {
        case .priority:
            guard let priority else { throw .rejected("a priority change needs a priority") }
            guard [.queued, .running, .paused].contains(runner.state) else {
                throw .rejected("job \(job) is \(runner.state.rawValue); only queued, running or paused jobs can change priority")
            }
            scheduler.setPriority(job, priority)
            try runner.setPriority(priority)
        case .cancel:
            guard [.queued, .running, .paused].contains(runner.state) else {
                throw .rejected("job \(job) is \(runner.state.rawValue); only queued, running or paused jobs can be cancelled")
            }
            removeFromScheduler(runner)
            record(runner) { runner throws(CoordinatorError) in try runner.cancel() }
        case .pause:
            guard [.queued, .running].contains(runner.state) else { throw .rejected("job \(job) is \(runner.state.rawValue), not running") }
            for (worker, chunk) in scheduler.preempt(job) { send(.cancel(job: job, chunk: UInt32(chunk.chunk)), to: worker) }
            record(runner) { runner throws(CoordinatorError) in try runner.pause() }
        case .resume:
            guard runner.state == .paused else { throw .rejected("job \(job) is \(runner.state.rawValue), not paused") }
            record(runner) { runner throws(CoordinatorError) in try runner.resume() }
        case .retry:
            guard [.failed, .cancelled].contains(runner.state) else {
                throw .rejected("job \(job) is \(runner.state.rawValue); only failed or cancelled jobs can be retried")
            }
            let request = runner.request
            runner.removeFolder()
            try store.resetProgress(of: job)
            let fresh = try JobRunner(id: job, request: request, directory: runner.directory, store: store, durable: settings.durable,
                                      priority: runner.priority, clock: clock)
            jobs[job] = fresh
            record(fresh) { runner throws(CoordinatorError) in try runner.markRetried() }
            _ = scheduler.removeJob(job)
            scheduler.addJob(job, ranges: fresh.chunkRanges, priority: fresh.priority)
            queueReadyTasks(fresh)
        }
        return status(of: job)!
    }

    public func isFinished(_ job: UInt32) -> Bool {
        guard let state = jobs[job]?.state else { return true }
        return [.done, .failed, .cancelled].contains(state)
    }
}
