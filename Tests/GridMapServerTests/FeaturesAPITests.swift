import Foundation
import GridMapApp
import GeoJSON
import GridMapCore
@testable import GridMapServer
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("OGC API – Features in process: documents, items, parameters and errors")
struct FeaturesAPITests {
    /// Runs `body` with a client of the features router answering as `viewer`.
    @discardableResult
    func withClient<Value>(as viewer: Viewer = .anonymous, notes: PersonalDataNotes? = nil,
                           _ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        let app = Application(router: try FeaturesFixture.router(as: viewer, notes: notes))
        return try await app.test(.router, body)
    }

    /// Every item of `collection` the viewer may see, page by page through the `next` links.
    static func allItems(_ client: any TestClientProtocol, _ path: String) async throws -> [[String: Any]] {
        var features: [[String: Any]] = []
        var next: String? = path
        while let uri = next {
            let response = try await client.get(uri)
            #expect(response.status == .ok, "\(uri): \(String(buffer: response.body))")
            let body = try JSONBody(response)
            features += body.features
            next = body.link("next").map { URLComponents(string: $0).map { ($0.path) + "?" + ($0.percentEncodedQuery ?? "") } ?? $0 }
        }
        return features
    }

    @Test("the landing page links to itself, the API definition, the conformance classes and the collections, in JSON and HTML")
    func landingPage() async throws {
        try await withClient { client in
            let response = try await client.get("/")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let body = try JSONBody(response)
            #expect(body.link("service-desc")?.hasSuffix("/api") == true)
            #expect(body.link("conformance")?.hasSuffix("/conformance") == true)
            #expect(body.link("data")?.hasSuffix("/collections") == true)
            #expect(body.link("alternate")?.hasSuffix("/?f=html") == true)

            let html = try await client.get("/", headers: [.accept: "text/html,application/xhtml+xml,*/*;q=0.8"])
            #expect(html.headers[.contentType] == "text/html; charset=utf-8")
            let page = String(buffer: html.body)
            #expect(page.contains("大村镇 GridMap"))
            #expect(page.contains("href=\"http://localhost/collections?f=html\"") || page.contains("/collections?f=html\""))
            #expect(page.contains("?f=json\">JSON</a>"))
        }
    }

    @Test("/conformance declares core, geojson, html and oas30")
    func conformance() async throws {
        try await withClient { client in
            let body = try JSONBody(try await client.get("/conformance"))
            let classes = body["conformsTo"] as? [String] ?? []
            for name in ["core", "geojson", "html", "oas30"] {
                #expect(classes.contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/\(name)"))
            }
        }
    }

