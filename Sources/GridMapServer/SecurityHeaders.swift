import HTTPTypes
import Hummingbird

/// Adds the browser's security headers to every answer, errors included:
/// - `Content-Security-Policy`: scripts, styles, fonts and requests from GridMap itself only
///   (the web map's Leaflet is served by GridMap), images from it or `data:` URLs; no framing,
///   no `<base>` elsewhere, forms posted to GridMap only;
/// - `X-Content-Type-Options: nosniff`: a body is what its Content-Type says;
/// - `Referrer-Policy: no-referrer`: a map URL (a grid, a search) is not told to other sites;
/// - `X-Frame-Options: DENY`: no other page frames GridMap (older browsers' frame-ancestors).
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        for field in securityHeaders { response.headers[field.name] = field.value }
        return response
    }
}

/// Made once: building the fields (and parsing their names) on every request was measurable
/// under load. (A generic type cannot hold a static stored property, hence at file level.)
private let securityHeaders: HTTPFields = [
    .contentSecurityPolicy: "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    HTTPField.Name("X-Content-Type-Options")!: "nosniff",
    HTTPField.Name("Referrer-Policy")!: "no-referrer",
    HTTPField.Name("X-Frame-Options")!: "DENY",
]
