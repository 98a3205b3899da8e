import Foundation
import Protocol

/// The worker channel: handing chunks out against credit, and every message a worker sends
/// (READY, HEARTBEAT, RESULT, SEGMENT, CHUNK_DONE, CHUNK_FAILED, LOG, BYE), one handler each.
extension CoordinatorServer {
    func assign() {
        let eligible = Set(order.filter { id in jobs[id].map { [.queued, .running].contains($0.state) } ?? false })
        let canTake: (WorkerID, Scheduler.ChunkID) -> Bool = { worker, chunk in
            guard let needed = self.jobs[chunk.job]?.featuresNeeded(chunk: chunk.chunk) else { return true }
            return needed.allSatisfy { self.workers.takes(worker, $0) }
        }
        let budget = settings.diskBudget
        let admits: (Scheduler.ChunkID) -> Bool = { chunk in self.jobs[chunk.job]?.admits(chunk.chunk, budget: budget) ?? true }
        for assignment in scheduler.assign(eligible: { eligible.contains($0) }, admits: admits, canTake: canTake, name: workers.displayName) {
            guard let runner = jobs[assignment.chunk.job] else { continue }
            let name = workers.displayName(of: assignment.worker)
            do {
                if runner.state == .queued {
                    record(runner) { runner throws(CoordinatorError) in try runner.start() }
                }
                let (task, model) = try runner.task(for: assignment, keepAlive: heartbeatIfDue)
                if let model {
                    settings.log("job \(runner.id): model \(model.sha256.prefix(12)) (\(model.byteCount) bytes) sent to worker \(name)")
                }
                if assignment.isResumption {
                    settings.log("\(taskName(assignment.chunk)) resumes at frame \(runner.request.start + assignment.firstFrame) on worker \(name)")
                }
                if !send(task, to: assignment.worker) {
                    runner.forgetModel(of: assignment.worker)
                    scheduler.release(assignment.worker)
                }
            } catch {
                fail(runner, reason: error.description)
            }
        }
    }

    /// Decodes one message from a worker and hands it to the handler of its kind.
    func handleWorker(_ frames: [[UInt8]]) {
        let envelope: Envelope
        do { envelope = try Envelope.decode(frames) } catch {
            dropMalformed("from a worker: \(error)")
            return
        }
        let worker = WorkerID(envelope.peer)
        let message = envelope.message
        let now = clock.now
        switch message.kind {
        case .ready: handleReady(message, from: worker, now: now)
        case .heartbeat: scheduler.heard(worker, now: now)
        case .result: handleResult(message, from: worker, now: now)
        case .chunkDone: handleChunkDone(message, from: worker, now: now)
        case .segment: handleSegment(message, from: worker, now: now)
        case .chunkFailed: handleChunkFailed(message, from: worker, now: now)
        case .log: handleLog(message, from: worker, now: now)
        case .bye: handleBye(from: worker)
        default: dropMalformed("\(message.kind) is not a worker-channel message")
        }
    }

    /// READY: a worker joins (or asks for more work after a chunk) with credit and its hello.
    private func handleReady(_ message: Message, from worker: WorkerID, now: Duration) {
        do {
            let (credit, hello) = try message.decodeReady()
            let joined = workers.ready(worker, hello: hello, address: workerSocket.lastPeer.address, key: workerSocket.lastPeer.user)
            if joined {
                settings.log("worker \(hello.name) joined (\(hello.threads) threads)")
                let missing = WorkerHello.Feature.all.filter { !hello.takes($0) }
                if !missing.isEmpty {
                    settings.log("worker \(hello.name) is older than this coordinator: it gets no \(missing.joined(separator: " or ")) tasks (upgrade vst-worker)")
                }
                store.workerJoined(identity: worker.bytes, name: hello.name)
            }
            let orphaned = scheduler.ready(worker, credit: Int(credit), now: now)
            if !orphaned.isEmpty {
                settings.log("worker \(hello.name) dropped \(orphaned.map(\.description).joined(separator: ", ")); back to the queue")
            }
        } catch {
            dropMalformed("READY: \(error)")
        }
    }

