import Hummingbird

extension GridMapServer {
    /// The routes of OGC API – Features, Part 1 Core (not yet built).
    static func addFeatureRoutes(to router: Router<ServerContext>, _ services: ServerServices) {}
}
