import Foundation
import Testing

@Suite("gridmap tour")
struct TourCommandTests {
    /// A 10 × 10 square A B C D with its centre E.
    static let square = "id,x,y\nA,0,0\nB,10,0\nC,10,10\nD,0,10\nE,5,5\n"

    struct Row {
        var id: String, worker: String, order: Int?, leg: Double?, arrival: String, departure: String
    }

    static func rows(_ stdout: String) -> [Row] {
        stdout.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Row(id: f[0], worker: f[1], order: Int(f[2]), leg: Double(f[3]), arrival: f[5], departure: f[6])
        }
    }

    static func total(_ rows: [Row]) -> Double { rows.compactMap(\.leg).reduce(0, +) }

    @Test("the square and its centre: the optimal round trip from A, 30 + 10√2, no diagonal between corners")
    func planarSquare() throws {
        let result = try GridMapExecutable.run(["tour", "--planar", "-"], stdin: Self.square)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("id,worker,order,leg_m,leg_min,arrival,departure\n"))
        let rows = Self.rows(result.stdout)
        #expect(rows.map(\.id).first == "A" && rows.map(\.id).last == "A")
        #expect(Set(rows.dropFirst().dropLast().map(\.id)) == ["B", "C", "D", "E"] && rows.count == 6)
        #expect(abs(Self.total(rows) - (30 + 10 * 2.0.squareRoot())) < 0.01)
        #expect(rows.allSatisfy { $0.leg ?? 0 < 10.001 })   // never a 14.14 diagonal
        #expect(result.stderr.contains("total 44.1"))
    }

    @Test("--open ends at the last stop and --end at the given one")
    func openAndEnd() throws {
        let open = try GridMapExecutable.run(["tour", "--planar", "-", "--open"], stdin: Self.square)
        #expect(open.status == 0, "\(open.stderr)")
        let openRows = Self.rows(open.stdout)
        #expect(openRows.count == 5 && openRows.last?.id != "A")
        #expect(abs(Self.total(openRows) - (20 + 10 * 2.0.squareRoot())) < 0.01)
        let end = try GridMapExecutable.run(["tour", "--planar", "-", "--end", "C", "--start", "B"], stdin: Self.square)
        #expect(end.status == 0, "\(end.stderr)")
        let endRows = Self.rows(end.stdout)
        #expect(endRows.first?.id == "B" && endRows.last?.id == "C" && endRows.count == 5)
        // B → A → E → D → C (or B → A → D → E → C): 10 + 7.07 + 7.07 + 10.
        #expect(abs(Self.total(endRows) - (20 + 10 * 2.0.squareRoot())) < 0.01)
        let both = try GridMapExecutable.run(["tour", "--planar", "-", "--end", "C", "--open"], stdin: Self.square)
        #expect(both.status != 0 && both.stderr.contains("Give one ending"))
    }

    @Test("every stop exactly once, more stops than the exact limit, and split among workers")
    func workersAndCoverage() throws {
        var csv = "id,x,y\ndepot,50,50\n"
        for i in 0..<30 { csv += "s\(i),\((i * 37) % 100),\((i * 61) % 100)\n" }
        let one = try GridMapExecutable.run(["tour", "--planar", "-", "--time-budget", "0.2"], stdin: csv)
        #expect(one.status == 0, "\(one.stderr)")
        let oneRows = Self.rows(one.stdout).filter { $0.id != "depot" }
        #expect(oneRows.count == 30 && Set(oneRows.map(\.id)).count == 30)
        let three = try GridMapExecutable.run(["tour", "--planar", "-", "--workers", "3", "--time-budget", "0.2"], stdin: csv)
        #expect(three.status == 0, "\(three.stderr)")
        let rows = Self.rows(three.stdout)
        let stops = rows.filter { $0.id != "depot" }
        #expect(stops.count == 30 && Set(stops.map(\.id)).count == 30)
        #expect(Set(stops.map(\.worker)) == ["1", "2", "3"])
        #expect(three.stderr.contains("worker 3:"))
    }

    @Test("several workers with a fixed end or an open path: every list ends at the end, or has no return leg")
    func workersEnds() throws {
        var csv = "id,x,y\ndepot,50,50\nexit,0,0\n"
        for i in 0..<20 { csv += "s\(i),\((i * 37) % 100),\((i * 61) % 100)\n" }
        let end = try GridMapExecutable.run(["tour", "--planar", "-", "--workers", "3", "--end", "exit", "--time-budget", "0.2"], stdin: csv)
        #expect(end.status == 0, "\(end.stderr)")
        let lists = Dictionary(grouping: Self.rows(end.stdout), by: \.worker)
        #expect(lists.count == 3 && lists.values.allSatisfy { $0.first?.id == "depot" && $0.last?.id == "exit" })
        #expect(lists.values.flatMap { $0 }.filter { $0.id.hasPrefix("s") }.count == 20)
        let open = try GridMapExecutable.run(["tour", "--planar", "-", "--workers", "3", "--open", "--time-budget", "0.2"], stdin: csv)
        #expect(open.status == 0, "\(open.stderr)")
        let openRows = Self.rows(open.stdout)
        #expect(openRows.filter { $0.id == "depot" }.allSatisfy { $0.order == 0 })   // no return leg
        #expect(openRows.count == 21 + Set(openRows.map(\.worker)).count)
        let few = try GridMapExecutable.run(["tour", "--planar", "-", "--workers", "2", "--max-stops", "5"], stdin: csv)
        #expect(few.status != 0 && few.stderr.contains("21 stops do not fit 2 workers of at most 5 stops each"), "\(few.stderr)")
    }

    @Test("minutes need road times; bad limits and clock times are refused")
    func badTimeOptions() throws {
        for (options, message) in [(["--service-min", "5"], "--planar"), (["--max-minutes", "0"], "--max-minutes"),
                                   (["--start-time", "8:30"], "HH:MM"), (["--start-time", "24:00"], "HH:MM"),
                                   (["--max-stops", "0"], "--max-stops"), (["--service-min", "-1"], "--service-min")] {
            let result = try GridMapExecutable.run(["tour", "--planar", "-"] + options, stdin: Self.square)
            #expect(result.status != 0 && result.stderr.contains(message), "\(options): \(result.stderr)")
        }
        let bad = try GridMapExecutable.run(["tour", "--planar", "-"], stdin: "id,x,y,service_min\nA,0,0,\nB,1,1,long\n")
        #expect(bad.status != 0 && bad.stderr.contains("line 3") && bad.stderr.contains("service_min of B"))
    }

    @Test("road mode: service minutes shift arrivals by exactly the stops already served; clock times; a minute limit leaves stops listed")
    func roadServiceAndLimits() throws {
        let town = try RoadTown()
        defer { town.remove() }
        let csv = "id,lon,lat,service_min\nw1,119.805,35.902,\nh1,119.803,35.903,10\nw2,119.815,35.908,\nh2,119.817,35.907,25\n"
        let bare = try GridMapExecutable.run(["tour", "-", "--db", town.db], stdin: csv.replacingOccurrences(of: ",10\n", with: ",\n")
                                                .replacingOccurrences(of: ",25\n", with: ",\n"))
        #expect(bare.status == 0, "\(bare.stderr)")
        let served = try GridMapExecutable.run(["tour", "-", "--service-min", "4", "--db", town.db], stdin: csv)
        #expect(served.status == 0, "\(served.stderr)")
        let bareRows = Self.rows(bare.stdout), servedRows = Self.rows(served.stdout)
        #expect(bareRows.map(\.id) == servedRows.map(\.id))
        var before = 0.0
        for (plain, row) in zip(bareRows, servedRows) {
            let service: [String: Double] = ["h1": 10, "h2": 25]
            let own = row.order == 0 || row.order == servedRows.count - 1 ? 0 : service[row.id] ?? 4
            #expect(abs(Double(row.arrival)! - Double(plain.arrival)! - before) < 0.051, "\(row.id)")
            #expect(abs(Double(row.departure)! - Double(row.arrival)! - own) < 0.051, "\(row.id)")
            before += own
        }
        #expect(served.stderr.contains("service 39.0)"), "\(served.stderr)")

        let clock = try GridMapExecutable.run(["tour", "-", "--start-time", "08:30", "--db", town.db], stdin: csv)
        #expect(clock.status == 0, "\(clock.stderr)")
        #expect(Self.rows(clock.stdout).first.map { $0.arrival == "08:30" && $0.departure == "08:30" } == true)
        #expect(Self.rows(clock.stdout).allSatisfy { $0.arrival.count == 5 && $0.arrival.contains(":") })

        // 30 minutes: h1 (10 min of service, about 20 of walking) fits; w2 and h2, 20 minutes' walk away, do not.
        let limited = try GridMapExecutable.run(["tour", "-", "--workers", "2", "--max-minutes", "30", "--db", town.db], stdin: csv)
        #expect(limited.status == 0, "\(limited.stderr)")
        let rows = Self.rows(limited.stdout)
        #expect(rows.filter { $0.worker.isEmpty }.map(\.id).sorted() == ["h2", "w2"], "\(limited.stdout)")
        #expect(rows.filter { !$0.worker.isEmpty }.allSatisfy { Double($0.departure)! <= 30 })
        #expect(limited.stderr.contains("2 stops fit no worker within --max-minutes 30") && limited.stderr.contains("w2, h2"))
    }

    @Test("bad rows are reported with their line numbers and nothing is planned")
    func badRows() throws {
        let result = try GridMapExecutable.run(["tour", "--planar", "-"], stdin: "id,x,y\nA,0,0\nB,east,0\nC,1\nA,2,2\n")
        #expect(result.status != 0)
        #expect(result.stderr.contains("line 3") && result.stderr.contains("B"))
        #expect(result.stderr.contains("line 4"))
        #expect(result.stderr.contains("line 5") && result.stderr.contains("again"))
        #expect(result.stdout.isEmpty)
        let header = try GridMapExecutable.run(["tour", "--planar", "-"], stdin: "name,a,b\nA,0,0\n")
        #expect(header.status != 0 && header.stderr.contains("header"))
        let unknown = try GridMapExecutable.run(["tour", "--planar", "-", "--start", "Z"], stdin: Self.square)
        #expect(unknown.status != 0 && unknown.stderr.contains("--start Z"))
    }

    @Test("a quoted stop id spanning two lines is one stop, written back quoted; later lines keep their numbers")
    func multiLineStopID() throws {
        let stops = "id,x,y\nA,0,0\n\"gate\nnorth\",10,0\n\"B, east\",10,10\nC,x,0\n"
        let result = try GridMapExecutable.run(["tour", "--planar", "-"], stdin: stops)
        #expect(result.status != 0)
        #expect(result.stderr.contains("line 6: x,y of C are not numbers"), "\(result.stderr)")
        let fixed = try GridMapExecutable.run(["tour", "--planar", "-"], stdin: stops.replacingOccurrences(of: "C,x,0", with: "C,0,10"))
        #expect(fixed.status == 0, "\(fixed.stderr)")
        #expect(fixed.stdout.contains("\n\"gate\nnorth\",") && fixed.stdout.contains("\n\"B, east\","), "\(fixed.stdout)")
    }

    @Test("road mode on the fixture with roads: wells and homes in order, a disconnected stop reported, routes as GeoJSON")
    func roadMode() throws {
        let town = try RoadTown()
        defer { town.remove() }
        let csv = "id,lon,lat\nw1,119.805,35.902\nh1,119.803,35.903\nw2,119.815,35.908\nh2,119.817,35.907\nlost,119.8196,35.9094\n"
        let out = town.work.file("tour.geojson")
        let result = try GridMapExecutable.run(["tour", "-", "--workers", "2", "--out", out.path, "--db", town.db], stdin: csv)
        #expect(result.status == 0, "\(result.stderr)")
        let rows = Self.rows(result.stdout)
        let stops = rows.filter { $0.id != "w1" }
        #expect(Set(stops.map(\.id)) == ["h1", "w2", "h2", "lost"] && stops.count == 4)
        #expect(rows.last?.id == "lost" && rows.last?.worker == "")
        #expect(result.stderr.contains("cannot be reached") && result.stderr.contains("lost"))
        #expect(result.stderr.contains("the roads form 2 unconnected pieces; 1 road lies apart from the largest: road-9"),
                "\(result.stderr)")
        #expect(rows.filter { $0.id != "lost" }.allSatisfy { ($0.leg ?? 0) >= 0 })
        let geojson = try String(contentsOf: out, encoding: .utf8)
        #expect(geojson.contains("\"LineString\""))
        let far = try GridMapExecutable.run(["tour", "-", "--db", town.db], stdin: "id,lon,lat\na,119.805,35.902\nb,119.9,35.99\n")
        #expect(far.status != 0 && far.stderr.contains("Cannot snap") && far.stderr.contains("b at"))
    }

    @Test("a side road whose end stops a centimetre short of the main road is joined, reported, and routed along")
    func nearMissJunction() throws {
        // road-6 runs south towards road-1 (latitude 35.905) and stops 0.00000009° (1 cm) short of it.
        let roads = try RoadTown.roads().replacingOccurrences(of: "\n]}", with: """
            ,
            {"type":"Feature","id":"road-6","properties":{"kind":"road","name":"中支路","class":"track"},"geometry":{"type":"LineString","coordinates":[[119.810,35.9080],[119.810,35.90500009]]}}
            ]}
            """)
        let town = try RoadTown(roads: roads)
        defer { town.remove() }
        let result = try GridMapExecutable.run(["tour", "-", "--db", town.db],
                                               stdin: "id,lon,lat\nw1,119.805,35.902\nnorth,119.8101,35.9079\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("joined road-6's last end onto road-1 (moved 0.0"), "\(result.stderr)")
        #expect(result.stderr.contains("1 road end joined onto a road within 0.1 m"))
        #expect(!result.stderr.contains("cannot be reached"), "the stop on road-6 is reachable from w1")
        #expect(Self.rows(result.stdout).map(\.id) == ["w1", "north", "w1"])
    }
}
