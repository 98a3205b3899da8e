import Foundation
import Protocol

/// The worker channel: handing chunks out against credit, and every message a worker sends
/// (READY, HEARTBEAT, RESULT, SEGMENT, CHUNK_DONE, CHUNK_FAILED, LOG, BYE).
extension CoordinatorServer {
    func assign() {
        let eligible = Set(order.filter { id in jobs[id].map { [.queued, .running].contains($0.state) } ?? false })
        let canTake: (WorkerID, Scheduler.ChunkID) -> Bool = { worker, chunk in
            guard let needed = self.jobs[chunk.job]?.featureNeeded(chunk: chunk.chunk) else { return true }
            return self.hellos[worker]?.takes(needed) ?? false
        }
        for assignment in scheduler.assign(eligible: { eligible.contains($0) }, canTake: canTake) {
            guard let runner = jobs[assignment.chunk.job] else { continue }
            do {
                if runner.state == .queued {
                    try runner.open()
                    set(runner, .running, "running")
                }
                let (task, model) = try runner.task(for: assignment, keepAlive: heartbeatIfDue)
                if let model {
                    settings.log("job \(runner.id): model \(model.sha256.prefix(12)) (\(model.byteCount) bytes) sent to worker \(names[assignment.worker] ?? "\(assignment.worker)")")
                }
                if assignment.isResumption {
                    settings.log("\(assignment.chunk) resumes at frame \(runner.request.start + assignment.firstFrame) on worker \(names[assignment.worker] ?? "\(assignment.worker)")")
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

    func handleWorker(_ frames: [[UInt8]]) {
        let envelope: Envelope
        do { envelope = try Envelope.decode(frames) } catch {
            dropMalformed("from a worker: \(error)")
            return
        }
        let worker = WorkerID(envelope.peer)
        let message = envelope.message
        let now = clock.now - origin
        let header = message.header
        switch message.kind {
        case .ready:
            do {
                let (credit, hello) = try message.decodeReady()
                if names[worker] == nil {
                    settings.log("worker \(hello.name) joined (\(hello.threads) threads)")
                    let missing = WorkerHello.Feature.all.filter { !hello.takes($0) }
                    if !missing.isEmpty {
                        settings.log("worker \(hello.name) is older than this coordinator: it gets no \(missing.joined(separator: " or ")) tasks (upgrade vst-worker)")
                    }
                    store.workerJoined(identity: worker.bytes, name: hello.name)
                }
                names[worker] = hello.name
                hellos[worker] = hello
                peers[worker] = (workerSocket.lastPeer.address, workerSocket.lastPeer.user)
                scheduler.name(worker, hello.name)
                let orphaned = scheduler.ready(worker, credit: Int(credit), now: now)
                if !orphaned.isEmpty {
                    settings.log("worker \(hello.name) dropped \(orphaned.map(\.description).joined(separator: ", ")); back to the queue")
                }
            } catch {
                dropMalformed("READY: \(error)")
            }
        case .heartbeat:
            scheduler.heard(worker, now: now)
        case .result:
            scheduler.heard(worker, now: now)
            guard let runner = jobs[header.job], [.running, .paused].contains(runner.state) else {
                send(.cancel(job: header.job, chunk: header.chunk), to: worker)
                return
            }
            do {
                let chunk = Scheduler.ChunkID(job: header.job, chunk: Int(header.chunk))
                let storedBefore = runner.storedResults
                let frame = try runner.accept(chunk: Int(header.chunk), absoluteFrame: Int(header.frame), payload: message.payload[0])
                counters.framesStored += runner.storedResults - storedBefore
                throughput.record(worker, now: now)
                if scheduler.holder(of: chunk) != worker {
                    // Stored is stored; but a sender that does not hold the chunk either goes on
                    // with it (nobody else has it and it is exactly where the chunk stands) or drops it.
                    if scheduler.adopt(chunk, by: worker, frame: frame) {
                        settings.log("\(chunk) stays with worker \(names[worker] ?? "\(worker)"), which is rendering it")
                    } else {
                        send(.cancel(job: header.job, chunk: header.chunk), to: worker)
                    }
                }
                scheduler.received(chunk, frame: frame)
                queueReadySeams(runner)
                send(.ack(job: header.job, chunk: header.chunk, frame: header.frame), to: worker)
            } catch let error as CoordinatorError {
                fail(runner, reason: error.description)
            } catch {
                dropMalformed("RESULT: \(error)")
            }
        case .chunkDone:
            scheduler.heard(worker, now: now)
            let chunk = Scheduler.ChunkID(job: header.job, chunk: Int(header.chunk))
            guard let runner = jobs[header.job] else { return }
            if scheduler.holder(of: chunk) == worker { store.workerFinishedChunk(identity: worker.bytes, failed: false) }
            if scheduler.chunkDone(chunk, by: worker) {
                do { try runner.chunkDone(chunk.chunk) } catch { fail(runner, reason: "\(error)") }
            }
        case .segment:
            scheduler.heard(worker, now: now)
            guard let runner = jobs[header.job], [.running, .paused].contains(runner.state) else {
                send(.cancel(job: header.job, chunk: header.chunk), to: worker)
                return
            }
            let chunk = Scheduler.ChunkID(job: header.job, chunk: Int(header.chunk))
            do {
                let file = try message.decodeSegment()
                let stored = try runner.acceptSegment(chunk: chunk.chunk, firstFrame: Int(header.frame), file: file)
                counters.framesStored += stored
                for _ in 0..<stored { throughput.record(worker, now: now) }
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
        case .chunkFailed:
            scheduler.heard(worker, now: now)
            let reason = (try? message.decodeReason()) ?? "no reason given"
            chunkFailed(Scheduler.ChunkID(job: header.job, chunk: Int(header.chunk)), by: worker, reason: reason)
        case .log:
            scheduler.heard(worker, now: now)
            do {
                let line = try message.decodeLog()
                guard jobs[header.job] != nil else { return }
                store.event("worker-\(line.level)", job: header.job, chunk: Int(header.chunk),
                            detail: "\(names[worker] ?? "\(worker)"): \(line.message)")
            } catch {
                dropMalformed("LOG: \(error)")
            }
        case .bye:
            store.workerLeft(identity: worker.bytes, why: "\(names[worker] ?? "\(worker)") said BYE")
            for runner in jobs.values { runner.forgetModel(of: worker) }
            let chunks = scheduler.release(worker)
            settings.log("worker \(names[worker] ?? "\(worker)") left" + (chunks.isEmpty ? "" : "; \(chunks.map(\.description).joined(separator: ", ")) back to the queue"))
            names[worker] = nil
            hellos[worker] = nil
            peers[worker] = nil
            throughput.remove(worker)
        default:
            dropMalformed("\(message.kind) is not a worker-channel message")
        }
    }

    /// `worker` gave up on `chunk` (CHUNK_FAILED), or sent a segment that was refused: the chunk
    /// goes back to the queue, and the failure counts against both (blocklist, job failure).
    func chunkFailed(_ chunk: Scheduler.ChunkID, by worker: WorkerID, reason: String) {
        guard scheduler.holder(of: chunk) == worker else { return } // a stale report
        let name = names[worker] ?? "\(worker)"
        jobs[chunk.job]?.forgetModel(of: worker)
        let givenUp = scheduler.chunkFailed(chunk, by: worker)
        settings.log("\(chunk) failed on worker \(name): \(reason)")
        counters.chunkFailures += 1
        failuresByName[name, default: 0] += 1
        store.workerFinishedChunk(identity: worker.bytes, failed: true)
        let failures = (try? store.recordChunkFailure(job: chunk.job, chunk: chunk.chunk, worker: name, reason: reason)) ?? []
        if scheduler.isBlocklisted(worker, for: chunk.job) && scheduler.failures(of: worker, in: chunk.job) == Scheduler.maxWorkerFailuresPerJob {
            settings.log("worker \(name) failed \(Scheduler.maxWorkerFailuresPerJob) chunks of job \(chunk.job): blocklisted for it")
            store.event("worker-blocklisted", job: chunk.job, detail: name)
        }
        if givenUp, let runner = jobs[chunk.job], [.queued, .running].contains(runner.state) {
            let summary = failures.isEmpty ? reason : failures.joined(separator: "; ")
            fail(runner, reason: "chunk \(chunk.chunk) failed \(Scheduler.maxChunkFailures) times: \(summary)")
        }
    }
}
