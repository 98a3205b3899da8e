/// The payload of CONTROL (T->C); the job is named by the header's job field.
public struct ControlRequest: Codable, Sendable, Equatable {
    public enum Action: String, Codable, Sendable, CaseIterable {
        case cancel, pause, resume, retry
    }

    public var action: Action
    public init(action: Action) { self.action = action }
}
