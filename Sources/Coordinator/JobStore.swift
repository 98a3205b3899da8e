import Foundation
import GRDB
import Protocol

/// The coordinator's state in one SQLite database (`DATA/vst.sqlite`), so that a coordinator
/// killed at any instant and started again resumes every job: which jobs exist and in what
/// state, which renders are stored, which chunks' output segments are sealed, who worked on
/// what, and a log of events.
///
/// Tables (schema by `migrator`; a new version adds a migration, never edits an old one):
///
///     job     id, request (JSON JobRequest), state, message, priority, created
///     chunk   job, chunk, done (every frame arrived), sealed (its segment is final), failures,
///             failedOn (one "WORKER: reason" line per failure)
///     frame   job, chunk, frame (relative), arrivals (RESULTs received, duplicates included),
///             stored (1 while frames/CHUNK-FRAME.rgb.lz4 holds it, 0 once sealed into a segment)
///     worker  identity (hex), name, joined, left, chunksDone, chunksFailed
///     event   id, time, job, chunk, kind, detail
///
/// Durability: WAL with `synchronous = FULL`, so every write transaction is on disk when it
/// returns, which is when the coordinator acknowledges the result it records. With `durable`
/// off (tests), nothing is fsynced.
///
/// Not thread-safe beyond what GRDB's queue gives: the coordinator's loop is its one user.
final class JobStore {
    struct StoredJob: Equatable {
        let id: UInt32
        let request: JobRequest
        let state: JobStatus.State
        let message: String
        let priority: Int
    }

    struct ChunkRecord: Equatable {
        var done = false
        var sealed = false
        var failures = 0
    }

