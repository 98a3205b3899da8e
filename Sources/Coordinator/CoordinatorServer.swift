import Foundation
import Protocol

/// The coordinator's event loop: a ROUTER for workers, optionally a ROUTER for clients
/// (`--control`), the `Scheduler`, and one `JobRunner` per job.
///
/// Single-threaded on purpose: `step` polls both sockets, handles every waiting message, expires
/// silent workers, hands out chunks against credit, encodes final frames (a few per step, so the
/// loop stays responsive) and heartbeats. Messages waiting in the sockets are handled before
/// leases are checked, so a slow step never makes a live worker look dead. A message that fails
/// to decode is counted in `malformedMessages` and dropped.
public final class CoordinatorServer {
    /// How the worker and client sockets are secured.
    public enum Security: Sendable, Equatable {
        /// Plain TCP (`--insecure`).
        case plain
        /// CURVE with the coordinator's `keys`; only peers whose public key is in `authorized`
        /// complete the handshake, the others are refused and logged with their address.
        case curve(keys: CurveKeyPair, authorized: [CurveKey])
    }

    public struct Settings: Sendable {
        /// A worker silent this long loses its chunks.
        public var lease: Duration
        /// Where job folders go (`DATA/jobs/ID/`).
        public var dataDirectory: URL
        /// fsync each stored frame and journal line before its ACK.
        public var durable: Bool
        /// Messages (on stderr) about workers joining, dying and chunks moving.
        public var log: @Sendable (String) -> Void
        public var security: Security
        /// How often the coordinator heartbeats each worker (`serve --heartbeat`); workers
        /// must be started with the same interval, as they count a coordinator silent for
        /// `Liveness.missedBeatsBeforeDead` of theirs as gone.
        public var heartbeat: Duration

        public init(lease: Duration, dataDirectory: URL, durable: Bool = true, security: Security = .plain,
                    heartbeat: Duration = Liveness.heartbeatInterval, log: @escaping @Sendable (String) -> Void = { _ in }) {
            self.lease = lease
            self.heartbeat = heartbeat
            self.security = security
            self.dataDirectory = dataDirectory
            self.durable = durable
            self.log = log
        }
    }

    public let settings: Settings
    private let context: ZMQContext
    private let workerSocket: Socket
    private let controlSocket: Socket?
    private let authenticator: CurveAuthenticator?
    var scheduler: Scheduler
    /// Jobs, chunks, frames, workers and events, in `DATA/vst.sqlite`.
    let store: JobStore
    var jobs: [UInt32: JobRunner] = [:]
    var order: [UInt32] = []
    var names: [WorkerID: String] = [:]
    /// Each worker's READY (features: which TASK kinds it takes).
    var hellos: [WorkerID: WorkerHello] = [:]
    let clock = ContinuousClock()
    let origin: ContinuousClock.Instant
    private var lastHeartbeat: ContinuousClock.Instant
    /// Network messages that failed to decode or made no sense, dropped.
    public private(set) var malformedMessages = 0
    /// Chunks taken from workers whose lease ran out.
    public private(set) var reassignedChunks = 0
    /// Frames, failures, expiries and bytes since start, for the dashboard's metrics.
    public internal(set) var counters = FarmCounters()
    /// What the dashboard shows per worker: recent frames/s, where it connected from, failures.
    var throughput = WorkerThroughput<WorkerID>()
    var peers: [WorkerID: (address: String?, key: String?)] = [:]
    var failuresByName: [String: Int] = [:]

