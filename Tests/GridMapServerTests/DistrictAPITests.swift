import Foundation
import GridMapApp
import GridMapServer
import Hummingbird
import HummingbirdTesting
import Testing

/// A server of town TT of the tiny district (Tests/gridmapTests/Fixtures/tiny-district: towns
/// TT and TU side by side, sharing the edge at 119.82 E).
@Suite("The district's routes: its towns, locate across them, the rates per town")
struct DistrictAPITests {
    static let tinyDistrict = Repository.root.appendingPathComponent("Tests/gridmapTests/Fixtures/tiny-district")

    static func application() throws -> some ApplicationProtocol {
        let path = try temporaryFolder().appendingPathComponent("district").path
        let district = try TownStores(path: path).districtForImport()
        try DistrictImport.importDistrict(tinyDistrict, options: .init(), into: district)
        let settings = ServerSettings(stores: TownStores(path: path, town: "TT", readOnly: true))
        let town = try TownService(stores: settings.stores)
        let services = ServerServices(settings: settings, town: town, district: try DistrictService(try #require(try settings.stores.district())))
        return Application(router: GridMapServer.router(services, viewer: TestViewerMiddleware(desk: services.town.desk)))
    }

    @Test("a server of one town of a district serves that town, and tells the district's towns")
    func theDistrictAndItsTown() async throws {
        try await Self.application().test(.router) { client in
            let town = try jsonValue(try await client.send("/jobs/locate?lon=119.803&lat=35.903").body) as? [String: Any]
            #expect(town?["micro_grid"] as? String == "TT-001-1")
            let east = try jsonValue(try await client.send("/jobs/locate?lon=119.823&lat=35.903").body) as? [String: Any]
            #expect(east?["inside"] as? Bool == false)
            let district = try jsonValue(try await client.send("/district").body) as? [String: Any]
            #expect(district?["division_code"] as? String == "370299")
            let towns = district?["towns"] as? [[String: Any]]
            #expect(towns?.compactMap { $0["code"] as? String } == ["TT", "TU"])
            #expect(towns?.compactMap { $0["division_code"] as? String } == ["370299101", "370299102"])
        }
    }

    @Test("locate across the district answers the town with the micro-grid, the shared edge going to the first town")
    func locateAcrossTheDistrict() async throws {
        try await Self.application().test(.router) { client in
            let east = try jsonValue(try await client.send("/district/locate?lon=119.823&lat=35.903").body) as? [String: Any]
            #expect(east?["town"] as? String == "TU" && east?["micro_grid"] as? String == "TU-001-1")
            let edge = try jsonValue(try await client.send("/district/locate?lon=119.82&lat=35.907").body) as? [String: Any]
            #expect(edge?["town"] as? String == "TT")
            let outside = try jsonValue(try await client.send("/district/locate?lon=119.9&lat=35.9").body) as? [String: Any]
            #expect(outside?["inside"] as? Bool == false && outside?["town"] == nil)
            #expect(try await client.send("/district/locate?lon=119.8").status == .badRequest)
        }
    }

    @Test("the rates by town have a row per town and the district's total")
    func ratesPerTown() async throws {
        try await Self.application().test(.router) { client in
            let rates = try jsonValue(try await client.send("/district/rates?by=town").body) as? [String: Any]
            #expect((rates?["rows"] as? [[String: Any]])?.compactMap { $0["group"] as? String } == ["TT", "TU"])
            #expect((rates?["total"] as? [String: Any])?["group"] as? String == "district")
            #expect(try await client.send("/district/rates?by=nothing").status == .badRequest)
        }
    }

    @Test("a server of a town store answers the district's routes with 404")
    func noDistrictNoRoutes() async throws {
        let server = try TestServer(writable: false)
        try await server.application.test(.router) { client in
            for path in ["/district", "/district/locate?lon=119.8&lat=35.9", "/district/rates"] {
                let status = try await client.send(path).status
                #expect(status == .notFound, "\(path)")
            }
        }
    }
}
