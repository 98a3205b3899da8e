import Coordinator
import Foundation
import ProcessSupport
import Protocol

/// `vst-coord serve --http`: the coordinator's loop with the dashboard beside it.
public enum Dashboard {
    /// Where and how to serve the dashboard.
    public struct Configuration: Sendable {
        /// `--http HOST:PORT`.
        public var address: HTTPAddress
        /// `--http-token FILE`; nil uses (or makes) `DATA/http-token`.
        public var tokenFile: String?

        public init(address: HTTPAddress, tokenFile: String? = nil) {
            self.address = address
            self.tokenFile = tokenFile
        }
    }

    /// Runs `Coordinator.serve` with the dashboard on `dashboard.address` until SIGTERM or
    /// SIGINT; with no `dashboard`, plain `serve`.
    public static func serve(_ configuration: ServeConfiguration, dashboard: Configuration?) throws(CoordinatorError) {
        guard let dashboard else { return try Coordinator.serve(configuration) }
        let (token, path) = try DashboardToken.load(file: dashboard.tokenFile, dataDirectory: configuration.dataDirectory)
        var keyNames: [String: String] = [:]
        if let authorized = configuration.security.authorized, let data = FileManager.default.contents(atPath: authorized),
           let entries = try? CurveKeyFile.parseEntries(String(decoding: data, as: UTF8.self), path: authorized) {
            for entry in entries where !entry.note.isEmpty { keyNames[entry.key.z85] = entry.note }
        }
        let state = DashboardState(token: token, dataDirectory: URL(fileURLWithPath: configuration.dataDirectory), keyNames: keyNames)
        let logger = LineLogHandler.logger("vst-coord", level: configuration.logLevel)
        let log: @Sendable (String) -> Void = { logger.notice("\($0)") }
        if !dashboard.address.isLoopback {
            log("the dashboard listens on \(dashboard.address), beyond loopback: requests from other hosts need the token in \(path)")
        } else {
            log("dashboard token in \(path) (job controls need it)")
        }
        try Coordinator.serve(configuration, companion: DashboardCompanion(state: state, address: dashboard.address, log: log))
    }
}
