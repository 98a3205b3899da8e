/// Decides which worker renders which chunk, and what happens to a chunk when its worker goes
/// away. Pull scheduling: a worker gets work only against credit it announced with READY, so a
/// slow node is never buried under chunks it cannot start.
///
/// A value type with no I/O and no clock: the coordinator feeds it events with `now` (time since
/// any fixed origin) and carries out the assignments and cancellations it returns. That is what
/// lets the tests replay a dying worker with a manual clock instead of sleeping.
///
/// Each chunk remembers `nextFrame`, the first frame of its render range that has not arrived.
/// When its worker dies or is preempted, the chunk goes back to the queue and its next worker
/// starts there (warm-started from the frame before), not from the beginning.
public struct Scheduler: Sendable {
    /// One chunk of one job.
    public struct ChunkID: Hashable, Sendable, Comparable, CustomStringConvertible {
        public let job: UInt32
        public let chunk: Int
        public init(job: UInt32, chunk: Int) { self.job = job; self.chunk = chunk }
        public static func < (a: ChunkID, b: ChunkID) -> Bool { (a.job, a.chunk) < (b.job, b.chunk) }
        public var description: String { "job \(job) chunk \(chunk)" }
    }

    /// Render `chunk` on `worker` from `firstFrame` to the end of the chunk's render range.
    /// `firstFrame` is past the range's start when an earlier worker delivered part of it.
    public struct Assignment: Equatable, Sendable {
        public let worker: WorkerID
        public let chunk: ChunkID
        public let firstFrame: Int
        /// The chunk's whole render range (the task's frames are `firstFrame..<range.upperBound`).
        public let range: Range<Int>
        /// True when this is a restart: the frame before `firstFrame` is this chunk's warm start.
        public var isResumption: Bool { firstFrame > range.lowerBound }
    }

    struct ChunkState: Sendable {
        var range: Range<Int>
        var nextFrame: Int
        var holder: WorkerID?
        var done = false
        var failures = 0
    }

    struct WorkerState: Sendable {
        var credit = 0
        var chunks: Set<ChunkID> = []
    }

    private(set) var leases: LeaseTable<WorkerID>
    private var workers: [WorkerID: WorkerState] = [:]
    private var chunks: [ChunkID: ChunkState] = [:]
    /// Chunks waiting for a worker, highest job priority first, then in (job, chunk) order: a
    /// job's early chunks go first so that the assembler can encode while the rest render.
    private var queue: [ChunkID] = []
    /// Each job's priority (`submit --priority`); absent means 0.
    private var priorities: [UInt32: Int] = [:]
    /// Chunks added with `addChunk`, which go before their job's others.
    private var urgent: Set<ChunkID> = []
    /// Chunks of a job each worker failed, by the name it gave in READY (host-pid): job -> name
    /// -> count. A name is stable across the worker's reconnections, unlike its identity, so a
    /// blocklist outlives a reconnect. The caller knows the names (the coordinator's
    /// `WorkerRegistry`) and passes them in; a worker without one counts by its identity.
    private var workerFailures: [UInt32: [String: Int]] = [:]

    public init(lease: Duration) {
        leases = LeaseTable(lease: lease)
    }

    // MARK: Jobs

    /// Queues every chunk of `job`; `ranges[k]` is chunk k's render range. Chunks listed in
    /// `done` are finished already, and `resumeAt[k]` is where a partly delivered chunk goes on.
    /// A job with a higher `priority` is served before every job with a lower one.
    public mutating func addJob(_ job: UInt32, ranges: [Range<Int>], done: Set<Int> = [], resumeAt: [Int: Int] = [:],
                                priority: Int = 0) {
        priorities[job] = priority
        for (index, range) in ranges.enumerated() {
            let id = ChunkID(job: job, chunk: index)
            var state = ChunkState(range: range, nextFrame: max(range.lowerBound, min(resumeAt[index] ?? range.lowerBound, range.upperBound)))
            state.done = done.contains(index)
            chunks[id] = state
            if !state.done { enqueue(id) }
        }
    }

    /// Queues one more chunk of a job already added: work that can start only once other chunks
    /// delivered (a seam task, `SeamSpec`). Its index must be new to the job; `resumeAt` as in
    /// `addJob`. It goes before the job's other waiting chunks: the output waits for it.
    public mutating func addChunk(_ job: UInt32, index: Int, range: Range<Int>, resumeAt: Int? = nil) {
        let id = ChunkID(job: job, chunk: index)
        guard priorities[job] != nil, chunks[id] == nil else { return }
        urgent.insert(id)
        chunks[id] = ChunkState(range: range, nextFrame: max(range.lowerBound, min(resumeAt ?? range.lowerBound, range.upperBound)))
        enqueue(id)
    }

    /// Forgets `job` entirely; returns the assignments that its workers must drop.
    public mutating func removeJob(_ job: UInt32) -> [(worker: WorkerID, chunk: ChunkID)] {
        let cancelled = preempt(job)
        for id in chunks.keys where id.job == job { chunks[id] = nil }
        urgent = urgent.filter { $0.job != job }
        queue.removeAll { $0.job == job }
        priorities[job] = nil
        workerFailures[job] = nil
        return cancelled
    }

