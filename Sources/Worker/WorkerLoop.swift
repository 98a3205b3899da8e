import Engine
import Foundation
import Logging
import ProcessSupport
import Protocol

/// The worker process: a DEALER connected to the coordinator, pulling one chunk at a time.
///
/// Call order: `run()` connects, sends READY with one credit, then loops: read a message (with a
/// short timeout), pass results of the render thread on, heartbeat every
/// `configuration.heartbeat`. A coordinator silent for `Liveness.missedBeatsBeforeDead` of them counts as gone:
/// the worker drops its chunk (the coordinator will reassign it), waits a backoff that doubles
/// within `Liveness.reconnectBackoff`, and connects again with a fresh socket. So a worker may
/// be started before its coordinator. SIGTERM/SIGINT (or `stop`) end `run()` after a BYE.
public final class WorkerLoop: @unchecked Sendable {
    public let configuration: WorkerConfiguration
    public let stop: StopSignal
    private let name: String
    private var sessions = 0
    /// True once any session heard the coordinator (its keys match ours).
    private var heardEver = false
    /// ReCoNet models sent by the coordinator, kept across chunks and reconnections.
    private let models = ModelCache()

    public init(configuration: WorkerConfiguration, stop: StopSignal = StopSignal()) {
        self.configuration = configuration
        self.stop = stop
        self.name = "\(ProcessInfo.processInfo.hostName)-\(getpid())"
    }

    /// Runs until a stop signal (or the parent named in the configuration is gone); throws only
    /// for a malformed endpoint or a coordinator that speaks another wire version.
    public func run() throws {
        // --threads bounds Engine's workers (its loops and the matrix products they split), for every method.
        if let threads = configuration.threads { Parallel.setThreads(threads) }
        if let parent = configuration.parentProcess {
            let stop = self.stop
            Thread.detachNewThread {
                while getppid() == parent { Thread.sleep(forTimeInterval: 0.2) }
                stop.raise()
            }
        }
        guard Endpoint.isConnectable(configuration.endpoint) else {
            throw WorkerError.network("endpoint \(configuration.endpoint) is not tcp://HOST:PORT")
        }
        let context: ZMQContext
        do { context = try ZMQContext() } catch { throw WorkerError.network("\(error)") }
        defer { context.shutdown() }
        var backoff = Liveness.reconnectBackoff.lowerBound
        while !stop.isRaised {
            let heard = try session(context: context)
            if stop.isRaised { break }
            if heard { backoff = Liveness.reconnectBackoff.lowerBound }
            log("coordinator at \(configuration.endpoint) \(silence(heardThisSession: heard)); reconnecting in \(backoff)")
            heardEver = heardEver || heard
            let until = ContinuousClock.now + backoff
            while ContinuousClock.now < until && !stop.isRaised { Thread.sleep(forTimeInterval: 0.05) }
            backoff = min(backoff * 2, Liveness.reconnectBackoff.upperBound)
        }
    }

    /// What the worker knows about a coordinator it gave up on, and no more: a busy coordinator
    /// (a long film's encoder on its one loop thread) is as silent as a gone one. Keys are
    /// suggested only while nothing was ever received under CURVE (a wrong `--server-key` fails
    /// the handshake, so nothing ever arrives), and only as a possibility: a coordinator not
    /// started yet or busy looks the same. Once anything arrived, the keys are known to match.
    private func silence(heardThisSession: Bool) -> String {
        let expiry = Liveness.expiry(heartbeat: configuration.heartbeat).secondsText
        if heardThisSession { return "sent nothing for \(expiry) s (busy or gone)" }
        if heardEver { return "did not answer within \(expiry) s of connecting (it answered before, so the keys match: busy or gone)" }
        guard configuration.security != .plain else { return "did not answer within \(expiry) s of connecting (nothing received yet: not running yet, busy, or unreachable)" }
        return "did not answer within \(expiry) s of connecting (nothing received yet: not running yet, busy, unreachable, or the CURVE keys do not match;"
            + " if it is running, check --server-key, and that the coordinator's --authorized lists this worker's public key)"
    }

