import Foundation
import GRDB

/// A second, read-only connection to a coordinator's job store, for threads other than the
/// loop (the dashboard's HTTP handlers). SQLite in WAL mode lets it read while the loop writes,
/// so a page load never waits for the loop, and the loop never waits for a page.
public final class JobStoreReader: Sendable {
    /// One line of the event log.
    public struct Event: Sendable, Equatable, Codable {
        public var id: Int64
        /// Seconds since 1970.
        public var time: Double
        public var chunk: Int?
        /// `submitted`, a state (`running`, `done`, ...), `chunk-failed`, `worker-log`, ...
        public var kind: String
        public var detail: String
    }

    /// A worker connection as the store remembers it, past ones included.
    public struct WorkerRecord: Sendable, Equatable, Codable {
        /// The ROUTER identity in hex.
        public var identity: String
        public var name: String
        public var joined: Double
        public var left: Double?
        public var chunksDone: Int
        public var chunksFailed: Int
    }

    private let queue: DatabaseQueue

    public init(path: String) throws(CoordinatorError) {
        var configuration = Configuration()
        configuration.readonly = true
        do { queue = try DatabaseQueue(path: path, configuration: configuration) } catch {
            throw .cannotWrite(path: path, reason: "job store, read-only: \(error)")
        }
    }

    /// The newest `limit` events of `job` with an id above `after`, oldest first.
    public func events(of job: UInt32, after: Int64 = 0, limit: Int = 200) -> [Event] {
        let rows = (try? queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM (SELECT id, time, chunk, kind, detail FROM event WHERE job = ? AND id > ? ORDER BY id DESC LIMIT ?)
                ORDER BY id
                """, arguments: [job, after, limit])
        }) ?? []
        return rows.map { Event(id: $0["id"], time: $0["time"], chunk: $0["chunk"], kind: $0["kind"], detail: $0["detail"]) }
    }

    /// Every worker connection recorded, newest first.
    public func workers(limit: Int = 200) -> [WorkerRecord] {
        let rows = (try? queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM worker ORDER BY joined DESC LIMIT ?", arguments: [limit])
        }) ?? []
        return rows.map {
            WorkerRecord(identity: $0["identity"], name: $0["name"], joined: $0["joined"], left: $0["left"],
                         chunksDone: $0["chunksDone"], chunksFailed: $0["chunksFailed"])
        }
    }
}
