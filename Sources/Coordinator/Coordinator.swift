import Foundation
import Logging
import ProcessSupport
import Protocol

/// The entry points of `vst-coord`: each subcommand builds a configuration and calls one of
/// these. Output: progress and events on stderr, results (a job id, a status table) on stdout.
public enum Coordinator {
    /// `submit`: with no `coordinator`, an embedded coordinator on 127.0.0.1 and local worker
    /// processes render the film; with one, the job is handed over the client channel and
    /// followed until it ends (or, with `detach`, its id is printed at once).
    public static func submit(_ configuration: SubmitConfiguration) throws(CoordinatorError) {
        let request = try configuration.options.makeRequest()
        if let endpoint = configuration.coordinator {
            if configuration.diskBudget != nil {
                throw .invalidOption("--disk-budget is for a submit without --coordinator; a running coordinator's is its serve --disk-budget")
            }
            let client = try ControlClient(endpoint: endpoint, security: configuration.security.client(endpoint: endpoint))
            let job = try client.submit(request)
            print(job)
            if configuration.detach { return }
            try follow(job: job, client: client, progress: ProgressPrinter(style: configuration.progress ?? ProgressPrinter.automaticStyle))
            return
        }
        if configuration.detach { throw .invalidOption("--detach needs --coordinator (an embedded coordinator ends with submit)") }
        try runEmbedded(request, configuration)
    }

    /// `serve`: a long-running coordinator with a job queue, until SIGTERM or SIGINT; with a
    /// `companion` (the dashboard) called after every step.
    public static func serve(_ configuration: ServeConfiguration, companion: (any ServeCompanion)? = nil) throws(CoordinatorError) {
        let security = try configuration.security.server(endpoints: [configuration.bind, configuration.control])
        let lease = configuration.lease ?? defaultLease()
        let shortest = configuration.heartbeat * Liveness.minimumLeaseHeartbeats
        guard lease >= shortest else {
            throw .invalidOption("the lease (\(lease)) must be at least \(Liveness.minimumLeaseHeartbeats) heartbeats (\(shortest))")
        }
        let stop = StopSignal()
        stop.install()
        let logger = LineLogHandler.logger("vst-coord", level: configuration.logLevel)
        let server = try CoordinatorServer(bind: configuration.bind, control: configuration.control, settings: .init(
            lease: lease, dataDirectory: URL(fileURLWithPath: configuration.dataDirectory),
            security: security, heartbeat: configuration.heartbeat, diskBudget: configuration.diskBudget ?? CoordinatorServer.Settings.defaultDiskBudget,
            log: { logger.info("\($0)") }))
        let link: String
        switch security {
        case .plain: link = "plain TCP, no encryption"
        case .curve(let keys, let authorized): link = "CURVE, server key \(keys.publicKey), \(authorized.count) authorized keys"
        }
        logger.notice("serving workers on \(server.workerEndpoint), clients on \(server.controlEndpoint ?? "-"), data in \(configuration.dataDirectory) (\(link))")
        try companion?.start(server)
        while !stop.isRaised {
            server.step()
            companion?.afterStep(server)
        }
        logger.notice("stopping")
        companion?.stop()
        server.shutdown()
    }

    /// `status`: one job's or every job's state, printed as a table on stdout.
    public static func status(job: UInt32?, coordinator: String, security: LinkSecurity) throws(CoordinatorError) {
        let jobs = try ControlClient(endpoint: coordinator, security: security.client(endpoint: coordinator)).status(job: job)
        print(StatusTable.render(jobs), terminator: "")
    }

    /// `cancel`, `pause`, `resume`, `retry`, `priority`: prints the job's state after the action.
    public static func control(job: UInt32, action: ControlRequest.Action, priority: Int? = nil, coordinator: String,
                               security: LinkSecurity) throws(CoordinatorError) {
        let status = try ControlClient(endpoint: coordinator, security: security.client(endpoint: coordinator))
            .control(job: job, action: action, priority: priority)
        print(StatusTable.render([status]), terminator: "")
    }

    /// The worker lease: `VST_WORKER_LEASE_MS` when set (tests shorten it), else
    /// `Liveness.workerLease`.
    public static func defaultLease(environment: [String: String] = ProcessInfo.processInfo.environment) -> Duration {
        if let text = environment["VST_WORKER_LEASE_MS"], let ms = Int(text), ms > 0 { return .milliseconds(ms) }
        return Liveness.workerLease
    }

