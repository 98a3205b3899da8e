import Protocol

/// A TASK's payload handed to the render thread once: `take()` gives it and forgets it, so
/// the compressed frames are freed as soon as they are decoded rather than when the chunk ends.
final class TaskHolder: @unchecked Sendable {
    private var task: TaskPayload?

    init(_ task: TaskPayload) { self.task = task }

    /// The payload; called once, on the render thread.
    func take() -> TaskPayload {
        defer { task = nil }
        return task!
    }
}
