/// Who a worker is: the JSON part of READY (W->C). Lets the coordinator show workers by name and
/// refuse a worker built for another wire version with a clear reason.
public struct WorkerHello: Codable, Sendable, Equatable {
    /// Human-readable name, usually host name and process id.
    public var name: String
    /// Compute threads the worker renders with.
    public var threads: Int
    public var protocolVersion: UInt16

    public init(name: String, threads: Int, protocolVersion: UInt16 = MessageHeader.currentVersion) {
        self.name = name
        self.threads = threads
        self.protocolVersion = protocolVersion
    }
}