    /// One connection. Returns whether the coordinator was heard at all, once it went silent
    /// (or when asked to stop).
    private func session(context: ZMQContext) throws(WorkerError) -> Bool {
        // A fresh identity per connection: the coordinator must never mistake a reconnected
        // worker (which has dropped its chunk) for the session that held it.
        sessions += 1
        var options = Socket.Options(identity: Array("\(name)/\(sessions)".utf8.prefix(200)))
        options.sendTimeout = Liveness.sendTimeout
        options.linger = Liveness.byeLinger
        options.security = configuration.security
        let socket: Socket
        do {
            socket = try Socket(context: context, type: .dealer, options: options)
            try socket.connect(configuration.endpoint)
        } catch {
            throw WorkerError.network("cannot connect to \(configuration.endpoint): \(error)")
        }
        defer { socket.close() }
        let hello = WorkerHello(name: name, threads: configuration.threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let clock = ContinuousClock()
        var lastHeard = clock.now, lastSent = clock.now
        var heardAny = false
        var current: ChunkJob?

        func send(_ message: Message) {
            try? socket.send(message.frames())
            lastSent = clock.now
        }
        send(.ready(credit: 1, hello: hello))

        var stopDeadline: ContinuousClock.Instant?
        // Set when the frame being rendered cannot end within the grace: waiting would only
        // end in a SIGKILL (Slurm's KillWait, systemd's TimeoutStopSec) with the chunk still held.
        var handBackNow = false
        while true {
            if stop.isRaised {
                // Graceful: finish the frame being rendered, wait for its ACK, then BYE hands the
                // chunk back (the coordinator resumes it from the next frame). A frame that by
                // this chunk's own frame times would end past the grace is not waited for.
                if stopDeadline == nil {
                    stopDeadline = clock.now + configuration.stopGrace
                    if let job = current {
                        if job.currentFrameEnds(by: stopDeadline! - Liveness.stopAckAllowance) {
                            job.finishCurrentFrame()
                            log("stopping: finishing the current frame of \(job.name)")
                        } else {
                            handBackNow = true
                        }
                    }
                }
                if handBackNow || current?.isSettled ?? true || clock.now >= stopDeadline! {
                    // Say how it ended: an operator (Slurm's scancel, a scale-down) reads this
                    // line to know whether the stop lost a frame.
                    if let job = current, handBackNow {
                        let frame = job.lastFrameTime.map { " (its last frame took \(String(format: "%.1f", $0.seconds)) s)" } ?? ""
                        log("stopped: the current frame of \(job.name) could not end within --stop-grace (\(configuration.stopGrace.secondsText) s)\(frame); BYE hands the chunk back at once without it")
                    } else if let job = current {
                        log(job.isSettled
                            ? "stopped: every frame of \(job.name) sent was acknowledged; BYE hands the chunk back"
                            : "stopped: --stop-grace (\(configuration.stopGrace)) ran out before the current frame of \(job.name) was acknowledged; BYE hands the chunk back without it")
                    } else {
                        log("stopped: no chunk in hand; BYE")
                    }
                    current?.cancel()
                    send(.bye())
                    return heardAny
                }
            }
            // Every waiting message first (a CANCEL must drop results before they are sent).
            var wait: Duration = .milliseconds(20)
            while let frames = try? socket.receive(timeout: wait) {
                wait = .zero
                lastHeard = clock.now
                heardAny = true
                let message: Message
                do { message = try Message.decode(frames) } catch .unsupportedVersion(let version) {
                    // A coordinator of another release: nothing it sends can be read, so say so once and stop.
                    throw WorkerError.network("coordinator \(configuration.endpoint): \(DecodeError.unsupportedVersion(version))")
                } catch {
                    log("dropped a malformed message from the coordinator")
                    continue
                }
                switch message.kind {
                case .task:
                    guard current == nil, !stop.isRaised else {
                        log("refused a task while busy")
                        send(.chunkFailed(job: message.header.job, chunk: message.header.chunk, reason: "worker \(name) is busy"))
                        continue
                    }
                    let job = ChunkJob(job: message.header.job, chunk: message.header.chunk, logger: logger)
                    do {
                        let task = try message.decodeTask()
                        job.start(task, renderer: RendererFactory.renderer(for: task.spec.method, models: models))
                    } catch {
                        send(.chunkFailed(job: message.header.job, chunk: message.header.chunk, reason: "bad task: \(error)"))
                        send(.ready(credit: 1, hello: hello))
                        continue
                    }
                    current = job
                case .ack:
                    if let job = current, job.job == message.header.job, job.chunk == message.header.chunk {
                        job.acknowledge(frame: message.header.frame)
                    }
                case .cancel:
                    if let job = current, job.job == message.header.job, job.chunk == message.header.chunk {
                        job.cancel()
                    }
                case .bye:
                    current?.cancel()
                    return heardAny
                default:
                    break // heartbeats only renew lastHeard
                }
            }
            if let job = current {
                let (messages, finished) = job.drain()
                for message in messages { send(message) }
                if finished && !stop.isRaised {
                    current = nil
                    send(.ready(credit: 1, hello: hello))
                }
            }
            if clock.now - lastSent >= configuration.heartbeat { send(.heartbeat()) }
            if clock.now - lastHeard > Liveness.expiry(heartbeat: configuration.heartbeat) {
                // Drop the chunk and say so, in case the coordinator is only slow: it then
                // requeues the chunk at once instead of waiting for the lease.
                current?.cancel()
                send(.bye())
                return heardAny
            }
        }
    }

    private var logger: Logger { LineLogHandler.logger("vst-worker", level: configuration.logLevel) }

    private func log(_ line: String) {
        logger.notice("\(line)")
    }
}
