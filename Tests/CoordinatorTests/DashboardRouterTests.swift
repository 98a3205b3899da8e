import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import Coordinator
@testable import Dashboard
import ProcessSupport
import Protocol

/// The dashboard's routes in memory (`app.test(.router)`) over a real coordinator with a real
/// job (no workers: it stays queued until paused or cancelled), its loop driven by a thread as
/// `serve` drives it. In-memory requests have no peer address, so they count as remote: every
/// one needs the token.
@Suite(.serialized) struct DashboardRouterTests {
    static let token = "test-token-0123456789abcdef"
    static var auth: HTTPFields { [.authorization: "Bearer \(token)"] }

    /// A coordinator on an ephemeral loopback port with one 30-frame sleep job, its loop on a
    /// thread, and the dashboard's state beside it.
    final class Farm: @unchecked Sendable {
        let folder: URL
        let server: CoordinatorServer
        let companion: DashboardCompanion
        private let stop = StopSignal()
        private let stopped = DispatchSemaphore(value: 0)

        init() throws {
            folder = try Tools.temporaryFolder()
            let input = try Tools.syntheticClip(in: folder, frames: 30)
            server = try CoordinatorServer(bind: "tcp://127.0.0.1:*", control: nil, settings: .init(
                lease: .seconds(5), dataDirectory: folder.appendingPathComponent("data"), durable: false))
            var options = SubmitOptions(input: input, output: folder.appendingPathComponent("out.mkv").path)
            options.method = "sleep:10"
            options.chunk = 8
            options.overlap = 2
            try server.addJob(options.makeRequest())
            companion = DashboardCompanion(state: DashboardState(token: DashboardRouterTests.token, dataDirectory: folder.appendingPathComponent("data")),
                                           address: nil)
            try companion.start(server)
            Thread.detachNewThread { [self] in
                while !stop.isRaised {
                    server.step(timeout: .milliseconds(10))
                    companion.afterStep(server)
                }
                stopped.signal()
            }
        }

