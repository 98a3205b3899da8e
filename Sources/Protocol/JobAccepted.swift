/// The payload of ACCEPTED (C->T): the id the coordinator gave a submitted job.
public struct JobAccepted: Codable, Sendable, Equatable {
    public var job: UInt32
    public init(job: UInt32) { self.job = job }
}
