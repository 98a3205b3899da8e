import Foundation
import Protocol

/// What one job has achieved, kept in the `JobStore` and mirrored in memory for the loop:
/// which renders are stored in `frames/`, which chunks delivered every frame, which chunks'
/// output segments are sealed, and whether the final film is joined.
///
/// Every `record...` is durable (one SQLite transaction) before it returns, which is before
/// the coordinator acknowledges the result it records. Recording is idempotent: a frame that
/// arrives twice is stored once (the second arrival is only counted).
final class JobJournal {
    struct Render: Hashable, Sendable {
        let chunk: Int
        let frame: Int
        init(chunk: Int, frame: Int) { self.chunk = chunk; self.frame = frame }
    }

    let job: UInt32
    private let store: JobStore
    private(set) var stored: Set<Render>
    private(set) var doneChunks: Set<Int> = []
    private(set) var sealedChunks: Set<Int> = []
    private(set) var isFinished = false

    /// Loads `job`'s progress from `store`.
    init(store: JobStore, job: UInt32) {
        self.store = store
        self.job = job
        stored = store.storedRenders(of: job)
        for (chunk, record) in store.chunks(of: job) {
            if record.done { doneChunks.insert(chunk) }
            if record.sealed { sealedChunks.insert(chunk) }
        }
    }

    /// Records that `render` is stored (its file is on disk). Returns false, counting the
    /// arrival only, when it was stored already.
    @discardableResult
    func recordStored(_ render: Render) throws(CoordinatorError) -> Bool {
        guard !stored.contains(render) else {
            try recordDuplicate(render)
            return false
        }
        try store.recordArrival(job: job, chunk: render.chunk, frame: render.frame, store: true)
        stored.insert(render)
        return true
    }

    /// Counts an arrival of a render that is not stored again (stored or encoded already).
    func recordDuplicate(_ render: Render) throws(CoordinatorError) {
        try store.recordArrival(job: job, chunk: render.chunk, frame: render.frame, store: false)
    }

    func recordChunkDone(_ chunk: Int) throws(CoordinatorError) {
        guard !doneChunks.contains(chunk) else { return }
        try store.markChunkDone(job: job, chunk: chunk)
        doneChunks.insert(chunk)
    }

    /// Chunk `chunk`'s segment is final; `released` are the renders it made unnecessary (their
    /// files go next).
    func recordSealed(_ chunk: Int, released: [Render]) throws(CoordinatorError) {
        try store.markSealed(job: job, chunk: chunk, renders: released)
        sealedChunks.insert(chunk)
        stored.subtract(released)
    }

    /// The job's state and its message (`JobRunner`'s state changes).
    func recordState(_ state: JobStatus.State, message: String) throws(CoordinatorError) {
        try store.setState(job, state, message: message)
    }

    func recordPriority(_ priority: Int) throws(CoordinatorError) {
        try store.setPriority(job, priority)
    }

    func recordFinished() {
        isFinished = true
    }

    /// Forgets everything (retry).
    func reset() throws(CoordinatorError) {
        try store.resetProgress(of: job)
        stored = []
        doneChunks = []
        sealedChunks = []
        isFinished = false
    }
}