    // MARK: Embedded

    private static func runEmbedded(_ request: JobRequest, _ configuration: SubmitConfiguration) throws(CoordinatorError) {
        let stop = StopSignal()
        stop.install()
        let output = URL(fileURLWithPath: request.output)
        let data = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).vst")
        let verbose = configuration.verbose
        // A private Unix socket to the run's own workers (or CURVE on loopback): `EmbeddedLink`.
        let link = try EmbeddedLink(data: data, insecure: configuration.security.isPlain)
        defer { link.remove() }
        let server = try CoordinatorServer(bind: link.bind, control: nil, settings: .init(
            lease: configuration.lease ?? defaultLease(), dataDirectory: data, security: link.security,
            diskBudget: configuration.diskBudget ?? CoordinatorServer.Settings.defaultDiskBudget, log: { @Sendable line in if verbose { log(line) } }))
        defer { server.shutdown() }
        // A run of the same job killed earlier left its store here: take it up where it
        // stopped; anything else left over is cancelled.
        let job: UInt32
        if let earlier = server.unfinishedJob(matching: request) {
            job = earlier
            if server.status(of: job)?.state == .paused { _ = try server.control(job, .resume) }
            log("resuming job \(job) of an interrupted run of this command (\(data.path))")
        } else {
            job = try server.addJob(request)
        }
        for other in server.unfinishedJobs where other != job { _ = try? server.control(other, .cancel) }
        let count = configuration.localWorkers ?? LocalWorkers.defaultCount
        let workers = try LocalWorkers(count: count, endpoint: server.workerEndpoint,
                                       executable: configuration.workerExecutable ?? LocalWorkers.defaultExecutable(),
                                       threads: configuration.workerThreads, keyArguments: link.workerArguments)
        defer { workers.stop() }
        if configuration.verbose { log("\(count) local workers (pids \(workers.pids.map(String.init).joined(separator: ", "))) on \(server.workerEndpoint)") }
        let printer = ProgressPrinter(style: configuration.progress ?? ProgressPrinter.automaticStyle)
        while !server.isFinished(job) {
            if stop.isRaised {
                _ = try? server.control(job, .cancel)
                server.removeFolder(of: job)
                try? FileManager.default.removeItem(at: data)
                throw .jobCancelled(job: job)
            }
            server.step()
            if let report = server.progress(of: job) { printer.update(report) }
        }
        let status = server.status(of: job)!
        if let report = server.progress(of: job) { printer.finish(report) }
        // The summary (peak disk included) the verbose log already printed from the loop.
        if status.state == .done, !verbose, printer.style != .none, let summary = server.summary(of: job) { log(summary) }
        // The job folder only serves this run: a later submit starts afresh.
        server.removeFolder(of: job)
        try? FileManager.default.removeItem(at: data)
        switch status.state {
        case .done: break
        case .cancelled: throw .jobCancelled(job: job)
        default: throw .jobFailed(job: job, reason: status.message)
        }
    }

    // MARK: Following a remote job

    private static func follow(job: UInt32, client: ControlClient, progress: ProgressPrinter) throws(CoordinatorError) {
        while true {
            guard let status = try client.status(job: job).first else { throw .rejected("the coordinator forgot job \(job)") }
            let report = ProgressReport(status)
            switch status.state {
            case .done:
                progress.finish(report)
                return
            case .failed:
                progress.finish(report)
                throw .jobFailed(job: job, reason: status.message)
            case .cancelled:
                throw .jobCancelled(job: job)
            default:
                progress.update(report)
            }
            Thread.sleep(forTimeInterval: 0.25)
        }
    }

    static func log(_ line: String) {
        FileHandle.standardError.write(Data("vst-coord: \(line)\n".utf8))
    }
}

extension ProgressReport {
    /// A report rebuilt from a remote job's status (elapsed time from its rate when an older
    /// coordinator does not send it).
    init(_ status: JobStatus) {
        let elapsed = status.elapsedSeconds.map { Duration.milliseconds(Int64($0 * 1000)) }
            ?? (status.fps > 0 ? Duration.milliseconds(Int64(Double(status.framesDone) / status.fps * 1000)) : .zero)
        self.init(framesDone: status.framesDone, framesTotal: status.framesTotal, rendersDone: status.rendersDone,
                  rendersTotal: status.rendersTotal, elapsed: elapsed, workersBusy: status.workersBusy, workers: status.workersBusy)
    }
}