    /// The job a RESULT or SEGMENT belongs to while it still takes renders (running or paused);
    /// otherwise the sender is told to drop the chunk (CANCEL) and nil comes back.
    private func runnerTakingRenders(_ header: MessageHeader, from worker: WorkerID) -> JobRunner? {
        guard let runner = jobs[header.job], [.running, .paused].contains(runner.state) else {
            send(.cancel(job: header.job, chunk: header.chunk), to: worker)
            return nil
        }
        return runner
    }

    /// RESULT: one rendered frame, stored and recorded before it is acknowledged.
    private func handleResult(_ message: Message, from worker: WorkerID, now: Duration) {
        scheduler.heard(worker, now: now)
        let header = message.header
        guard let runner = runnerTakingRenders(header, from: worker) else { return }
        do {
            let chunk = Scheduler.ChunkID(job: header.job, chunk: Int(header.chunk))
            let storedBefore = runner.storedResults
            let frame = try runner.accept(chunk: Int(header.chunk), absoluteFrame: Int(header.frame), payload: message.payload[0])
            counters.framesStored += runner.storedResults - storedBefore
            workers.delivered(worker, now: now)
            if scheduler.holder(of: chunk) != worker {
                // Stored is stored; but a sender that does not hold the chunk either goes on
                // with it (nobody else has it and it is exactly where the chunk stands) or drops it.
                if scheduler.adopt(chunk, by: worker, frame: frame) {
                    settings.log("\(taskName(chunk)) stays with worker \(workers.displayName(of: worker)), which is rendering it")
                } else {
                    send(.cancel(job: header.job, chunk: header.chunk), to: worker)
                }
            }
            scheduler.received(chunk, frame: frame)
            queueReadyTasks(runner)
            send(.ack(job: header.job, chunk: header.chunk, frame: header.frame), to: worker)
        } catch let error as CoordinatorError {
            fail(runner, reason: error.description)
        } catch {
            dropMalformed("RESULT: \(error)")
        }
    }

    /// CHUNK_DONE: the worker sent every frame of its chunk.
    private func handleChunkDone(_ message: Message, from worker: WorkerID, now: Duration) {
        scheduler.heard(worker, now: now)
        let chunk = Scheduler.ChunkID(job: message.header.job, chunk: Int(message.header.chunk))
        guard let runner = jobs[chunk.job] else { return }
        if scheduler.holder(of: chunk) == worker { store.workerFinishedChunk(identity: worker.bytes, failed: false) }
        if scheduler.chunkDone(chunk, by: worker) {
            do { try runner.chunkDone(chunk.chunk) } catch { fail(runner, reason: "\(error)") }
        }
    }

    /// SEGMENT: a chunk the worker encoded itself, stored as its sealed segment before the ACK.
    private func handleSegment(_ message: Message, from worker: WorkerID, now: Duration) {
        scheduler.heard(worker, now: now)
        let header = message.header
        guard let runner = runnerTakingRenders(header, from: worker) else { return }
        let chunk = Scheduler.ChunkID(job: header.job, chunk: Int(header.chunk))
        do {
            let file = try message.decodeSegment()
            let stored = try runner.acceptSegment(chunk: chunk.chunk, firstFrame: Int(header.frame), file: file)
            counters.framesStored += stored
            workers.delivered(worker, frames: stored, now: now)
            for frame in runner.plan.chunks[chunk.chunk].renderRange { scheduler.received(chunk, frame: frame) }
            send(.ack(job: header.job, chunk: header.chunk, frame: header.frame), to: worker)
        } catch let error as CoordinatorError {
            fail(runner, reason: error.description)
        } catch {
            // A worker that encodes a wrong segment fails the chunk, as if it had said so.
            dropMalformed("SEGMENT: \(error)")
            send(.cancel(job: header.job, chunk: header.chunk), to: worker)
            chunkFailed(chunk, by: worker, reason: "its segment was refused: \(error)")
        }
    }

