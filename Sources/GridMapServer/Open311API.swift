import Hummingbird

extension GridMapServer {
    /// The routes of Open311 GeoReport v2 (not yet built).
    static func addOpen311Routes(to router: Router<ServerContext>, _ services: ServerServices) {}
}