    /// Changes `job`'s priority: its waiting chunks move to their new place in the queue; chunks
    /// being rendered stay where they are.
    public mutating func setPriority(_ job: UInt32, _ priority: Int) {
        guard priorities[job] != nil else { return }
        priorities[job] = priority
        let waiting = queue.filter { $0.job == job }
        queue.removeAll { $0.job == job }
        for id in waiting { enqueue(id) }
    }

    /// Takes `job`'s chunks away from their workers (pause): they go back to the queue and keep
    /// what was delivered. Returns the assignments that the workers must drop.
    public mutating func preempt(_ job: UInt32) -> [(worker: WorkerID, chunk: ChunkID)] {
        var cancelled: [(worker: WorkerID, chunk: ChunkID)] = []
        for (id, state) in chunks where id.job == job {
            if let holder = state.holder {
                cancelled.append((holder, id))
                workers[holder]?.chunks.remove(id)
                chunks[id]?.holder = nil
                enqueue(id)
            }
        }
        return cancelled.sorted { $0.chunk < $1.chunk }
    }

    // MARK: Workers

    /// A worker announced `credit` more chunks it can take; also a sign of life. A worker says
    /// READY only with empty hands (at connection, or after its chunk ended), so any chunk it
    /// still holds here was lost on its side: it goes back to the queue, resuming where the
    /// delivered frames end. Returns those chunks.
    @discardableResult
    public mutating func ready(_ worker: WorkerID, credit: Int, now: Duration) -> [ChunkID] {
        heard(worker, now: now)
        let orphaned = workers[worker]?.chunks.sorted() ?? []
        for id in orphaned where chunks[id] != nil {
            chunks[id]?.holder = nil
            enqueue(id)
        }
        workers[worker]?.chunks.removeAll()
        workers[worker, default: WorkerState()].credit += max(0, credit)
        return orphaned
    }

    /// A worker that fails this many chunks of one job gets no more chunks of it (Flamenco's
    /// rule): a node missing a model or memory for one job should not eat all its chunks.
    public static let maxWorkerFailuresPerJob = 3

    /// True when the worker named `name` failed `maxWorkerFailuresPerJob` chunks of `job`.
    public func isBlocklisted(_ name: String, for job: UInt32) -> Bool {
        failures(ofWorkerNamed: name, in: job) >= Self.maxWorkerFailuresPerJob
    }

    /// Chunks of `job` that failed on the worker named `name` so far.
    public func failures(ofWorkerNamed name: String, in job: UInt32) -> Int { workerFailures[job]?[name] ?? 0 }

    /// Any message from `worker` renews its lease. A worker unknown so far joins with no credit.
    public mutating func heard(_ worker: WorkerID, now: Duration) {
        if workers[worker] == nil { workers[worker] = WorkerState() }
        leases.renew(worker, now: now)
    }

    /// True if `worker` is known and alive (its lease has not been expired).
    public func knows(_ worker: WorkerID) -> Bool { workers[worker] != nil }

    /// A worker left (BYE) or broke its protocol: its chunks go back to the queue.
    @discardableResult
    public mutating func release(_ worker: WorkerID) -> [ChunkID] {
        leases.remove(worker)
        guard let state = workers.removeValue(forKey: worker) else { return [] }
        for id in state.chunks where chunks[id] != nil {
            chunks[id]?.holder = nil
            enqueue(id)
        }
        return state.chunks.sorted()
    }

    /// Declares every worker silent past its lease dead; their chunks go back to the queue.
    public mutating func expire(now: Duration) -> [(worker: WorkerID, chunks: [ChunkID])] {
        leases.expire(now: now).map { worker in (worker, release(worker)) }
    }

    // MARK: Progress of a chunk

    /// Frame `frame` of `chunk` arrived (from any worker, even a stale one: stored is stored).
    public mutating func received(_ chunk: ChunkID, frame: Int) {
        guard var state = chunks[chunk], frame == state.nextFrame else { return }
        state.nextFrame += 1
        chunks[chunk] = state
    }

    /// `worker` says it sent every frame of `chunk`. Returns true when the chunk is complete;
    /// if frames are missing (they never arrived), the chunk is queued again from the first gap.
    @discardableResult
    public mutating func chunkDone(_ chunk: ChunkID, by worker: WorkerID) -> Bool {
        workers[worker]?.chunks.remove(chunk)
        guard var state = chunks[chunk], !state.done else { return false }
        guard state.holder == worker else { return false }
        state.holder = nil
        if state.nextFrame >= state.range.upperBound {
            state.done = true
            chunks[chunk] = state
            return true
        }
        chunks[chunk] = state
        enqueue(chunk)
        return false
    }

    /// How many times a chunk may fail (CHUNK_FAILED) before its job fails: another worker may
    /// have what this one lacked (memory, a newer build), but a method no worker has must not
    /// loop for ever.
    public static let maxChunkFailures = 3