    /// CHUNK_FAILED: the worker gave up on its chunk.
    private func handleChunkFailed(_ message: Message, from worker: WorkerID, now: Duration) {
        scheduler.heard(worker, now: now)
        let reason = (try? message.decodeReason()) ?? "no reason given"
        chunkFailed(Scheduler.ChunkID(job: message.header.job, chunk: Int(message.header.chunk)), by: worker, reason: reason)
    }

    /// LOG: a line of the worker's log about a chunk, kept as an event of its job.
    private func handleLog(_ message: Message, from worker: WorkerID, now: Duration) {
        scheduler.heard(worker, now: now)
        do {
            let line = try message.decodeLog()
            guard jobs[message.header.job] != nil else { return }
            store.event("worker-\(line.level)", job: message.header.job, chunk: Int(message.header.chunk),
                        detail: "\(workers.displayName(of: worker)): \(line.message)")
        } catch {
            dropMalformed("LOG: \(error)")
        }
    }

    /// BYE: the worker leaves; its chunks go back to the queue.
    private func handleBye(from worker: WorkerID) {
        let name = workers.displayName(of: worker)
        store.workerLeft(identity: worker.bytes, why: "\(name) said BYE")
        for runner in jobs.values { runner.forgetModel(of: worker) }
        let chunks = scheduler.release(worker)
        settings.log("worker \(name) left" + (chunks.isEmpty ? "" : "; \(chunks.map(taskName).joined(separator: ", ")) back to the queue"))
        workers.remove(worker)
    }

    /// `worker` gave up on `chunk` (CHUNK_FAILED), or sent a segment that was refused: the chunk
    /// goes back to the queue, and the failure counts against both (blocklist, job failure).
    func chunkFailed(_ chunk: Scheduler.ChunkID, by worker: WorkerID, reason: String) {
        guard scheduler.holder(of: chunk) == worker else { return } // a stale report
        let name = workers.displayName(of: worker)
        jobs[chunk.job]?.forgetModel(of: worker)
        let givenUp = scheduler.chunkFailed(chunk, by: worker, named: name)
        settings.log("\(taskName(chunk)) failed on worker \(name): \(reason)")
        counters.chunkFailures += 1
        workers.chunkFailed(by: worker)
        store.workerFinishedChunk(identity: worker.bytes, failed: true)
        let failures = (try? store.recordChunkFailure(job: chunk.job, chunk: chunk.chunk, worker: name, reason: reason)) ?? []
        if scheduler.isBlocklisted(name, for: chunk.job) && scheduler.failures(ofWorkerNamed: name, in: chunk.job) == Scheduler.maxWorkerFailuresPerJob {
            settings.log("worker \(name) failed \(Scheduler.maxWorkerFailuresPerJob) chunks of job \(chunk.job): blocklisted for it")
            store.event("worker-blocklisted", job: chunk.job, detail: name)
        }
        if givenUp, let runner = jobs[chunk.job], [.queued, .running].contains(runner.state) {
            let summary = failures.isEmpty ? reason : failures.joined(separator: "; ")
            fail(runner, reason: "\(taskLabel(chunk)) failed \(Scheduler.maxChunkFailures) times: \(summary)")
        }
    }
}

extension CoordinatorServer {
    /// How logs name a scheduled task: "job J chunk C", or "job J seam task C (chunks A|B)" for
    /// a seam task, whose scheduler index follows the plan's chunks.
    func taskName(_ chunk: Scheduler.ChunkID) -> String { "job \(chunk.job) \(taskLabel(chunk))" }

    /// `taskName` without the job: "chunk C" or "seam task C (chunks A|B)".
    func taskLabel(_ chunk: Scheduler.ChunkID) -> String {
        guard let seam = jobs[chunk.job]?.seamPlan.seam(index: chunk.chunk) else { return "chunk \(chunk.chunk)" }
        return "seam task \(chunk.chunk) (chunks \(seam.earlier.index)|\(seam.later.index))"
    }
}
