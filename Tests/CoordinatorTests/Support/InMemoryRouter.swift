import HTTPTypes
import Hummingbird
import Logging
import NIOCore
@testable import Dashboard

/// Drives a dashboard router in memory, as HummingbirdTesting's `app.test(.router)` does,
/// without its HTTP client (whose TLS stack would cost the test build many minutes): a
/// `Request` goes through the router's responder and middleware, and the response body is
/// collected. Requests have no peer address, so they count as remote.
struct InMemoryRouter {
    struct Reply {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: ByteBuffer
    }

    let responder: any HTTPResponder<DashboardRequestContext>

    init(_ router: Router<DashboardRequestContext>) { responder = router.buildResponder() }

    func execute(uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer = ByteBuffer()) async throws -> Reply {
        let head = HTTPRequest(method: method, scheme: "http", authority: "127.0.0.1", path: uri, headerFields: headers)
        let context = DashboardRequestContext(inMemory: Logger(label: "test"))
        let response = try await responder.respond(to: Request(head: head, body: .init(buffer: body)), context: context)
        let collected = Collected()
        try await response.body.write(Collector(into: collected))
        return Reply(status: response.status, headers: response.headers, body: collected.buffer)
    }

    private final class Collected: @unchecked Sendable { var buffer = ByteBuffer() }

    /// Gathers a response body into `into`.
    private struct Collector: ResponseBodyWriter {
        let into: Collected
        mutating func write(_ buffer: ByteBuffer) async throws {
            var copy = buffer
            into.buffer.writeBuffer(&copy)
        }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
