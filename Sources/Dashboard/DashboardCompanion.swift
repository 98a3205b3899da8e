import Coordinator
import Foundation

/// The dashboard's part of `serve`'s loop (a `ServeCompanion`): after every step it carries out
/// the control requests HTTP handlers posted, and every `interval` it publishes a fresh
/// snapshot, so pages and metrics lag the loop by at most that much while a step stays cheap.
public final class DashboardCompanion: ServeCompanion {
    public let state: DashboardState
    public let interval: Duration
    private var server: DashboardServer?
    private let address: HTTPAddress?
    private let log: @Sendable (String) -> Void
    private var lastPublished: ContinuousClock.Instant?

    /// - Parameters:
    ///   - address: where to listen; nil runs no HTTP server (tests drive the router in memory).
    public init(state: DashboardState, address: HTTPAddress?, interval: Duration = .milliseconds(250),
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.state = state
        self.address = address
        self.interval = interval
        self.log = log
    }

    public func start(_ server: CoordinatorServer) throws(CoordinatorError) {
        state.publish(server.snapshot())
        lastPublished = .now
        guard let address else { return }
        let http = DashboardServer(state: state, address: address, log: log)
        try http.start()
        self.server = http
    }

    public func afterStep(_ server: CoordinatorServer) {
        state.inbox.drain({ request in
            do { return .success(try server.control(request.job, request.action, priority: request.priority)) } catch {
                return .failure(error as? CoordinatorError ?? .rejected("\(error)"))
            }
        }, afterwards: {
            // After a control, at once: the page that asked reads the new state next.
            state.publish(server.snapshot())
            lastPublished = .now
        })
        if lastPublished.map({ ContinuousClock.now - $0 >= interval }) ?? true {
            state.publish(server.snapshot())
            lastPublished = .now
        }
    }

    public func stop() {
        state.inbox.close()
        server?.stop()
        server = nil
    }
}
