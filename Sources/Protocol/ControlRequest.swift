/// The payload of CONTROL (T->C); the job is named by the header's job field.
public struct ControlRequest: Codable, Sendable, Equatable {
    public enum Action: String, Codable, Sendable, CaseIterable {
        case cancel, pause, resume, retry
        /// Set the job's queue priority to `priority` (higher runs first).
        case priority
    }

    public var action: Action
    /// The new priority, with `.priority` only.
    public var priority: Int?
    public init(action: Action, priority: Int? = nil) {
        self.action = action
        self.priority = priority
    }
}
