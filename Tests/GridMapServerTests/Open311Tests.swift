import Foundation
import GeoJSON
import GridMapApp
import GridMapCore
import GridMapServer
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Open311 GeoReport v2: services, reports at a point, requests and their states")
struct Open311Tests {
    static func form(_ point: Position, code: String = "roads-and-water", description: String = "水渠堵了") -> String {
        "service_code=\(code)&lat=\(point.y)&long=\(point.x)&description=\(description.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&email=a%40b.cn&first_name=Li"
    }

    @Test("services lists the event catalogue: category codes, Chinese names, English descriptions, departments as groups")
    func servicesAreTheCatalogue() async throws {
        let server = try TestServer(writable: false)
        try await server.application.test(.router) { client in
            let services = try jsonValue(try await client.send("/open311/v2/services.json").body) as? [[String: Any]]
            #expect(services?.count == EventCatalogue.standard.categories.count)
            let roads = services?.first { $0["service_code"] as? String == "roads-and-water" }
            #expect(roads?["service_name"] as? String == "道路水利")
            #expect(roads?["description"] as? String == "Roads and water")
            #expect(roads?["group"] as? String == "水利站、住建办")
            #expect(roads?["type"] as? String == "realtime")
            #expect(roads?["metadata"] as? Bool == false)
            let xml = try await client.send("/open311/v2/services.xml")
            #expect(xml.headers[.contentType]?.hasPrefix("text/xml") == true)
            #expect(String(decoding: xml.body, as: UTF8.self).contains("<service><service_code>environment</service_code><service_name>环境卫生</service_name>"))
            let definition = try jsonValue(try await client.send("/open311/v2/services/traffic.json").body) as? [String: Any]
            #expect(definition?["service_code"] as? String == "traffic")
            let discovery = try jsonValue(try await client.send("/open311/v2/discovery.json").body) as? [String: Any]
            #expect((discovery?["endpoints"] as? [[String: Any]])?.first?["specification"] as? String == "http://wiki.open311.org/GeoReport_v2")
        }
    }

    @Test("a report posted at a point is raised by the grid's liaison and answered with its grid, micro-grid, village and public team")
    func reportIsPlacedAndRaisedByTheLiaison() async throws {
        let server = try TestServer(writable: true)
        let point = try server.point(in: "DC-001")
        let liaison = try #require(server.services.town.town.data.team.first { $0.gridCode.description == "DC-001" && $0.role == .liaison })
        try await server.application.test(.router) { client in
            let posted = try await client.send("/open311/v2/requests.json", .post, type: "application/x-www-form-urlencoded", body: Self.form(point))
            #expect(posted.status == .created)
            let receipt = try #require((try jsonValue(posted.body) as? [[String: Any]])?.first)
            let id = try #require(receipt["service_request_id"] as? String)
            #expect(receipt["grid"] as? String == "DC-001")
            #expect((receipt["micro_grid"] as? String)?.hasPrefix("DC-001-") == true)
            let team = receipt["team"] as? [[String: Any]]
            #expect(Set(team?.compactMap { $0["role"] as? String } ?? []) == ["chief", "liaison"])
            #expect(team?.contains { $0["name"] as? String == liaison.name } == true)

            let event = try server.services.town.desk.event(id)
            #expect(event.raisedBy == .teamMember(grid: liaison.gridCode, role: .liaison, name: liaison.name))
            #expect(event.report.description == "水渠堵了")

            let read = try #require((try jsonValue(try await client.send("/open311/v2/requests/\(id).json").body) as? [[String: Any]])?.first)
            #expect(read["status"] as? String == "open")
            #expect(read["gridmap_state"] as? String == "raised")
            #expect(read["service_name"] as? String == "道路水利")
            #expect(read["lat"] as? Double == point.y)
            let xml = String(decoding: try await client.send("/open311/v2/requests/\(id).xml").body, as: UTF8.self)
            #expect(xml.contains("<service_requests><request><service_request_id>\(id)</service_request_id><status>open</status>"))
        }
    }

