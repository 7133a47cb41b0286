import Foundation
import GeoJSON
import GridMapApp
import GridMapCore
import GridMapServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("The jobs as endpoints: locate, nearest, select and counts, assign, tour and route, the map")
struct JobsAPITests {
    @Test("locate answers a point's micro-grid, grid, village and public team, or how far outside it is")
    func locateOnePoint() async throws {
        let server = try TestServer(writable: false)
        let point = try server.point(in: "DC-001")
        try await server.application.test(.router) { client in
            let inside = try jsonValue(try await client.send("/jobs/locate?lon=\(point.x)&lat=\(point.y)").body) as? [String: Any]
            #expect(inside?["grid"] as? String == "DC-001")
            #expect(inside?["inside"] as? Bool == true)
            #expect(Set((inside?["team"] as? [[String: Any]])?.compactMap { $0["role"] as? String } ?? []) == ["chief", "liaison"])
            let outside = try jsonValue(try await client.send("/jobs/locate?lon=119&lat=35").body) as? [String: Any]
            #expect(outside?["inside"] as? Bool == false)
            #expect((outside?["distance_m"] as? Double ?? 0) > 1000)
            #expect(try await client.send("/jobs/locate?lon=119.8").status == .badRequest)
            #expect(try await client.send("/jobs/locate?lon=abc&lat=35").status == .badRequest)
            #expect(try await client.send("/jobs/locate?lon=200&lat=35").status == .badRequest)
        }
    }

    @Test("locate's hand-made JSON says what JSONEncoder with sorted snake_case keys says, inside every grid and outside the town")
    func locateJSONEqualsTheEncoders() async throws {
        let server = try TestServer(writable: false)
        let town = server.services.town.town
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var points = town.data.features.filter { $0.kind == .home }.compactMap { feature -> Position? in
            if case .point(let position) = feature.geometry { return position } else { return nil }
        }.enumerated().filter { $0.offset % 97 == 0 }.map(\.element)
        points += [Position(x: 119, y: 35), Position(x: 119.7, y: 36.2), Position(x: 121, y: 31)]
        var outside = 0
        for point in points {
            let answer = LocateAnswer(try town.atlas.locate(longitude: point.x, latitude: point.y))
            if !answer.inside { outside += 1 }
            let byHand = try JSONSerialization.jsonObject(with: Data(answer.json.jsonBytes)) as? NSDictionary
            let encoded = try JSONSerialization.jsonObject(with: try encoder.encode(answer)) as? NSDictionary
            #expect(byHand != nil && byHand == encoded, "\(point)")
        }
        #expect(outside == 3 && points.count > 100)
    }

