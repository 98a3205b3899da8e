import Coordinator
import Foundation
import Hummingbird
import Logging
import NIOCore
import ProcessSupport
import Protocol

/// The dashboard's HTTP listener: a Hummingbird application over `buildDashboardRouter`,
/// running on Swift concurrency's threads beside the coordinator's loop thread.
///
/// `start()` returns once the port is bound (or throws when it cannot be), so `serve` fails
/// at once on a port in use; `stop()` shuts the server down and waits for it.
final class DashboardServer: @unchecked Sendable {
    let state: DashboardState
    let address: HTTPAddress
    private let log: @Sendable (String) -> Void
    private var task: Task<Void, any Error>?

    init(state: DashboardState, address: HTTPAddress, log: @escaping @Sendable (String) -> Void) {
        self.state = state
        self.address = address
        self.log = log
    }

    func start() throws(CoordinatorError) {
        let outcome = StartOutcome()
        // Hummingbird's own log: stopping is a task cancellation, which it reports as an error
        // line; real failures (a port in use) come back from `run()` and are reported here.
        let logger = LineLogHandler.logger("vst-coord", level: .critical)
        let app = Application(
            router: buildDashboardRouter(state: state),
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "vst-coord"),
            onServerRunning: { channel in outcome.finish(port: channel.localAddress?.port, error: nil) },
            logger: logger)
        task = Task.detached {
            do { try await app.run() } catch { outcome.finish(port: nil, error: error) }
        }
        guard let result = outcome.wait(timeout: 10) else {
            stop()
            throw .network("the dashboard did not start listening on \(address) within 10 s")
        }
        if let error = result.error {
            stop()
            throw .network("cannot listen on \(address) for the dashboard: \(error)")
        }
        let bound = HTTPAddress(host: address.host, port: result.port ?? address.port)
        log("dashboard on http://\(bound)/ (token in the token file; GETs from loopback need none)")
    }

    func stop() {
        task?.cancel()
        task = nil
    }

    /// The first of "listening" or "failed", handed from the server's task to `start()`.
    private final class StartOutcome: @unchecked Sendable {
        private let condition = NSCondition()
        private var result: (port: Int?, error: (any Error)?)?

        func finish(port: Int?, error: (any Error)?) {
            condition.lock()
            if result == nil { result = (port, error) }
            condition.broadcast()
            condition.unlock()
        }

        func wait(timeout: TimeInterval) -> (port: Int?, error: (any Error)?)? {
            condition.lock()
            defer { condition.unlock() }
            let deadline = Date().addingTimeInterval(timeout)
            while result == nil && condition.wait(until: deadline) {}
            return result
        }
    }
}
