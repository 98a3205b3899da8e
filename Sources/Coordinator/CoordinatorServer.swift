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
    let workerSocket: Socket
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
    func heartbeatIfDue() {
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
        stop(runner, state: .failed, message: reason)
        settings.log("job \(runner.id) failed: \(reason)")
    }

    func stop(_ runner: JobRunner, state: JobStatus.State, message: String) {
        for (worker, chunk) in scheduler.removeJob(runner.id) {
            send(.cancel(job: runner.id, chunk: UInt32(chunk.chunk)), to: worker)
        }
        runner.abandon()
        set(runner, state, message)
    }

    /// Changes a job's state, in memory and in the store (so a restart knows it).
    func set(_ runner: JobRunner, _ state: JobStatus.State, _ message: String) {
        runner.state = state
        runner.message = message
        do { try store.setState(runner.id, state, message: message) } catch { settings.log("job \(runner.id): \(error)") }
    }

    func dropMalformed(_ what: String) {
        malformedMessages += 1
        if malformedMessages <= 10 { settings.log("dropped a malformed message \(what)") }
    }

    func busyWorkers(of job: UInt32) -> Int {
        scheduler.knownWorkers.filter { scheduler.assignedChunks(of: $0).contains { $0.job == job } }.count
    }
}