    @Test("refusals name the query parameters and the accounts a client can change, never a command-line option")
    func refusalsInRequestTerms() async throws {
        let server = try TestServer(writable: false)
        try await server.application.test(.router) { client in
            func detail(_ uri: String) async throws -> String {
                let answer = try await client.send(uri)
                return (try jsonValue(answer.body) as? [String: Any])?["detail"] as? String ?? ""
            }
            let clock = try await detail("/jobs/route?category=disabled&grid=DC-017&start_time=25:00")
            #expect(clock.hasPrefix("start_time must be a clock time"), "\(clock)")
            let area = try await detail("/jobs/route?category=disabled")
            #expect(area.contains("grid (repeatable), micro_grid or village"), "\(area)")
            let grid = try await detail("/jobs/map.svg?grid=XX")
            #expect(grid.hasPrefix("grid wants a grid code"), "\(grid)")
            let route = try await detail("/jobs/route?category=disabled&grid=DC-017")
            #expect(route.contains("sign in with an account of the town office or of a grid worker"), "\(route)")
            let select = try await detail("/jobs/select?category=disabled&grid=DC-017")
            #expect(select.contains("/jobs/counts gives counts"), "\(select)")
            for text in [clock, area, grid, route, select] { #expect(!text.contains("--"), "\(text)") }
        }
    }

    @Test("a CSV batch comes back row for row with microgrid and grid; bad rows are refused with the command line's located messages, or kept on request")
    func locateCSVBatch() async throws {
        let server = try TestServer(writable: false)
        let point = try server.point(in: "DC-001")
        let good = "id,lon,lat\na,\(point.x),\(point.y)\nb,119,35\n"
        try await server.application.test(.router) { client in
            let answer = try await client.send("/jobs/locate", .post, type: "text/csv", body: good)
            #expect(answer.status == .ok)
            let lines = String(decoding: answer.body, as: UTF8.self).split(separator: "\n")
            #expect(lines.count == 3)
            #expect(lines[0] == "id,lon,lat,microgrid,grid")
            #expect(lines[1].hasSuffix(",DC-001") && lines[2].hasSuffix(",,"))
            let bad = good + "c,east,35\n"
            let refused = try await client.send("/jobs/locate", .post, type: "text/csv", body: bad)
            #expect(refused.status == .unprocessableContent)
            let problem = try jsonValue(refused.body) as? [String: Any]
            #expect(problem?["errors"] as? [String] == [#"request body:4: x is not a number: "east""#])
            let kept = try await client.send("/jobs/locate?bad_rows=keep", .post, type: "text/csv", body: bad)
            #expect(kept.status == .ok)
            #expect(String(decoding: kept.body, as: UTF8.self).hasSuffix("c,east,35,,\n"))
            #expect(kept.headers[HTTPField.Name("GridMap-Summary")!] == "rows 3, inside 1, outside 1, bad 1")
            #expect(try await client.send("/jobs/locate", .post, type: "text/csv", body: "name,where\nx,y\n").status == .badRequest)
            #expect(try await client.send("/jobs/locate", .post, type: "text/plain", body: good).status == .badRequest)
            let huge = "id,lon,lat\n" + String(repeating: "a,\(point.x),\(point.y)\n", count: 80_000)
            let tooLarge = try await client.send("/jobs/locate", .post, type: "text/csv", body: huge)
            #expect(tooLarge.status == .contentTooLarge, "\(String(decoding: tooLarge.body, as: UTF8.self))")
        }
    }

    @Test("a GeoJSON batch comes back with micro_grid and grid in each point's properties")
    func locateGeoJSONBatch() async throws {
        let server = try TestServer(writable: false)
        let point = try server.point(in: "DC-001")
        let body = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":1},"geometry":{"type":"Point","coordinates":[\#(point.x),\#(point.y)]}},"#
            + #"{"type":"Feature","properties":{"n":2},"geometry":{"type":"Point","coordinates":[119,35]}}]}"#
        try await server.application.test(.router) { client in
            let answer = try await client.send("/jobs/locate", .post, type: "application/geo+json", body: body)
            #expect(answer.status == .ok)
            let features = try GeoJSONReader.read(answer.body).features
            #expect(features.map { $0.properties?["grid"] } == [.string("DC-001"), .null])
            #expect(features[0].properties?["n"] == .number(1))
            let line = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[119,35],[119.1,35]]}}]}"#
            let refused = try await client.send("/jobs/locate", .post, type: "application/geo+json", body: line)
            #expect(refused.status == .unprocessableContent)
            #expect(String(decoding: refused.body, as: UTF8.self).contains("feature 0: not a Point"))
            #expect(try await client.send("/jobs/locate", .post, type: "application/geo+json", body: "{\"type\":").status == .unprocessableContent)
        }
    }

    @Test("nearest ranks features by straight line or by road, nearest first")
    func nearest() async throws {
        let server = try TestServer(writable: false)
        let point = try server.point(in: "DC-001")
        try await server.application.test(.router) { client in
            for metric in ["line", "road"] {
                let answer = try jsonValue(try await client.send("/jobs/nearest?kind=wells&lon=\(point.x)&lat=\(point.y)&k=3&by=\(metric)").body) as? [String: Any]
                let distances = (answer?["features"] as? [[String: Any]])?.compactMap { $0["distance_m"] as? Double } ?? []
                #expect(distances.count == 3, "\(metric)")
                #expect(distances == distances.sorted(), "\(metric)")
            }
            #expect(try await client.send("/jobs/nearest?kind=dragons&lon=\(point.x)&lat=\(point.y)").status == .badRequest)
            #expect(try await client.send("/jobs/nearest?kind=wells&lon=\(point.x)&lat=\(point.y)&k=0").status == .badRequest)
            #expect(try await client.send("/jobs/nearest?kind=wells&lon=\(point.x)&lat=\(point.y)&by=air").status == .badRequest)
        }
    }

    @Test("select lists residents only to a role that sees them, and says so to the audit note; counts suppress small cells for the public")
    func selectAndCounts() async throws {
        // Personal answers are audited: the store must be able to take the entry.
        let server = try TestServer(writable: true)
        try await server.application.test(.router) { client in
            #expect(try await client.send("/jobs/select?grid=DC-001").status == .forbidden)
            #expect(try await client.send("/jobs/select?grid=DC-002", viewer: "grid-worker:DC-001").status == .forbidden)
            let own = try await client.send("/jobs/select?category=disabled", viewer: "grid-worker:DC-001")
            #expect(own.status == .ok)
            let rows = String(decoding: own.body, as: UTF8.self).split(separator: "\n").dropFirst()
            #expect(!rows.isEmpty && rows.allSatisfy { $0.contains(",DC-001,") })
            let geojson = try await client.send("/jobs/select?category=disabled&f=geojson", viewer: "grid-worker:DC-001")
            #expect(try GeoJSONReader.read(geojson.body).features.count == rows.count)
            #expect(try await client.send("/jobs/select?f=xlsx", viewer: "office").status == .badRequest)
            let counts = String(decoding: try await client.send("/jobs/counts").body, as: UTF8.self)
            #expect(counts.hasPrefix("grid,"))
            #expect(try await client.send("/jobs/counts?category=unicorn").status == .badRequest)
        }
    }

    @Test("assign matches a ledger's addresses to homes and micro-grids")
    func assignLedger() async throws {
        let server = try TestServer(writable: false)
        let ledger = try String(contentsOf: Repository.root.appendingPathComponent("geodata/dacun-ledger.csv"), encoding: .utf8)
        let head = ledger.split(separator: "\n").prefix(20).joined(separator: "\n") + "\n"
        try await server.application.test(.router) { client in
            let answer = try await client.send("/jobs/assign", .post, type: "text/csv", body: head)
            #expect(answer.status == .ok)
            let lines = String(decoding: answer.body, as: UTF8.self).split(separator: "\n")
            #expect(lines.first == "序号,姓名,地址,home,microgrid,grid,match,confidence,reason")
            #expect(lines.count == 20)
            #expect(answer.headers[HTTPField.Name("GridMap-Summary")!]?.contains("19 rows") == true)
            #expect(try await client.send("/jobs/assign", .post, type: "text/csv", body: "a,b\n1,2\n").status == .badRequest)
        }
    }

    @Test("tour plans stops along the roads and answers GeoJSON routes; route plans an outreach for a role that sees the residents")
    func tourAndRoute() async throws {
        // Personal answers are audited: the store must be able to take the entry.
        let server = try TestServer(writable: true)
        let homes = server.services.town.town.data.features.filter { $0.kind == .home }.prefix(4)
        var csv = "id,lon,lat\n"
        for home in homes { if case .point(let p) = home.geometry { csv += "\(home.id),\(p.x),\(p.y)\n" } }
        let stops = csv
        try await server.application.test(.router) { client in
            let tour = try await client.send("/jobs/tour?profile=walk&service_min=5", .post, type: "text/csv", body: stops)
            #expect(tour.status == .ok, "\(String(decoding: tour.body, as: UTF8.self))")
            let routes = try GeoJSONReader.read(tour.body).features
            #expect(routes.count == 1)
            if case .lineString? = routes.first?.geometry {} else { Issue.record("a tour is a LineString") }
            #expect(routes.first?.properties?["stop_ids"]?.arrayValue?.count == 3)
            #expect(try await client.send("/jobs/tour?profile=rocket", .post, type: "text/csv", body: stops).status == .badRequest)
            #expect(try await client.send("/jobs/tour?time_budget=3600", .post, type: "text/csv", body: stops).status == .badRequest)

            let route = try await client.send("/jobs/route?category=disabled&grid=DC-001&workers=2", viewer: "grid-worker:DC-001")
            #expect(route.status == .ok, "\(String(decoding: route.body, as: UTF8.self))")
            #expect(try GeoJSONReader.read(route.body).features.count >= 1)
            #expect(try await client.send("/jobs/route?category=disabled&grid=DC-001").status == .forbidden)
            #expect(try await client.send("/jobs/route?grid=DC-001", viewer: "office").status == .badRequest)
        }
    }

    @Test("the map comes as SVG and as PNG; a bad page or layer is a 400")
    func mapImages() async throws {
        let server = try TestServer(writable: false)
        try await server.application.test(.router) { client in
            let svg = try await client.send("/jobs/map.svg?grid=DC-001&layers=roads,homes")
            #expect(svg.status == .ok)
            #expect(String(decoding: svg.body, as: UTF8.self).contains("<svg"))
            let png = try await client.send("/jobs/map.png?grid=DC-001&dpi=40")
            #expect(png.status == .ok)
            #expect(png.body.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
            #expect(try await client.send("/jobs/map.svg?page=napkin").status == .badRequest)
            #expect(try await client.send("/jobs/map.svg?layers=dragons").status == .badRequest)
            #expect(try await client.send("/jobs/map.png?dpi=5000").status == .badRequest)
        }
    }
}

@Suite("The OpenAPI paths of the jobs, events, register and Open311 routes")
struct JobsOpenAPITests {
    @Test("each part's paths are a JSON object naming every route it serves")
    func pathsAreJSON() throws {
        let parts = [GridMapServer.jobsOpenAPIPaths(), GridMapServer.eventsOpenAPIPaths(), GridMapServer.open311OpenAPIPaths(),
                     GridMapServer.registerOpenAPIPaths()]
        for paths in parts { #expect(JSONSerialization.isValidJSONObject(paths)) }
        let all = Set(parts.flatMap(\.keys))
        for path in ["/jobs/locate", "/jobs/map.png", "/events/{id}/{action}", "/departments/{code}/queue", "/open311/v2/requests.{format}",
                     "/register/changes", "/survey/campaigns/{name}/visits"] {
            #expect(all.contains(path), "\(path)")
        }
    }
}
