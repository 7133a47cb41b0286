import Foundation
import GridMapApp
import GridMapCore
import Hummingbird

/// A district's answers across its towns, when the server serves one of its towns
/// (`gridmap serve --db DISTRICT --town CODE`): its towns, locate in every town at once, and the
/// event rates per town. None holds a person; on a server of a town store they answer 404.
extension GridMapServer {
    static func addDistrictRoutes(to router: Router<ServerContext>, _ services: ServerServices) {
        @Sendable func served() throws -> DistrictService {
            guard let district = services.district else {
                throw JobError.notFound("This server serves a town store, not a town of a district: there is no district to answer for.")
            }
            return district
        }

        router.get("district") { _, _ -> Response in
            let (details, towns) = try served().description()
            return try json(DistrictAnswer(name: details.name, latinName: details.latinName, divisionCode: details.divisionCode,
                                           towns: towns.map { .init(code: $0.code, divisionCode: $0.divisionCode, name: $0.name, latinName: $0.latinName) }))
        }

        router.get("district/locate") { request, _ -> Response in
            let district = try served()
            let parameters = request.uri.queryParameters
            let location = try LocateJob(atlas: district.atlas.atlas)
                .locate(longitude: try parameters.number("lon", required: true)!, latitude: try parameters.number("lat", required: true)!)
            var answer = LocateAnswer(location).json
            if case .inside(let place) = location, let town = district.atlas.town(of: place.microGrid.code) {
                answer["town"] = .string(town.code)
            }
            return FeaturesAPI.bytesResponse(answer.jsonBytes, type: "application/json")
        }

        router.get("district/rates") { request, _ -> Response in
            let district = try served()
            let parameters = request.uri.queryParameters
            let text = parameters.get("by") ?? "town"
            guard let grouping = EventGrouping(rawValue: text) else {
                throw JobError.invalidRequest("by is one of \(EventGrouping.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'.")
            }
            let table = try DistrictRates.rates(in: district.store, by: grouping, try EventFilters(parameters).query, now: Date())
            return try json(RatesAnswer(table))
        }
    }

    public static func districtOpenAPIPaths() -> [String: Any] {
        let tag = "district"
        let notDistrict = APIAnswer("The server serves a town store, not a town of a district", ["application/problem+json"])
        return [
            "/district": ["get": apiOperation("The district's details and towns (code, division code, names)", tag: tag,
                                              answers: ["200": APIAnswer("The district", ["application/json"]), "404": notDistrict])],
            "/district/locate": ["get": apiOperation("The town, micro-grid, grid, village and public team of a point, in every town at once", tag: tag,
                                                     [("lon", "query", true, "number", "WGS84 longitude"), ("lat", "query", true, "number", "WGS84 latitude")],
                                                     answers: ["200": APIAnswer("The place, with its town", ["application/json"]), "404": notDistrict])],
            "/district/rates": ["get": apiOperation("The event rates of every town: by town, a row per town and the district's total", tag: tag,
                                                    [("by", "query", false, "string", "town (default), grid, village, department or month")],
                                                    answers: ["200": APIAnswer("The rates", ["application/json"]), "404": notDistrict])],
        ]
    }
}

/// `GET /district`.
struct DistrictAnswer: Encodable {
    struct Town: Encodable {
        var code: String
        var divisionCode: String?
        var name: String
        var latinName: String
    }

    var name: String?
    var latinName: String?
    var divisionCode: String?
    var towns: [Town]
}