    @Test("the request list filters by id, service code, status and GridMap's grid and state, and shows each department's part")
    func requestFilters() async throws {
        let server = try TestServer(writable: true)
        let (one, two) = (try server.point(in: "DC-001"), try server.point(in: "DC-002"))
        try await server.application.test(.router) { client in
            var ids: [String] = []
            for (point, code) in [(one, "roads-and-water"), (two, "environment"), (one, "environment")] {
                let posted = try await client.send("/open311/v2/requests.json", .post, type: "application/x-www-form-urlencoded", body: Self.form(point, code: code))
                ids.append(try #require((try jsonValue(posted.body) as? [[String: Any]])?.first?["service_request_id"] as? String))
            }
            #expect(try await client.send("/events/\(ids[0])/whistle", .post, viewer: "office as office").status == .ok)
            func listed(_ query: String) async throws -> [String] {
                let answer = try await client.send("/open311/v2/requests.json?\(query)")
                return (try jsonValue(answer.body) as? [[String: Any]])?.compactMap { $0["service_request_id"] as? String } ?? []
            }
            #expect(try await listed("service_code=environment") == [ids[2], ids[1]])
            #expect(try await listed("grid=DC-001") == [ids[2], ids[0]])
            #expect(try await listed("service_request_id=\(ids[1]),\(ids[0])") == [ids[1], ids[0]])
            #expect(try await listed("state=whistled") == [ids[0]])
            #expect(try await listed("status=closed").isEmpty)
            #expect(try await listed("status=open&limit=2").count == 2)
            let whistled = try #require((try jsonValue(try await client.send("/open311/v2/requests/\(ids[0]).json").body) as? [[String: Any]])?.first)
            let parts = whistled["gridmap_departments"] as? [[String: Any]]
            #expect(parts?.map { $0["code"] as? String ?? "" } == ["water", "housing"])
            #expect(parts?.first?["state"] as? String == "awaiting-report-in")
            #expect(whistled["agency_responsible"] as? String == "水利站、住建办")
        }
    }

    @Test("errors inside /open311/v2 are Open311's error list with a status that fits, in JSON or XML")
    func errorsInOpen311Shape() async throws {
        let server = try TestServer(writable: true)
        let point = try server.point(in: "DC-001")
        try await server.application.test(.router) { client in
            let noPoint = try await client.send("/open311/v2/requests.json", .post, type: "application/x-www-form-urlencoded", body: "service_code=traffic&description=x")
            #expect(noPoint.status == .badRequest)
            let errors = try jsonValue(noPoint.body) as? [[String: Any]]
            #expect(errors?.first?["code"] as? Int == 400)
            #expect((errors?.first?["description"] as? String)?.contains("lat and long are required") == true)
            let outside = try await client.send("/open311/v2/requests.json", .post, type: "application/x-www-form-urlencoded", body: "service_code=traffic&description=x&lat=35&long=119")
            #expect(outside.status == .badRequest)
            #expect(String(decoding: outside.body, as: UTF8.self).contains("outside the town"))
            #expect(try await client.send("/open311/v2/requests.json", .post, type: "application/x-www-form-urlencoded", body: Self.form(point, code: "dragons")).status == .badRequest)
            #expect(try await client.send("/open311/v2/requests.json", .post, type: "application/json", body: "{}").status == .badRequest)
            #expect(try await client.send("/open311/v2/requests.json", .post, type: "application/x-www-form-urlencoded", body: Self.form(point, description: "")).status == .badRequest)
            let missing = try await client.send("/open311/v2/requests/EV-424242.xml")
            #expect(missing.status == .notFound)
            #expect(String(decoding: missing.body, as: UTF8.self).contains("<errors><error><code>404</code><description>There is no event EV-424242.</description></error></errors>"))
            #expect(try await client.send("/open311/v2/services/dragons.json").status == .notFound)
            #expect(try await client.send("/open311/v2/services.yaml").status == .notFound)
            #expect(try await client.send("/open311/v2/requests.json?status=pending").status == .badRequest)
            #expect(try await client.send("/open311/v2/requests.json?start_date=yesterday").status == .badRequest)
        }
    }

    @Test("the georeport client from PyPI lists the services and reads requests (JSON and XML) from a real server; a report posted as GeoReport's form is placed")
    func georeportClient() async throws {
        let python = Repository.root.appendingPathComponent("tools/.venv-test/bin/python")
        #expect(FileManager.default.isExecutableFile(atPath: python.path), "tools/setup builds tools/.venv-test with georeport (tools/test-requirements.txt)")
        let server = try ServerProcess(["--db", try DacunStore.writableCopy().path])
        defer { server.stop() }
        let script = #"""
            import json, sys, requests
            from georeport import GeoReport
            root = sys.argv[1] + "open311/v2"
            out = {}
            for fmt in ("json", "xml"):
                client = GeoReport(root, output_format=fmt)
                out[fmt + "_services"] = [s["service_code"] for s in client.get_service_list()]
            # georeport 0.3.1 has no call to create a request: post GeoReport's form as the spec says.
            posted = requests.post(root + "/requests.json", data={"service_code": "roads-and-water", "lat": sys.argv[3], "long": sys.argv[2],
                                                                   "description": "水渠堵了", "email": "someone@example.cn"})
            posted.raise_for_status()
            out["posted"] = posted.json()[0]
            rid = out["posted"]["service_request_id"]
            out["json_request"] = GeoReport(root).get_service_request(rid)
            out["xml_request"] = GeoReport(root, output_format="xml").get_service_request(rid)
            out["listed"] = [r["service_request_id"] for r in GeoReport(root).get_service_requests(service_code="roads-and-water", status="open")]
            print(json.dumps(out))
            """#
        let point = try TestServer(writable: false).point(in: "DC-001")
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", script, server.url.absoluteString, "\(point.x)", "\(point.y)"]
        let (output, errors) = (Pipe(), Pipe())
        (process.standardOutput, process.standardError) = (output, errors)
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(message)")
        let answer = try #require(try jsonValue(data) as? [String: Any])
        let codes = EventCatalogue.standard.categories.map(\.code)
        #expect(answer["json_services"] as? [String] == codes)
        #expect(answer["xml_services"] as? [String] == codes)
        let posted = answer["posted"] as? [String: Any]
        #expect(posted?["grid"] as? String == "DC-001")
        let id = try #require(posted?["service_request_id"] as? String)
        #expect((answer["json_request"] as? [String: Any])?["gridmap_state"] as? String == "raised")
        #expect((answer["xml_request"] as? [String: Any])?["service_request_id"] as? String == id)
        #expect((answer["xml_request"] as? [String: Any])?["micro_grid"] as? String == posted?["micro_grid"] as? String)
        #expect(answer["listed"] as? [String] == [id])
    }
}
