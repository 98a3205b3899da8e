import Hummingbird

/// The dashboard's routes: the pages and their assets, the JSON API, `/metrics`, all behind
/// `BearerTokenMiddleware`, and the health probes `/healthz` and `/readyz`, which it lets through. Tests drive it in memory with `app.test(.router)`.
public func buildDashboardRouter(state: DashboardState) -> Router<DashboardRequestContext> {
    let router = Router(context: DashboardRequestContext.self)
    router.add(middleware: BearerTokenMiddleware(token: state.token))
    router.get("/") { _, _ in html(DashboardPages.jobs()) }
    router.get("/workers") { _, _ in html(DashboardPages.workers()) }
    router.get("/jobs/:id") { _, context in
        guard let id = context.parameters.get("id", as: UInt32.self), let job = state.snapshot?.job(id) else {
            return JSONResponse.body(Array("<!doctype html><p>No job \(DashboardPages.escape(context.parameters.get("id") ?? "")). <a href=\"/\">Jobs</a></p>".utf8),
                                     type: "text/html; charset=utf-8", status: .notFound)
        }
        return html(DashboardPages.job(id: id, input: job.request.input))
    }
    router.get("/assets/dashboard.js") { _, _ in JSONResponse.body(Array(DashboardScript.js.utf8), type: "text/javascript; charset=utf-8") }
    router.get("/assets/dashboard.css") { _, _ in JSONResponse.body(Array(DashboardStyle.css.utf8), type: "text/css; charset=utf-8") }
    router.get("/metrics") { _, _ in
        JSONResponse.body(state.metrics.exposition(), type: "text/plain; version=0.0.4; charset=utf-8")
    }
    DashboardAPI(state: state).register(on: router)
    HealthRoutes.register(on: router, state: state)
    return router
}

private func html(_ text: String) -> Response {
    JSONResponse.body(Array(text.utf8), type: "text/html; charset=utf-8")
}
