import Hummingbird

extension GridMapServer {
    /// The routes of the browser's web map (Leaflet) (not yet built).
    static func addWebMapRoutes(to router: Router<ServerContext>, _ services: ServerServices) {}
}