    /// Binds the worker endpoint (and the control endpoint when given).
    public init(bind: String, control: String?, settings: Settings) throws(CoordinatorError) {
        self.settings = settings
        scheduler = Scheduler(lease: settings.lease)
        origin = clock.now
        lastHeartbeat = origin
        var options = Socket.Options()
        options.sendTimeout = .seconds(1)
        do {
            context = try ZMQContext()
        } catch {
            throw .network("cannot start ZeroMQ: \(error)")
        }
        switch settings.security {
        case .plain:
            authenticator = nil
        case .curve(let keys, let authorized):
            options.security = .curveServer(keys: keys)
            let log = settings.log
            do {
                authenticator = try CurveAuthenticator(context: context, authorized: authorized) { address, reason in
                    log("refused a connection from \(address): \(reason)")
                }
            } catch {
                throw .network("cannot start the CURVE authenticator: \(error)")
            }
        }
        do {
            workerSocket = try Socket(context: context, type: .router, options: options)
            try workerSocket.bind(bind)
        } catch {
            throw .network("cannot bind the worker endpoint \(bind): \(error)")
        }
        if let control {
            do {
                let socket = try Socket(context: context, type: .router, options: options)
                try socket.bind(control)
                controlSocket = socket
            } catch {
                throw .network("cannot bind the control endpoint \(control): \(error)")
            }
        } else {
            controlSocket = nil
        }
        let jobsDirectory = settings.dataDirectory.appendingPathComponent("jobs")
        do {
            try FileManager.default.createDirectory(at: jobsDirectory, withIntermediateDirectories: true)
        } catch {
            throw .cannotWrite(path: jobsDirectory.path, reason: "\(error)")
        }
        store = try JobStore(path: settings.dataDirectory.appendingPathComponent("vst.sqlite").path, durable: settings.durable)
        restoreJobs()
    }

    /// Takes up the jobs an earlier process left in the job store: finished ones are listed,
    /// unfinished ones go on where they stopped (sealed segments kept, stored renders never
    /// rendered again, each chunk resuming at its first missing frame). A job whose input is
    /// gone is marked failed.
    private func restoreJobs() {
        for stored in store.jobs() {
            let id = stored.id
            order.append(id)
            do {
                let runner = try JobRunner(id: id, request: stored.request, directory: jobsDirectory.appendingPathComponent("\(id)"),
                                           store: store, durable: settings.durable)
                runner.priority = stored.priority
                runner.restore(state: stored.state, message: stored.message)
                jobs[id] = runner
                if [.queued, .running, .paused].contains(stored.state) {
                    let progress = runner.chunkProgress
                    scheduler.addJob(id, ranges: runner.chunkRanges, done: progress.done, resumeAt: progress.resumeAt,
                                     priority: stored.priority)
                    queueReadySeams(runner)
                    settings.log("job \(id) from an earlier run resumes: \(runner.progressDescription)")
                    store.event("resumed", job: id, detail: runner.progressDescription)
                } else {
                    settings.log("job \(id) from an earlier run: \(stored.state.rawValue)")
                }
            } catch {
                order.removeLast()
                settings.log("job \(id) from an earlier run cannot be taken up: \(error)")
                if [.queued, .running, .paused].contains(stored.state) {
                    try? store.setState(id, .failed, message: "cannot be taken up after a restart: \(error)")
                }
            }
        }
    }

    /// The bound worker endpoint with any wildcard port resolved.
    public var workerEndpoint: String { (try? workerSocket.lastEndpoint) ?? "" }
    public var controlEndpoint: String? { controlSocket.flatMap { try? $0.lastEndpoint } }
    public var workerCount: Int { scheduler.workerCount }
    /// CURVE handshakes refused (unknown keys) so far.
    public var refusedConnections: Int { authenticator?.rejectedCount ?? 0 }
    public var busyWorkerCount: Int { scheduler.busyWorkerCount }
    var jobsDirectory: URL { settings.dataDirectory.appendingPathComponent("jobs") }

    // MARK: Jobs

    /// Queues a job; fails at once (before any work) for a bad input, style or option.
    @discardableResult
    /// Hands the scheduler `runner`'s seam tasks whose renders are all stored (`--seam-refine`).
    func queueReadySeams(_ runner: JobRunner) {
        for seam in runner.readySeams() {
            scheduler.addChunk(runner.id, index: seam.index, range: seam.range, resumeAt: seam.resumeAt)
        }
    }

