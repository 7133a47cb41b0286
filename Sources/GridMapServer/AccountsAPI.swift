import Hummingbird

extension GridMapServer {
    /// The routes of sign-in, sessions and tokens, users, and the authentication middleware that sets the viewer (not yet built).
    static func addAccountRoutes(to router: Router<ServerContext>, _ services: ServerServices) {}
}
