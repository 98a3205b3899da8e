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
///
/// What it knows of each worker is one record in `workers` (a `WorkerRegistry`); each job's
/// state is its `JobRunner`'s, changed only through the runner; the time comes from `clock`.
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
        /// Bytes of renders each job may keep waiting for the encoder (`--disk-budget`) before
        /// its chunks stop going out, all but the one the encoder needs next
        /// (`JobRunner.admits`). Chunks already out finish, so a job's disk peaks at about this
        /// plus a chunk's renders per busy worker, plus its output's segments.
        public var diskBudget: Int

        /// 1 GiB: about 250 stored 1080p renders, several chunks ahead of the encoder (enough to
        /// keep it busy), and with the chunks in flight still well under 2 GiB, which any laptop
        /// has free.
        public static let defaultDiskBudget = 1 << 30

        public init(lease: Duration, dataDirectory: URL, durable: Bool = true, security: Security = .plain,
                    heartbeat: Duration = Liveness.heartbeatInterval, diskBudget: Int = Settings.defaultDiskBudget,
                    log: @escaping @Sendable (String) -> Void = { _ in }) {
            self.diskBudget = diskBudget
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
    let workerSocket: Socket
    private let controlSocket: Socket?
    private let authenticator: CurveAuthenticator?
    var scheduler: Scheduler
    /// Jobs, chunks, frames, workers and events, in `DATA/vst.sqlite`.
    let store: JobStore
    var jobs: [UInt32: JobRunner] = [:]
    var order: [UInt32] = []
    /// Every worker that said READY: its name, what it takes, where it connected from, and
    /// what the dashboard shows of it.
    var workers = WorkerRegistry()
    /// Leases, heartbeats, throughput and progress read the time here (tests pass a manual one).
    let clock: any CoordinatorClock
    private var lastHeartbeat: Duration
    /// Network messages that failed to decode or made no sense, dropped.
    public private(set) var malformedMessages = 0
    /// Chunks taken from workers whose lease ran out.
    public private(set) var reassignedChunks = 0
    /// Frames, failures, expiries and bytes since start, for the dashboard's metrics.
    public internal(set) var counters = FarmCounters()

    /// Binds the worker endpoint (and the control endpoint when given); `clock` is where leases,
    /// heartbeats, throughput and progress read the time.
    public init(bind: String, control: String?, settings: Settings,
                clock: any CoordinatorClock = SystemClock()) throws(CoordinatorError) {
        self.settings = settings
        self.clock = clock
        scheduler = Scheduler(lease: settings.lease)
        lastHeartbeat = clock.now
        var options = Socket.Options()
        options.sendTimeout = Liveness.sendTimeout
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
                                           store: store, durable: settings.durable, priority: stored.priority, clock: clock)
                runner.restore(state: stored.state, message: stored.message)
                jobs[id] = runner
                if [.queued, .running, .paused].contains(stored.state) {
                    let progress = runner.chunkProgress
                    scheduler.addJob(id, ranges: runner.chunkRanges, done: progress.done, resumeAt: progress.resumeAt,
                                     priority: stored.priority)
                    queueReadyTasks(runner)
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
        expireSilentWorkers()
        heartbeatIfDue()
        assign()
        heartbeatIfDue()
        for id in order {
            guard let runner = jobs[id], runner.state == .running else { continue }
            do {
                counters.framesStitched += try runner.assemble(budget: .milliseconds(150), keepAlive: heartbeatIfDue)
                if runner.isComplete {
                    record(runner) { runner throws(CoordinatorError) in try runner.finish() }
                    settings.log(runner.summary)
                }
            } catch {
                fail(runner, reason: error.description)
            }
        }
        heartbeatIfDue()
    }

    /// Heartbeats every worker once per `settings.heartbeat`; called between the
    /// heavier phases of a step too, so that decoding or encoding never starves a worker of them.
    func heartbeatIfDue() {
        let now = clock.now
        guard now - lastHeartbeat >= settings.heartbeat else { return }
        lastHeartbeat = now
        for worker in scheduler.knownWorkers { send(.heartbeat(), to: worker) }
    }

    /// Declares every worker silent past its lease dead: its chunks go back to the queue (each
    /// told to drop them, in case it is only slow) and the registry forgets it.
    private func expireSilentWorkers() {
        for (worker, chunks) in scheduler.expire(now: clock.now) {
            let name = workers.displayName(of: worker)
            reassignedChunks += chunks.count
            counters.leaseExpiries += 1
            settings.log("worker \(name) silent past its lease of \(settings.lease); "
                         + (chunks.isEmpty ? "it held no chunk" : "\(chunks.map(\.description).joined(separator: ", ")) back to the queue"))
            for chunk in chunks { send(.cancel(job: chunk.job, chunk: UInt32(chunk.chunk)), to: worker) }
            store.workerLeft(identity: worker.bytes, why: "\(name) silent past its lease")
            workers.remove(worker)
        }
    }

    /// Tells every worker goodbye and closes the sockets.
    public func shutdown() {
        for worker in scheduler.knownWorkers { send(.bye(), to: worker) }
        workerSocket.close()
        controlSocket?.close()
        context.shutdown()
        authenticator?.stop()
    }

    // MARK: Helpers

    @discardableResult
    func send(_ message: Message, to worker: WorkerID) -> Bool {
        do {
            let frames = Envelope(peer: worker.bytes, message: message).frames()
            try workerSocket.send(frames)
            counters.sent(frames)
            return true
        } catch {
            return false
        }
    }

    func fail(_ runner: JobRunner, reason: String) {
        removeFromScheduler(runner)
        record(runner) { runner throws(CoordinatorError) in try runner.fail(reason: reason) }
        settings.log("job \(runner.id) failed: \(reason)")
    }

    /// Takes every chunk of `runner`'s job from its worker (each told to drop it) and forgets
    /// the job's chunks: the job ends (failed, cancelled) or starts over (retry).
    func removeFromScheduler(_ runner: JobRunner) {
        for (worker, chunk) in scheduler.removeJob(runner.id) {
            send(.cancel(job: runner.id, chunk: UInt32(chunk.chunk)), to: worker)
        }
    }

    /// Runs one of `runner`'s state changes, which the runner records in the job store; a store
    /// that fails to record it is logged and the loop goes on (the change holds in memory).
    func record(_ runner: JobRunner, _ change: (JobRunner) throws(CoordinatorError) -> Void) {
        do { try change(runner) } catch { settings.log("job \(runner.id): \(error)") }
    }

    func dropMalformed(_ what: String) {
        malformedMessages += 1
        if malformedMessages <= 10 { settings.log("dropped a malformed message \(what)") }
    }

    func busyWorkers(of job: UInt32) -> Int {
        scheduler.knownWorkers.filter { scheduler.assignedChunks(of: $0).contains { $0.job == job } }.count
    }
}