    let path: String
    private let queue: DatabaseQueue

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    init(path: String, durable: Bool = true) throws(CoordinatorError) {
        self.path = path
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.prepareDatabase { db in
            try db.execute(sql: durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = OFF")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(queue)
        } catch {
            throw .cannotWrite(path: path, reason: "job store: \(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: jobs, chunks, frames, workers, events") { db in
            try db.execute(sql: """
                CREATE TABLE job (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, request TEXT NOT NULL, state TEXT NOT NULL,
                    message TEXT NOT NULL DEFAULT '', priority INTEGER NOT NULL DEFAULT 0, created REAL NOT NULL);
                CREATE TABLE chunk (
                    job INTEGER NOT NULL REFERENCES job(id) ON DELETE CASCADE, chunk INTEGER NOT NULL,
                    done INTEGER NOT NULL DEFAULT 0, sealed INTEGER NOT NULL DEFAULT 0,
                    failures INTEGER NOT NULL DEFAULT 0, failedOn TEXT NOT NULL DEFAULT '',
                    PRIMARY KEY (job, chunk));
                CREATE TABLE frame (
                    job INTEGER NOT NULL REFERENCES job(id) ON DELETE CASCADE, chunk INTEGER NOT NULL, frame INTEGER NOT NULL,
                    arrivals INTEGER NOT NULL DEFAULT 0, stored INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (job, chunk, frame));
                CREATE TABLE worker (
                    identity TEXT PRIMARY KEY, name TEXT NOT NULL, joined REAL NOT NULL, left REAL,
                    chunksDone INTEGER NOT NULL DEFAULT 0, chunksFailed INTEGER NOT NULL DEFAULT 0);
                CREATE TABLE event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, time REAL NOT NULL, job INTEGER, chunk INTEGER,
                    kind TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '');
                """)
        }
        return migrator
    }

    /// The migrations applied to this database, oldest first.
    var appliedMigrations: [String] {
        (try? queue.read { db in try Self.migrator.appliedMigrations(db) }) ?? []
    }

    private func write<T>(_ body: (Database) throws -> T) throws(CoordinatorError) -> T {
        do { return try queue.write(body) } catch { throw .cannotWrite(path: path, reason: "job store: \(error)") }
    }

    private func read<T>(_ body: (Database) throws -> T) -> T? {
        try? queue.read(body)
    }

    private static var now: Double { Date().timeIntervalSince1970 }

    // MARK: Jobs

    /// Records a new job and returns its id (one more than any id ever used).
    func insertJob(_ request: JobRequest, priority: Int) throws(CoordinatorError) -> UInt32 {
        let json = String(decoding: JSONPayload.encode(request), as: UTF8.self)
        return try write { db in
            try db.execute(sql: "INSERT INTO job (request, state, priority, created) VALUES (?, ?, ?, ?)",
                           arguments: [json, JobStatus.State.queued.rawValue, priority, Self.now])
            let id = UInt32(db.lastInsertedRowID)
            try db.execute(sql: "INSERT INTO event (time, job, kind) VALUES (?, ?, 'submitted')", arguments: [Self.now, id])
            return id
        }
    }

    /// Every job, oldest first. A row whose request no longer decodes is skipped (a gatys job
    /// stored by a release before wire version 2 names no typed settings: submit it again).
    func jobs() -> [StoredJob] {
        let rows = read { db in try Row.fetchAll(db, sql: "SELECT * FROM job ORDER BY id") } ?? []
        return rows.compactMap { row in
            let text: String = row["request"]
            guard let request = try? JSONPayload.decode(JobRequest.self, from: Array(text.utf8)),
                  (try? request.validate()) != nil, let state = JobStatus.State(rawValue: row["state"]) else { return nil }
            return StoredJob(id: UInt32(row["id"] as Int64), request: request, state: state, message: row["message"],
                             priority: row["priority"])
        }
    }

    func setState(_ job: UInt32, _ state: JobStatus.State, message: String) throws(CoordinatorError) {
        try write { db in
            try db.execute(sql: "UPDATE job SET state = ?, message = ? WHERE id = ?", arguments: [state.rawValue, message, job])
            try db.execute(sql: "INSERT INTO event (time, job, kind, detail) VALUES (?, ?, ?, ?)",
                           arguments: [Self.now, job, state.rawValue, message])
        }
    }

    func setPriority(_ job: UInt32, _ priority: Int) throws(CoordinatorError) {
        try write { db in
            try db.execute(sql: "UPDATE job SET priority = ? WHERE id = ?", arguments: [priority, job])
            try db.execute(sql: "INSERT INTO event (time, job, kind, detail) VALUES (?, ?, 'priority', ?)",
                           arguments: [Self.now, job, "\(priority)"])
        }
    }

    /// Removes a job that never started (its input was refused).
    func deleteJob(_ job: UInt32) {
        try? write { db in try db.execute(sql: "DELETE FROM job WHERE id = ?", arguments: [job]) }
    }

    /// Forgets what a job achieved (for `retry`): its chunks and frames, not the job.
    func resetProgress(of job: UInt32) throws(CoordinatorError) {
        try write { db in
            try db.execute(sql: "DELETE FROM frame WHERE job = ?", arguments: [job])
            try db.execute(sql: "DELETE FROM chunk WHERE job = ?", arguments: [job])
        }
    }

    // MARK: Frames and chunks

    /// Counts a RESULT for (chunk, frame) and, when `store` is true, marks it stored; in one
    /// durable transaction. Returns the arrivals so far, this one included.
    @discardableResult
    func recordArrival(job: UInt32, chunk: Int, frame: Int, store: Bool) throws(CoordinatorError) -> Int {
        try write { db in
            try db.execute(sql: """
                INSERT INTO frame (job, chunk, frame, arrivals, stored) VALUES (?, ?, ?, 1, ?)
                ON CONFLICT (job, chunk, frame) DO UPDATE SET arrivals = arrivals + 1, stored = stored OR excluded.stored
                """, arguments: [job, chunk, frame, store])
            return try Int.fetchOne(db, sql: "SELECT arrivals FROM frame WHERE job = ? AND chunk = ? AND frame = ?",
                                    arguments: [job, chunk, frame]) ?? 1
        }
    }

    /// The renders of `job` stored now, as (chunk, frame).
    func storedRenders(of job: UInt32) -> Set<JobJournal.Render> {
        let rows = read { db in try Row.fetchAll(db, sql: "SELECT chunk, frame FROM frame WHERE job = ? AND stored = 1", arguments: [job]) } ?? []
        return Set(rows.map { JobJournal.Render(chunk: $0["chunk"], frame: $0["frame"]) })
    }

    /// How many times each (chunk, frame) of `job` arrived, for the no-double-render checks.
    func arrivals(of job: UInt32) -> [JobJournal.Render: Int] {
        let rows = read { db in try Row.fetchAll(db, sql: "SELECT chunk, frame, arrivals FROM frame WHERE job = ?", arguments: [job]) } ?? []
        return Dictionary(uniqueKeysWithValues: rows.map { (JobJournal.Render(chunk: $0["chunk"], frame: $0["frame"]), $0["arrivals"] as Int) })
    }

    func chunks(of job: UInt32) -> [Int: ChunkRecord] {
        let rows = read { db in try Row.fetchAll(db, sql: "SELECT * FROM chunk WHERE job = ?", arguments: [job]) } ?? []
        var result: [Int: ChunkRecord] = [:]
        for row in rows { result[row["chunk"]] = ChunkRecord(done: row["done"], sealed: row["sealed"], failures: row["failures"]) }
        return result
    }

    func markChunkDone(job: UInt32, chunk: Int) throws(CoordinatorError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO chunk (job, chunk, done) VALUES (?, ?, 1) ON CONFLICT (job, chunk) DO UPDATE SET done = 1
                """, arguments: [job, chunk])
        }
    }

    /// Chunk `chunk`'s segment is final: its own frames are encoded in it, so `renders` are no
    /// longer stored (their files are deleted after this returns).
    func markSealed(job: UInt32, chunk: Int, renders: [JobJournal.Render]) throws(CoordinatorError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO chunk (job, chunk, sealed) VALUES (?, ?, 1) ON CONFLICT (job, chunk) DO UPDATE SET sealed = 1
                """, arguments: [job, chunk])
            for render in renders {
                try db.execute(sql: "UPDATE frame SET stored = 0 WHERE job = ? AND chunk = ? AND frame = ?",
                               arguments: [job, render.chunk, render.frame])
            }
        }
    }