        deinit {
            stop.raise()
            stopped.wait()
            companion.stop()
            server.shutdown()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    @Test func everyEndpointAnswersWithTheJobsData() async throws {
        let farm = try Farm()
        let app = Application(router: buildDashboardRouter(state: farm.companion.state))
        try await app.test(.router) { client in
            // Without the token: 401 with a JSON error, for reading (not loopback) and control alike.
            for (uri, method) in [("/api/jobs", HTTPRequest.Method.get), ("/", .get), ("/api/jobs/1/pause", .post)] {
                do {
                    let response = try await client.execute(uri: uri, method: method)
                    #expect(response.status == .unauthorized, "\(uri)")
                    #expect(try Self.json(response)["error"] as? String != nil)
                }
            }
            do {
                let response = try await client.execute(uri: "/api/jobs", method: .get, headers: [.authorization: "Bearer wrong-token-0000000000"])
                #expect(response.status == .unauthorized)
            }
            do {
                let response = try await client.execute(uri: "/api/jobs", method: .get, headers: Self.auth)
                #expect(response.status == .ok)
                let jobs = try #require(try Self.json(response)["jobs"] as? [[String: Any]])
                #expect(jobs.count == 1)
                #expect(jobs.first?["id"] as? Int == 1 && jobs.first?["state"] as? String == "queued")
                #expect(jobs.first?["framesTotal"] as? Int == 30 && jobs.first?["method"] as? String == "sleep:10")
            }
            do {
                let response = try await client.execute(uri: "/api/jobs/1", method: .get, headers: Self.auth)
                #expect(response.status == .ok)
                let job = try Self.json(response)
                let chunks = try #require(job["chunks"] as? [[String: Any]])
                #expect(chunks.map { $0["ownStart"] as? Int } == [0, 8, 16, 24])
                #expect(chunks.map { $0["renderStart"] as? Int } == [0, 6, 14, 22])
                let strip = try #require(job["strip"] as? [String: Any])
                #expect(strip["frameCount"] as? Int == 30)
                #expect((strip["runs"] as? [[String: Any]])?.first?["state"] as? String == "queued")
                #expect(job["errorPlot"] as? Bool == false)
                let events = try #require(job["events"] as? [[String: Any]])
                #expect(events.first?["kind"] as? String == "submitted")
            }
            for (uri, status) in [("/api/jobs/99", HTTPResponse.Status.notFound), ("/api/jobs/abc", .badRequest),
                                  ("/api/jobs/1/preview/styled.jpg", .notFound), ("/api/jobs/1/warping-error.png", .notFound),
                                  ("/api/jobs/1/preview/input.jpg?frame=500", .badRequest)] {
                do {
                    let response = try await client.execute(uri: uri, method: .get, headers: Self.auth)
                    #expect(response.status == status, "\(uri)")
                    #expect(try Self.json(response)["error"] as? String != nil, "\(uri)")
                }
            }
            do {
                let response = try await client.execute(uri: "/api/jobs/1/preview/input.jpg?frame=4", method: .get, headers: Self.auth)
                #expect(response.status == .ok && response.headers[.contentType] == "image/jpeg")
                #expect(Array(response.body.readableBytesView.prefix(2)) == [0xFF, 0xD8])
            }
            do {
                let response = try await client.execute(uri: "/api/workers", method: .get, headers: Self.auth)
                #expect(response.status == .ok)
                #expect((try Self.json(response)["workers"] as? [Any])?.isEmpty == true)
            }
            for (uri, needle) in [("/", "data-page=\"jobs\""), ("/workers", "data-page=\"workers\""), ("/jobs/1", "data-job=\"1\""),
                                  ("/assets/dashboard.js", "function drawStrip"), ("/assets/dashboard.css", "--stitched")] {
                do {
                    let response = try await client.execute(uri: uri, method: .get, headers: Self.auth)
                    #expect(response.status == .ok, "\(uri)")
                    #expect(String(buffer: response.body).contains(needle), "\(uri)")
                }
            }
            #expect(try await client.execute(uri: "/jobs/7", method: .get, headers: Self.auth).status == .notFound)

            // Controls go through the loop, as `vst-coord pause` does: same answers, same refusals.
            do {
                let response = try await client.execute(uri: "/api/jobs/1/pause", method: .post, headers: Self.auth)
                #expect(response.status == .ok)
                #expect(try Self.json(response)["state"] as? String == "paused")
            }
            do {
                let response = try await client.execute(uri: "/api/jobs/1/pause", method: .post, headers: Self.auth)
                #expect(response.status == .conflict)
                #expect(try (Self.json(response)["error"] as? String)?.hasPrefix("job 1 is paused") == true)
            }
            do {
                let response = try await client.execute(uri: "/api/jobs/1/priority", method: .post, headers: Self.auth,
                                                        body: ByteBuffer(string: #"{"priority": 5}"#))
                #expect(response.status == .ok)
                #expect(try Self.json(response)["priority"] as? Int == 5)
            }
            do {
                let response = try await client.execute(uri: "/api/jobs/1/priority", method: .post, headers: Self.auth, body: ByteBuffer(string: "five"))
                #expect(response.status == .badRequest)
            }
            do {
                let response = try await client.execute(uri: "/api/jobs/99/cancel", method: .post, headers: Self.auth)
                #expect(response.status == .notFound)
            }
            do {
                let response = try await client.execute(uri: "/api/jobs/1/cancel", method: .post, headers: Self.auth)
                #expect(try Self.json(response)["state"] as? String == "cancelled")
            }
            do {
                let response = try await client.execute(uri: "/api/jobs/1", method: .get, headers: Self.auth)
                let job = try Self.json(response)
                #expect(job["state"] as? String == "cancelled" && job["priority"] as? Int == 5)
                #expect((job["strip"] as? [String: Any]).flatMap { ($0["runs"] as? [[String: Any]])?.first?["state"] as? String } == "queued")
                let kinds = (job["events"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } ?? []
                #expect(kinds.contains("paused") && kinds.contains("priority") && kinds.contains("cancelled"), "\(kinds)")
            }
            do {
                let response = try await client.execute(uri: "/metrics", method: .get, headers: Self.auth)
                #expect(response.status == .ok)
                let samples = try PrometheusText.parse(String(buffer: response.body))
                #expect(PrometheusText.value(samples, "vst_frames_stored_total") == 0)
                #expect(PrometheusText.value(samples, "vst_workers", ["state": "busy"]) == 0)
                #expect(PrometheusText.value(samples, "vst_jobs", ["state": "cancelled"]) == 1)
                #expect(PrometheusText.value(samples, "vst_queue_depth_chunks") == 0)
            }
        }
    }

    @Test func aTokenInTheQueryLetsABrowserInWithACookieForGETsOnly() async throws {
        let farm = try Farm()
        let app = Application(router: buildDashboardRouter(state: farm.companion.state))
        try await app.test(.router) { client in
            let first = try await client.execute(uri: "/jobs/1?token=\(Self.token)", method: .get)
            #expect(first.status == .ok)
            let cookie = try #require(first.headers[.setCookie])
            #expect(cookie.hasPrefix("vst_token=\(Self.token)") && cookie.contains("HttpOnly"))
            let header: HTTPFields = [.cookie: "vst_token=\(Self.token)"]
            #expect(try await client.execute(uri: "/api/jobs/1", method: .get, headers: header).status == .ok)
            #expect(try await client.execute(uri: "/api/jobs/1/cancel", method: .post, headers: header).status == .unauthorized)
        }
    }
}
