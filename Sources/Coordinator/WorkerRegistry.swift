import Protocol

/// What the coordinator knows of one connected worker, from its READY and its connection.
struct WorkerRecord: Sendable {
    /// Its READY: its name (host-pid, stable across its reconnections) and the TASK kinds it takes.
    var hello: WorkerHello
    /// Where it connected from and the CURVE key it used, as ZeroMQ reported them (dashboard).
    var address: String?
    var key: String?

    var name: String { hello.name }
}

/// Every worker that said READY, one `WorkerRecord` each, plus what the dashboard shows of
/// each: frames per second lately, and chunks failed. Failures count by name, so a process
/// that reconnects keeps its count (the scheduler's blocklists count by the same names).
///
/// A value type with no I/O and no clock, like `Scheduler`: the coordinator feeds it events
/// with `now` and asks it for names.
struct WorkerRegistry: Sendable {
    private var records: [WorkerID: WorkerRecord] = [:]
    private var throughput = WorkerThroughput<WorkerID>()
    private var failuresByName: [String: Int] = [:]

    /// Records `worker`'s READY (a worker says READY again after each chunk) and where it is
    /// connected from. Returns true for its first READY on this connection: it just joined.
    @discardableResult
    mutating func ready(_ worker: WorkerID, hello: WorkerHello, address: String?, key: String?) -> Bool {
        let joined = records[worker] == nil
        records[worker] = WorkerRecord(hello: hello, address: address, key: key)
        return joined
    }

    /// Forgets a worker that left or went silent; its failures stay with its name.
    mutating func remove(_ worker: WorkerID) {
        records[worker] = nil
        throughput.remove(worker)
    }

    func record(of worker: WorkerID) -> WorkerRecord? { records[worker] }

    /// The worker's name, or its identity while it has not said READY: how logs, the job
    /// store, `status` and the dashboard name it, and the key of its failures and blocklists.
    func displayName(of worker: WorkerID) -> String { records[worker]?.name ?? "\(worker)" }

    /// True when `worker` said READY with `feature` (a worker not heard READY takes nothing).
    func takes(_ worker: WorkerID, _ feature: String) -> Bool { records[worker]?.hello.takes(feature) ?? false }

    /// `frames` frames from `worker` were stored at `now`.
    mutating func delivered(_ worker: WorkerID, frames: Int = 1, now: Duration) {
        for _ in 0..<frames { throughput.record(worker, now: now) }
    }

    /// Frames per second from `worker` over the recent window (`Liveness.throughputWindow`).
    func framesPerSecond(of worker: WorkerID, now: Duration) -> Double { throughput.rate(of: worker, now: now) }

    /// `worker` gave up on a chunk (or sent a segment that was refused).
    mutating func chunkFailed(by worker: WorkerID) {
        failuresByName[displayName(of: worker), default: 0] += 1
    }

    /// Chunks failed by `worker`'s name since the coordinator started.
    func failures(of worker: WorkerID) -> Int { failuresByName[displayName(of: worker)] ?? 0 }
}
