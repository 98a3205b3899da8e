import HTTPTypes
import Hummingbird

/// Probes for whatever supervises the coordinator (Kubernetes' kubelet, a load balancer):
/// `/healthz` is 200 `ok` while the process and its HTTP server are up; `/readyz` is 200 `ready`
/// while the coordinator's loop is serving and 503 with the reason otherwise
/// (`DashboardReadiness`). Both answer without the token, from any host: a kubelet probes from
/// the node's address and sends no header, and the answers tell nothing but up or not.
enum HealthRoutes {
    /// The paths `BearerTokenMiddleware` lets through without the token (GET and HEAD only).
    static let openPaths: Set<String> = ["/healthz", "/readyz"]

    static func register(on router: Router<DashboardRequestContext>, state: DashboardState) {
        router.get("/healthz") { _, _ in text("ok") }
        router.get("/readyz") { _, _ in
            switch DashboardReadiness.of(lastPublished: state.lastPublished, now: .now) {
            case .ready: text("ready")
            case .notReady(let why): text(why, status: .serviceUnavailable)
            }
        }
    }

    private static func text(_ line: String, status: HTTPResponse.Status = .ok) -> Response {
        JSONResponse.body(Array((line + "\n").utf8), type: "text/plain; charset=utf-8", status: status)
    }
}