    @Test("the public's collections are the grids, micro-grids, villages, every feature layer, events and activities, and no residents")
    func collectionsForThePublic() async throws {
        try await withClient { client in
            let body = try JSONBody(try await client.get("/collections"))
            let ids = (body["collections"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(ids == ["grids", "micro-grids", "villages", "citizen-service-stations", "clinics", "ditches", "fields", "forests", "homes",
                            "kindergartens", "lakes", "party-masses-service-centres", "rivers", "roads", "schools", "squares", "wells",
                            "events", "activities"])
            let homes = try #require((body["collections"] as? [[String: Any]])?.first { $0["id"] as? String == "homes" })
            let bbox = ((homes["extent"] as? [String: Any])?["spatial"] as? [String: Any])?["bbox"] as? [[Double]]
            #expect(bbox?.first?.count == 4)
            #expect((homes["links"] as? [[String: Any]])?.contains { $0["rel"] as? String == "items" && $0["type"] as? String == "application/geo+json" } == true)
        }
    }

    @Test("the office's collections include the residents")
    func collectionsForTheOffice() async throws {
        try await withClient(as: FeaturesFixture.office) { client in
            let body = try JSONBody(try await client.get("/collections"))
            let ids = (body["collections"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(ids.contains("residents"))
        }
    }

    @Test("micro-grids: 291 matched, 10 by default with a next link and no prev, every code once over all pages")
    func microGridPages() async throws {
        try await withClient { client in
            let first = try JSONBody(try await client.get("/collections/micro-grids/items"))
            #expect(first.numberMatched == 291)
            #expect(first.numberReturned == 10)
            #expect(first.ids.count == 10)
            #expect(first.link("next")?.contains("offset=10") == true)
            #expect(first.link("prev") == nil)
            #expect(first.links.first { $0["rel"] as? String == "self" }?["type"] as? String == "application/geo+json")
            let all = try await Self.allItems(client, "/collections/micro-grids/items?limit=100")
            let codes = all.compactMap { $0["id"] as? String }
            #expect(codes.count == 291)
            #expect(Set(codes).count == 291)
            let everything = try JSONBody(try await client.get("/collections/micro-grids/items?limit=1000"))
            #expect(everything.ids == codes)
            #expect(everything.link("next") == nil)
            let second = try JSONBody(try await client.get("/collections/micro-grids/items?limit=100&offset=100"))
            #expect(second.link("prev")?.contains("offset=0") == true)
            #expect(second.ids == Array(codes[100..<200]))
        }
    }

    @Test("a limit over 10,000 is served as 10,000; a limit below 1 or not a number is refused naming it")
    func limits() async throws {
        try await withClient { client in
            let clamped = try JSONBody(try await client.get("/collections/homes/items?limit=50000"))
            #expect(clamped.numberReturned == 10_000)
            #expect(clamped.numberMatched == 20_000)
            #expect(clamped.link("next")?.contains("offset=10000") == true)
            for bad in ["limit=0", "limit=-3", "limit=ten", "offset=-1", "offset=x"] {
                let response = try await client.get("/collections/homes/items?\(bad)")
                #expect(response.status == .badRequest, "\(bad)")
                #expect(response.headers[.contentType] == "application/problem+json")
                let detail = try JSONBody(response)["detail"] as? String ?? ""
                #expect(detail.hasPrefix(bad), "\(bad): \(detail)")
            }
        }
    }

    @Test("bbox finds exactly the homes whose point lies in the box, in order, against a filter of every home")
    func bboxAgainstEveryHome() async throws {
        try await withClient { client in
            let every = try await Self.allItems(client, "/collections/homes/items?limit=10000")
            #expect(every.count == 20_000)
            let box = (west: 119.79, south: 35.89, east: 119.80, north: 35.90)
            let expected = every.filter { feature in
                guard let coordinates = (feature["geometry"] as? [String: Any])?["coordinates"] as? [Double] else { return false }
                return coordinates[0] >= box.west && coordinates[0] <= box.east && coordinates[1] >= box.south && coordinates[1] <= box.north
            }.compactMap { $0["id"] as? String }
            #expect(expected.count > 100)
            let found = try await Self.allItems(client, "/collections/homes/items?bbox=\(box.west),\(box.south),\(box.east),\(box.north)&limit=100")
            #expect(found.compactMap { $0["id"] as? String } == expected)
            let first = try JSONBody(try await client.get("/collections/homes/items?bbox=\(box.west),\(box.south),\(box.east),\(box.north)&limit=100"))
            #expect(first.numberMatched == expected.count)
            #expect(first.link("next")?.contains("bbox=119.79,35.89,119.8,35.9") == true)
            // Six numbers (with elevations) and an explicit CRS84 give the same.
            let six = try JSONBody(try await client.get("/collections/homes/items?bbox=119.79,35.89,0,119.80,35.90,10&bbox-crs=http://www.opengis.net/def/crs/OGC/1.3/CRS84&limit=1"))
            #expect(six.numberMatched == expected.count)
        }
    }

    @Test("bbox on polygons keeps a grid the box meets without holding a vertex of it, and none elsewhere")
    func bboxOnPolygons() async throws {
        try await withClient { client in
            let grid = try JSONBody(try await client.get("/collections/grids/items/DC-017"))
            let box = try #require(Self.envelope(grid.object))
            // A tiny box at the middle of the grid's envelope, inside the grid or not: every grid
            // it finds must have the box's centre within its envelope.
            let (x, y) = ((box.0 + box.2) / 2, (box.1 + box.3) / 2)
            let found = try JSONBody(try await client.get("/collections/grids/items?bbox=\(x - 1e-6),\(y - 1e-6),\(x + 1e-6),\(y + 1e-6)"))
            #expect(found.numberMatched == 1, "a point-sized box lies in exactly one grid when off every edge")
            // Villages have no geometry: their index's extent is a point at 0,0, and a box there
            // once put a cell number past Int's range (schemathesis found it); now nothing matches.
            let villages = try JSONBody(try await client.get("/collections/villages/items?bbox=0,0,0.3172,0.5"))
            #expect(villages.numberMatched == 0)
            let outside = try JSONBody(try await client.get("/collections/grids/items?bbox=100,10,100.1,10.1"))
            #expect(outside.numberMatched == 0)
            // The whole town's box finds every grid.
            let all = try JSONBody(try await client.get("/collections/grids/items?bbox=119,35,121,37&limit=1000"))
            #expect(all.numberMatched == 115)
        }
    }

    static func envelope(_ feature: [String: Any]) -> (Double, Double, Double, Double)? {
        guard let geometry = feature["geometry"] as? [String: Any] else { return nil }
        var xs: [Double] = [], ys: [Double] = []
        func walk(_ value: Any) {
            if let pair = value as? [Double], pair.count >= 2 { xs.append(pair[0]); ys.append(pair[1]); return }
            if let list = value as? [Any] { list.forEach(walk) }
        }
        walk(geometry["coordinates"] as Any)
        guard let minX = xs.min(), let maxX = xs.max(), let minY = ys.min(), let maxY = ys.max() else { return nil }
        return (minX, minY, maxX, maxY)
    }

    @Test("a bad bbox, a bbox-crs other than CRS84, a bad datetime, f, an unknown or repeated parameter: 400 naming it")
    func badParameters() async throws {
        try await withClient { client in
            let cases: [(String, String)] = [
                ("/collections/homes/items?bbox=1,2,3", "bbox=1,2,3"),
                ("/collections/homes/items?bbox=a,b,c,d", "bbox=a,b,c,d"),
                ("/collections/homes/items?bbox=119,36,120,35", "bbox=119,36,120,35"),
                ("/collections/homes/items?bbox=119,35,120,36&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4326", "bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4326"),
                ("/collections/events/items?datetime=yesterday", "datetime=yesterday"),
                ("/collections/events/items?datetime=2024-06-01/2024-01-01", "datetime=2024-06-01/2024-01-01"),
                ("/collections/grids/items?datetime=2024-01-01", "datetime"),
                ("/collections/homes/items?colour=red", "colour"),
                ("/collections/homes/items?category=disabled", "category"),
                ("/collections/homes/items?f=xml", "f=xml"),
                ("/collections/homes/items?limit=5&limit=6", "limit is given twice"),
            ]
            for (uri, named) in cases {
                let response = try await client.get(uri)
                #expect(response.status == .badRequest, "\(uri)")
                let detail = try JSONBody(response)["detail"] as? String ?? ""
                #expect(detail.hasPrefix(named), "\(uri): \(detail)")
            }
        }
    }

    @Test("an unknown collection or feature is a 404 problem document naming it")
    func notFound() async throws {
        try await withClient { client in
            let collection = try await client.get("/collections/dragons/items")
            #expect(collection.status == .notFound)
            #expect(collection.headers[.contentType] == "application/problem+json")
            #expect((try JSONBody(collection)["detail"] as? String)?.contains("'dragons'") == true)
            let feature = try await client.get("/collections/homes/items/home-99999999")
            #expect(feature.status == .notFound)
            #expect((try JSONBody(feature)["detail"] as? String)?.contains("'home-99999999'") == true)
            #expect(try await client.get("/collections/dragons").status == .notFound)
        }
    }

    @Test("property filters: micro-grids of a grid, homes of a village, each the same as filtering every item")
    func propertyFilters() async throws {
        try await withClient { client in
            let micro = try JSONBody(try await client.get("/collections/micro-grids/items?grid=DC-017&limit=100"))
            #expect(micro.numberMatched ?? 0 > 0)
            #expect(micro.features.allSatisfy { ($0["properties"] as? [String: Any])?["grid"] as? String == "DC-017" })
            #expect(micro.ids.allSatisfy { $0.hasPrefix("DC-017-") })
            let every = try await Self.allItems(client, "/collections/homes/items?limit=10000")
            let village = try #require((every.first?["properties"] as? [String: Any])?["village"] as? String)
            let expected = every.filter { ($0["properties"] as? [String: Any])?["village"] as? String == village }.compactMap { $0["id"] as? String }
            let filtered = try await Self.allItems(client, "/collections/homes/items?village=\(village)&limit=1000")
            #expect(filtered.compactMap { $0["id"] as? String } == expected)
            let none = try JSONBody(try await client.get("/collections/homes/items?grid=DC-999"))
            #expect(none.numberMatched == 0)
        }
    }

    @Test("one item: a micro-grid with its code, Polygon and links to itself and its collection")
    func oneItem() async throws {
        try await withClient { client in
            let response = try await client.get("/collections/micro-grids/items/DC-017-2")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/geo+json")
            let item = try JSONBody(response)
            #expect(item["id"] as? String == "DC-017-2")
            #expect((item["geometry"] as? [String: Any])?["type"] as? String == "Polygon")
            #expect((item["properties"] as? [String: Any])?["grid"] as? String == "DC-017")
            #expect(item.link("self")?.hasSuffix("/collections/micro-grids/items/DC-017-2") == true)
            #expect(item.link("collection")?.hasSuffix("/collections/micro-grids") == true)
        }
    }

    @Test("residents: the public is refused with 403 and sees no such collection")
    func residentsRefusedToThePublic() async throws {
        try await withClient { client in
            for uri in ["/collections/residents", "/collections/residents/items", "/collections/residents/items/R-000001"] {
                let response = try await client.get(uri)
                #expect(response.status == .forbidden, "\(uri)")
                #expect(response.headers[.contentType] == "application/problem+json")
            }
        }
    }

    @Test("residents: the office reads every resident, filtered by category, and each page is noted as personal data")
    func residentsForTheOffice() async throws {
        let notes = PersonalDataNotes()
        let store = try FeaturesFixture.services().town.store
        let total = try store.residentCount(in: nil, categories: [])
        let disabled = try store.residentCount(in: nil, categories: [.disabled])
        try await withClient(as: FeaturesFixture.office, notes: notes) { client in
            let page = try JSONBody(try await client.get("/collections/residents/items"))
            #expect(page.numberMatched == total)
            #expect(page.numberReturned == 10)
            let byCategory = try JSONBody(try await client.get("/collections/residents/items?category=disabled&limit=100"))
            #expect(byCategory.numberMatched == disabled)
            #expect(byCategory.features.allSatisfy { (($0["properties"] as? [String: Any])?["categories"] as? [String])?.contains("disabled") == true })
            let one = try await client.get("/collections/residents/items/\(try #require(page.ids.first))")
            #expect(one.status == .ok)
        }
        #expect(notes.all.count == 3)
        #expect(notes.all.first?.contains("10 of \(total)") == true)
    }

    @Test("residents: a grid worker of DC-017 reads DC-017's residents only; another grid, by filter, box or id, finds nothing")
    func residentsForAGridWorker() async throws {
        let store = try FeaturesFixture.services().town.store
        let own = try store.residentCount(in: .grid(GridCode("DC-017")!), categories: [])
        let other = try store.locatedResidents(in: .grid(GridCode("DC-018")!), categories: [], page: .all)
        let otherID = try #require(other.first?.resident.id)
        let otherPoint = try #require(other.first?.location)
        try await withClient(as: FeaturesFixture.gridWorker("DC-017")) { client in
            let all = try await Self.allItems(client, "/collections/residents/items?limit=1000")
            #expect(all.count == own)
            #expect(all.allSatisfy { ($0["properties"] as? [String: Any])?["grid"] as? String == "DC-017" })
            #expect(try JSONBody(try await client.get("/collections/residents/items?grid=DC-018")).numberMatched == 0)
            #expect(try JSONBody(try await client.get("/collections/residents/items?micro_grid=DC-018-1")).numberMatched == 0)
            let box = "\(otherPoint.x - 1e-4),\(otherPoint.y - 1e-4),\(otherPoint.x + 1e-4),\(otherPoint.y + 1e-4)"
            let boxed = try JSONBody(try await client.get("/collections/residents/items?bbox=\(box)"))
            #expect(boxed.features.allSatisfy { ($0["properties"] as? [String: Any])?["grid"] as? String == "DC-017" })
            #expect(!boxed.ids.contains(otherID))
            #expect(try await client.get("/collections/residents/items/\(otherID)").status == .notFound)
        }
    }

    @Test("events: datetime intervals with open ends select by the time raised, both ends included")
    func eventTimes() async throws {
        let total = try FeaturesFixture.services().town.desk.events(EventQuery()).count
        #expect(total >= 76)
        try await withClient(as: FeaturesFixture.office) { client in
            let all = try await Self.allItems(client, "/collections/events/items?limit=1000")
            #expect(all.count == total)
            let raised = all.compactMap { ($0["properties"] as? [String: Any])?["raised"] as? String }
            let formatter = ISO8601DateFormatter()
            let times = raised.compactMap(formatter.date(from:))
            #expect(times.count == total)
            let cut = try #require(formatter.date(from: "2024-06-30T16:00:00Z"))  // 2024-07-01 00:00 in Shanghai
            let firstHalf = times.filter { $0 < cut }.count
            #expect(try JSONBody(try await client.get("/collections/events/items?datetime=../2024-06-30")).numberMatched == firstHalf)
            #expect(try JSONBody(try await client.get("/collections/events/items?datetime=2024-07-01/..")).numberMatched == total - firstHalf)
            #expect(try JSONBody(try await client.get("/collections/events/items?datetime=/2024-06-30")).numberMatched == firstHalf)
            // An instant matches the event raised then, exactly.
            let instant = raised[5]
            let exact = try JSONBody(try await client.get("/collections/events/items?datetime=\(instant)"))
            #expect(exact.ids.contains(try #require(all[5]["id"] as? String)))
            let activities = try JSONBody(try await client.get("/collections/activities/items?datetime=2024-01-01/2024-12-31&limit=1000"))
            #expect(activities.numberMatched ?? 0 > 0)
        }
    }

    @Test("events about residents: the public sees neither their point nor who they are; the office sees both and it is noted")
    func eventsDisclosure() async throws {
        let notes = PersonalDataNotes()
        let (hidden, publicCount) = try await withClient { client -> ([String], Int) in
            let events = try await Self.allItems(client, "/collections/events/items?limit=1000")
            let aboutResidents = events.filter { ($0["properties"] as? [String: Any])?["residents_count"] != nil }
            #expect(aboutResidents.allSatisfy { $0["geometry"] is NSNull })
            #expect(events.allSatisfy { ($0["properties"] as? [String: Any])?["residents"] == nil && ($0["properties"] as? [String: Any])?["reported_by"] == nil })
            return (aboutResidents.compactMap { $0["id"] as? String }, events.count)
        }
        let hiddenID = try #require(hidden.first)
        try await withClient(as: FeaturesFixture.office, notes: notes) { client in
            let event = try JSONBody(try await client.get("/collections/events/items/\(hiddenID)"))
            #expect((event["geometry"] as? [String: Any])?["type"] as? String == "Point")
            #expect(((event["properties"] as? [String: Any])?["residents"] as? [String])?.isEmpty == false)
        }
        #expect(notes.all == ["residents named in event \(hiddenID)"])
        // No box finds an event whose point the public may not see.
        let boxed = try await withClient { client in
            try await Self.allItems(client, "/collections/events/items?bbox=119,35,121,37&limit=1000").compactMap { $0["id"] as? String }
        }
        #expect(!boxed.contains(hiddenID))
        #expect(boxed.count == publicCount - hidden.count)
    }

    @Test("HTML pages show Chinese names as they are and escape every value")
    func htmlPages() async throws {
        // An event whose description is markup, raised in a copy of the store.
        let copy = try DacunStore.writableCopy()
        let town = try TownService(stores: TownStores(path: copy.path))
        let actor = try town.desk.actor("DC-017/liaison")
        _ = try town.desk.raise(RaiseRequest(category: "roads-and-water", description: "<script>alert('x')</script> & 沟渠",
                                             location: Position(x: 119.8155915, y: 35.9446566)), by: actor, at: Date())
        let services = ServerServices(settings: ServerSettings(stores: TownStores(path: copy.path)), town: town)
        // The office reads the description (the public does not: docs/PRIVACY.md).
        let app = Application(router: try FeaturesFixture.router(as: FeaturesFixture.office, services: services))
        try await app.test(.router) { client in
            let events = String(buffer: try await client.get("/collections/events/items?f=html").body)
            #expect(events.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; 沟渠"))
            #expect(!events.contains("<script>"))
            let grids = String(buffer: try await client.get("/collections/grids/items?f=html&limit=5").body)
            let name = try #require(town.town.data.grids.first?.name)
            #expect(grids.contains(name))
            #expect(grids.contains("rel=\"next\""))
            let item = String(buffer: try await client.get("/collections/grids/items/DC-017?f=html").body)
            #expect(item.contains("f=json\">JSON</a>"))
            #expect(item.contains("/collections/grids/items?f=html"))
        }
    }

    @Test("/api is an OpenAPI 3.0 document with every features path, the limit's maximum and each collection's filters")
    func openAPIDocument() async throws {
        try await withClient { client in
            let response = try await client.get("/api")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/vnd.oai.openapi+json;version=3.0")
            let document = try JSONBody(response)
            #expect(document["openapi"] as? String == "3.0.3")
            let paths = document["paths"] as? [String: Any] ?? [:]
            for path in ["/", "/conformance", "/api", "/collections", "/collections/{collectionId}", "/collections/{collectionId}/items",
                         "/collections/{collectionId}/items/{featureId}", "/collections/micro-grids/items", "/collections/events/items", "/healthz"] {
                #expect(paths[path] != nil, "\(path)")
            }
            let limit = (((document["components"] as? [String: Any])?["parameters"] as? [String: Any])?["limit"] as? [String: Any])?["schema"] as? [String: Any]
            #expect(limit?["maximum"] as? Int == 10_000)
            #expect(limit?["default"] as? Int == 10)
            let microGrids = ((paths["/collections/micro-grids/items"] as? [String: Any])?["get"] as? [String: Any])?["parameters"] as? [[String: Any]] ?? []
            #expect(microGrids.contains { $0["name"] as? String == "grid" })
            #expect(try await client.get("/api?f=json").status == .ok)
            #expect(try await client.get("/api?f=yaml").status == .badRequest)
        }
    }
}
