/// What a worker process needs to know to join a farm.
public struct WorkerConfiguration: Sendable, Equatable {
    /// Coordinator endpoint, e.g. tcp://coord:5555.
    public var endpoint: String
    /// Compute threads; nil means all cores.
    public var threads: Int?

    public init(endpoint: String, threads: Int? = nil) {
        self.endpoint = endpoint
        self.threads = threads
    }
}