    /// `worker` (named `name`, see `workerFailures`) gave up on `chunk`. The chunk goes back to
    /// the queue (from its first missing frame) until it has failed `maxChunkFailures` times;
    /// returns true when it is given up and its job must fail.
    @discardableResult
    public mutating func chunkFailed(_ chunk: ChunkID, by worker: WorkerID, named name: String? = nil) -> Bool {
        workers[worker]?.chunks.remove(chunk)
        guard var state = chunks[chunk], state.holder == worker else { return false }
        workerFailures[chunk.job, default: [:]][name ?? "\(worker)", default: 0] += 1
        state.holder = nil
        state.failures += 1
        chunks[chunk] = state
        if state.failures >= Self.maxChunkFailures { return true }
        enqueue(chunk)
        return false
    }

    /// A RESULT came from `worker` for `chunk`, which nobody holds, at exactly the chunk's next
    /// frame: the worker is rendering it already (a coordinator restarted under it and its
    /// connection came back), so it keeps the chunk instead of another worker redoing it.
    /// Returns false (the sender must be told to drop the chunk) otherwise.
    public mutating func adopt(_ chunk: ChunkID, by worker: WorkerID, frame: Int) -> Bool {
        guard var state = chunks[chunk], !state.done, state.holder == nil, frame == state.nextFrame,
              workers[worker] != nil else { return false }
        state.holder = worker
        chunks[chunk] = state
        queue.removeAll { $0 == chunk }
        workers[worker]!.chunks.insert(chunk)
        return true
    }

    public func holder(of chunk: ChunkID) -> WorkerID? { chunks[chunk]?.holder }
    public func nextFrame(of chunk: ChunkID) -> Int? { chunks[chunk]?.nextFrame }
    public func isDone(_ chunk: ChunkID) -> Bool { chunks[chunk]?.done ?? false }
    public func failures(of chunk: ChunkID) -> Int { chunks[chunk]?.failures ?? 0 }

    // MARK: Assignment

    /// Hands queued chunks of jobs for which `eligible` is true to workers with credit, oldest
    /// job and lowest chunk first, spreading over workers (the least busy worker goes first), a
    /// chunk only to a worker for which `canTake` is true (one that knows its kind of TASK) and
    /// that is not blocklisted for the chunk's job under its `name` (see `workerFailures`).
    /// A chunk for which `admits` is false stays queued for now (its job's renders waiting for
    /// the encoder are over the disk budget, `JobRunner.admits`) and later chunks may go instead.
    public mutating func assign(eligible: (UInt32) -> Bool = { _ in true },
                                admits: (ChunkID) -> Bool = { _ in true },
                                canTake: (WorkerID, ChunkID) -> Bool = { _, _ in true },
                                name: (WorkerID) -> String = { "\($0)" }) -> [Assignment] {
        var result: [Assignment] = []
        var index = 0
        while index < queue.count {
            let id = queue[index]
            guard eligible(id.job), let state = chunks[id], !state.done, state.holder == nil, admits(id) else {
                index += 1
                continue
            }
            let withCredit = workers.filter { $0.value.credit > 0 }
            if withCredit.isEmpty { break }
            let candidates = withCredit.filter { !isBlocklisted(name($0.key), for: id.job) && canTake($0.key, id) }
            guard let worker = candidates.min(by: { a, b in
                a.value.chunks.count != b.value.chunks.count
                    ? a.value.chunks.count < b.value.chunks.count
                    : a.key.bytes.lexicographicallyPrecedes(b.key.bytes)
            })?.key else {
                index += 1 // every worker with credit is blocklisted for this job or cannot take the chunk
                continue
            }
            queue.remove(at: index)
            workers[worker]!.credit -= 1
            workers[worker]!.chunks.insert(id)
            chunks[id]!.holder = worker
            result.append(Assignment(worker: worker, chunk: id, firstFrame: state.nextFrame, range: state.range))
        }
        return result
    }

    // MARK: Counts

    public var workerCount: Int { workers.count }
    /// Every live worker, in a stable order.
    public var knownWorkers: [WorkerID] { workers.keys.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) } }
    public var busyWorkerCount: Int { workers.values.filter { !$0.chunks.isEmpty }.count }
    public var queuedChunkCount: Int { queue.count }
    public func assignedChunks(of worker: WorkerID) -> [ChunkID] { workers[worker]?.chunks.sorted() ?? [] }

    private mutating func enqueue(_ id: ChunkID) {
        guard !queue.contains(id) else { return }
        let position = queue.firstIndex { goesBefore(id, $0) } ?? queue.endIndex
        queue.insert(id, at: position)
    }

    private func goesBefore(_ a: ChunkID, _ b: ChunkID) -> Bool {
        let pa = priorities[a.job] ?? 0, pb = priorities[b.job] ?? 0
        if pa != pb { return pa > pb }
        if a.job == b.job && urgent.contains(a) != urgent.contains(b) { return urgent.contains(a) }
        return a < b
    }
}
