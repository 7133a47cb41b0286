import GridMapApp
import Hummingbird

extension GridMapServer {
    /// `GET /healthz`: 200 with the town's code and name while the server can read its store, for
    /// load balancers and service managers. Says nothing about anyone.
    static func addHealthRoutes(to router: Router<ServerContext>, _ services: ServerServices) {
        router.get("healthz") { _, _ -> Health in
            Health(status: "ok", town: services.town.town.data.town.code, name: services.town.name)
        }
    }

    struct Health: ResponseEncodable {
        var status: String
        var town: String
        var name: String
    }
}