    /// Counts a failure of `chunk` on `worker` with its reason; returns every failure line so far.
    @discardableResult
    func recordChunkFailure(job: UInt32, chunk: Int, worker: String, reason: String) throws(CoordinatorError) -> [String] {
        let line = "\(worker): \(reason)".replacingOccurrences(of: "\n", with: " ")
        return try write { db in
            try db.execute(sql: """
                INSERT INTO chunk (job, chunk, failures, failedOn) VALUES (?, ?, 1, ?)
                ON CONFLICT (job, chunk) DO UPDATE SET failures = failures + 1,
                    failedOn = CASE failedOn WHEN '' THEN excluded.failedOn ELSE failedOn || char(10) || excluded.failedOn END
                """, arguments: [job, chunk, line])
            try db.execute(sql: "INSERT INTO event (time, job, chunk, kind, detail) VALUES (?, ?, ?, 'chunk-failed', ?)",
                           arguments: [Self.now, job, chunk, line])
            let text = try String.fetchOne(db, sql: "SELECT failedOn FROM chunk WHERE job = ? AND chunk = ?", arguments: [job, chunk]) ?? ""
            return text.split(separator: "\n").map(String.init)
        }
    }

    // MARK: Workers and events

    func workerJoined(identity: [UInt8], name: String) {
        try? write { db in
            try db.execute(sql: """
                INSERT INTO worker (identity, name, joined) VALUES (?, ?, ?)
                ON CONFLICT (identity) DO UPDATE SET name = excluded.name, left = NULL
                """, arguments: [Self.hex(identity), name, Self.now])
            try db.execute(sql: "INSERT INTO event (time, kind, detail) VALUES (?, 'worker-joined', ?)", arguments: [Self.now, name])
        }
    }

    func workerLeft(identity: [UInt8], why: String) {
        try? write { db in
            try db.execute(sql: "UPDATE worker SET left = ? WHERE identity = ?", arguments: [Self.now, Self.hex(identity)])
            try db.execute(sql: "INSERT INTO event (time, kind, detail) VALUES (?, 'worker-left', ?)", arguments: [Self.now, why])
        }
    }

    func workerFinishedChunk(identity: [UInt8], failed: Bool) {
        try? write { db in
            try db.execute(sql: failed ? "UPDATE worker SET chunksFailed = chunksFailed + 1 WHERE identity = ?"
                                       : "UPDATE worker SET chunksDone = chunksDone + 1 WHERE identity = ?",
                           arguments: [Self.hex(identity)])
        }
    }

    /// Appends to the event log (best effort: a full disk shows up on the next durable write).
    func event(_ kind: String, job: UInt32? = nil, chunk: Int? = nil, detail: String = "") {
        try? write { db in
            try db.execute(sql: "INSERT INTO event (time, job, chunk, kind, detail) VALUES (?, ?, ?, ?, ?)",
                           arguments: [Self.now, job, chunk, kind, detail])
        }
    }

    func events(of job: UInt32) -> [(kind: String, detail: String)] {
        let rows = read { db in try Row.fetchAll(db, sql: "SELECT kind, detail FROM event WHERE job = ? ORDER BY id", arguments: [job]) } ?? []
        return rows.map { ($0["kind"], $0["detail"]) }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
