import HTTPTypes
import Hummingbird

/// Who may do what on the dashboard: anyone on the coordinator's host may look (GET and HEAD
/// from loopback); everything else, and every control POST from anywhere, needs the token as
/// `Authorization: Bearer TOKEN`. A browser on another host may instead open a page once with
/// `?token=TOKEN`, which sets a same-site cookie for its later GETs (never for POSTs, so another
/// site cannot make the browser act on a job). The health probes (`HealthRoutes.openPaths`) are
/// open to every reader, since probes carry no token. Refusals are 401 with a JSON error.
struct BearerTokenMiddleware: RouterMiddleware {
    typealias Context = DashboardRequestContext
    static let cookieName = "vst_token"

    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let reading = request.method == .get || request.method == .head
        if reading && (context.isLoopback || HealthRoutes.openPaths.contains(request.uri.path)) {
            return try await next(request, context)
        }
        if let header = request.headers[.authorization], header.hasPrefix("Bearer "),
           DashboardToken.matches(String(header.dropFirst(7)), token) {
            return try await next(request, context)
        }
        if reading {
            if let cookie = request.cookies[Self.cookieName], DashboardToken.matches(cookie.value, token) {
                return try await next(request, context)
            }
            if let query = request.uri.queryParameters["token"], DashboardToken.matches(String(query), token) {
                var response = try await next(request, context)
                response.setCookie(Cookie(name: Self.cookieName, value: token, path: "/", httpOnly: true, sameSite: .strict))
                return response
            }
        }
        let why = reading ? "this dashboard needs its token from other hosts: Authorization: Bearer TOKEN"
                          : "controlling a job needs the token: Authorization: Bearer TOKEN"
        var response = JSONResponse.error(.unauthorized, why)
        response.headers[.wwwAuthenticate] = "Bearer realm=\"vst\""
        return response
    }
}
