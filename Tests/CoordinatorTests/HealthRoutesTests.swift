import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import Dashboard

/// `/healthz` and `/readyz` in memory (`app.test(.router)`). In-memory requests have no peer
/// address, so they count as coming from another host: exactly where a kubelet probes from,
/// and where every other path needs the token.
@Suite struct HealthRoutesTests {
    static func state() -> DashboardState {
        DashboardState(token: DashboardRouterTests.token, dataDirectory: FileManager.default.temporaryDirectory)
    }

    @Test func healthzIsOpenAndReadyzIsUnavailableBeforeTheFirstSnapshot() async throws {
        let app = Application(router: buildDashboardRouter(state: Self.state()))
        try await app.test(.router) { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(String(buffer: health.body) == "ok\n")
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .serviceUnavailable)
            #expect(String(buffer: ready.body).contains("first snapshot"))
            // Only the probes are open: the API still wants the token, and the probes open no POST.
            #expect(try await client.execute(uri: "/api/jobs", method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/readyz", method: .post).status == .unauthorized)
        }
    }

    @Test func readyzIsOkWithoutTheTokenOnceTheLoopPublishes() async throws {
        let farm = try DashboardRouterTests.Farm()
        let app = Application(router: buildDashboardRouter(state: farm.companion.state))
        try await app.test(.router) { client in
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok)
            #expect(String(buffer: ready.body) == "ready\n")
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }

    @Test func aSnapshotOlderThanTheClientTimeoutIsNotReady() {
        let published = ContinuousClock.now
        #expect(DashboardReadiness.of(lastPublished: published, now: published) == .ready)
        #expect(DashboardReadiness.of(lastPublished: published, now: published + DashboardReadiness.staleAfter) == .ready)
        let stale = DashboardReadiness.of(lastPublished: published, now: published + DashboardReadiness.staleAfter + .seconds(2))
        #expect(stale != .ready)
        #expect("\(stale)".contains("loop last published"))
        #expect(DashboardReadiness.of(lastPublished: nil, now: published) != .ready)
    }
}