    public func addJob(_ request: JobRequest, priority: Int = 0) throws(CoordinatorError) -> UInt32 {
        let id = try store.insertJob(request, priority: priority)
        let runner: JobRunner
        do {
            runner = try JobRunner(id: id, request: request, directory: jobsDirectory.appendingPathComponent("\(id)"),
                                   store: store, durable: settings.durable)
        } catch {
            // A bad input never becomes a job.
            store.deleteJob(id)
            try? FileManager.default.removeItem(at: jobsDirectory.appendingPathComponent("\(id)"))
            throw error
        }
        runner.priority = priority
        jobs[id] = runner
        order.append(id)
        scheduler.addJob(id, ranges: runner.chunkRanges, priority: priority)
        settings.log("job \(id): \(runner.frameCount) frames \(runner.width)x\(runner.height) in \(runner.plan.chunks.count) chunks, method \(request.method)"
                     + (runner.workersEncode ? "; workers encode their own segments" : "")
                     + (runner.seamPlan.seams.isEmpty ? "" : "; \(runner.seamPlan.seams.count) seam tasks"))
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
            holder: { chunk in self.scheduler.holder(of: .init(job: job, chunk: chunk)).map { self.names[$0] ?? "\($0)" } },
            failures: { chunk in self.scheduler.failures(of: .init(job: job, chunk: chunk)) })
        return status
    }

    public func progress(of job: UInt32) -> ProgressReport? {
        jobs[job].map { $0.progress(workersBusy: busyWorkers(of: $0.id), workers: scheduler.workerCount) }
    }

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
            runner.priority = priority
            scheduler.setPriority(job, priority)
            try store.setPriority(job, priority)
        case .cancel:
            guard [.queued, .running, .paused].contains(runner.state) else {
                throw .rejected("job \(job) is \(runner.state.rawValue); only queued, running or paused jobs can be cancelled")
            }
            stop(runner, state: .cancelled, message: "cancelled")
        case .pause:
            guard [.queued, .running].contains(runner.state) else { throw .rejected("job \(job) is \(runner.state.rawValue), not running") }
            for (worker, chunk) in scheduler.preempt(job) { send(.cancel(job: job, chunk: UInt32(chunk.chunk)), to: worker) }
            set(runner, .paused, "paused")
        case .resume:
            guard runner.state == .paused else { throw .rejected("job \(job) is \(runner.state.rawValue), not paused") }
            set(runner, runner.renderStarted == nil ? .queued : .running, "resumed")
        case .retry:
            guard [.failed, .cancelled].contains(runner.state) else {
                throw .rejected("job \(job) is \(runner.state.rawValue); only failed or cancelled jobs can be retried")
            }
            let request = runner.request
            runner.removeFolder()
            try store.resetProgress(of: job)
            let fresh = try JobRunner(id: job, request: request, directory: runner.directory, store: store, durable: settings.durable)
            fresh.priority = runner.priority
            jobs[job] = fresh
            set(fresh, .queued, "retried")
            _ = scheduler.removeJob(job)
            scheduler.addJob(job, ranges: fresh.chunkRanges, priority: fresh.priority)
            queueReadySeams(fresh)
        }
        return status(of: job)!
    }

    public func isFinished(_ job: UInt32) -> Bool {
        guard let state = jobs[job]?.state else { return true }
        return [.done, .failed, .cancelled].contains(state)
    }

    // MARK: The loop

    /// One turn of the loop, waiting up to `timeout` for the first message.
    public func step(timeout: Duration = .milliseconds(50)) {
        let sockets = [workerSocket] + (controlSocket.map { [$0] } ?? [])
        _ = try? Socket.poll(sockets, timeout: timeout)
        for _ in 0..<512 {
            guard let frames = try? workerSocket.receive(timeout: .zero) else { break }
            counters.received(frames)
            handleWorker(frames)
        }
        if let controlSocket {
            for _ in 0..<64 {
                guard let frames = try? controlSocket.receive(timeout: .zero) else { break }
                counters.received(frames)
                handleClient(frames, on: controlSocket)
            }
        }
        let now = clock.now - origin
        for (worker, chunks) in scheduler.expire(now: now) {
            reassignedChunks += chunks.count
            counters.leaseExpiries += 1
            throughput.remove(worker)
            settings.log("worker \(names[worker] ?? "\(worker)") silent past its lease of \(settings.lease); "
                         + (chunks.isEmpty ? "it held no chunk" : "\(chunks.map(\.description).joined(separator: ", ")) back to the queue"))
            for chunk in chunks { send(.cancel(job: chunk.job, chunk: UInt32(chunk.chunk)), to: worker) }
            store.workerLeft(identity: worker.bytes, why: "\(names[worker] ?? "\(worker)") silent past its lease")
            names[worker] = nil
            hellos[worker] = nil
            peers[worker] = nil
        }
        heartbeatIfDue()
        assign()
        heartbeatIfDue()
        for id in order {
            guard let runner = jobs[id], runner.state == .running else { continue }
            do {
                counters.framesStitched += try runner.assemble(budget: .milliseconds(150), keepAlive: heartbeatIfDue)
                if runner.isComplete {
                    set(runner, .done, "done: \(runner.request.output)")
                    settings.log("job \(id) done: \(runner.frameCount) frames in \(runner.request.output)")
                }
            } catch {
                fail(runner, reason: error.description)
            }
        }
        heartbeatIfDue()
    }

    /// Heartbeats every worker once per `settings.heartbeat`; called between the
    /// heavier phases of a step too, so that decoding or encoding never starves a worker of them.
    private func heartbeatIfDue() {
        guard clock.now - lastHeartbeat >= settings.heartbeat else { return }
        lastHeartbeat = clock.now
        for worker in scheduler.knownWorkers { send(.heartbeat(), to: worker) }
    }

    /// Tells every worker goodbye and closes the sockets.
    public func shutdown() {
        for worker in scheduler.knownWorkers { send(.bye(), to: worker) }
        workerSocket.close()
        controlSocket?.close()
        context.shutdown()
        authenticator?.stop()
    }

    // MARK: Workers

    private func assign() {
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

    private func handleWorker(_ frames: [[UInt8]]) {
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

    // MARK: Helpers

    @discardableResult
    private func send(_ message: Message, to worker: WorkerID) -> Bool {
        do {
            let frames = Envelope(peer: worker.bytes, message: message).frames()
            try workerSocket.send(frames)
            counters.sent(frames)
            return true
        } catch {
            return false
        }
    }

    /// `worker` gave up on `chunk` (CHUNK_FAILED), or sent a segment that was refused: the chunk
    /// goes back to the queue, and the failure counts against both (blocklist, job failure).
    private func chunkFailed(_ chunk: Scheduler.ChunkID, by worker: WorkerID, reason: String) {
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

    private func fail(_ runner: JobRunner, reason: String) {
        stop(runner, state: .failed, message: reason)
        settings.log("job \(runner.id) failed: \(reason)")
    }

    private func stop(_ runner: JobRunner, state: JobStatus.State, message: String) {
        for (worker, chunk) in scheduler.removeJob(runner.id) {
            send(.cancel(job: runner.id, chunk: UInt32(chunk.chunk)), to: worker)
        }
        runner.abandon()
        set(runner, state, message)
    }

    /// Changes a job's state, in memory and in the store (so a restart knows it).
    private func set(_ runner: JobRunner, _ state: JobStatus.State, _ message: String) {
        runner.state = state
        runner.message = message
        do { try store.setState(runner.id, state, message: message) } catch { settings.log("job \(runner.id): \(error)") }
    }

    func dropMalformed(_ what: String) {
        malformedMessages += 1
        if malformedMessages <= 10 { settings.log("dropped a malformed message \(what)") }
    }

    private func busyWorkers(of job: UInt32) -> Int {
        scheduler.knownWorkers.filter { scheduler.assignedChunks(of: $0).contains { $0.job == job } }.count
    }
}
