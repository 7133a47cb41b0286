import Foundation
import GEOS
import GeoJSON
import GridMapCore
import PROJ
import Testing
import TownGenerator

/// The bundled reference town, generated once for all tests in this file (about 2 s in a debug
/// build; ~8 MB of files).
private let dacun: TownData = {
    do {
        return try TownGenerator().generate()
    } catch {
        fatalError("the generator failed: \(error)")
    }
}()

/// The folder the repository commits the generated town in.
private let committedFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("geodata/dacun")

private func temporaryFolder(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("gridmap-\(name)-\(UUID().uuidString)")
}

@Suite("Town generator: the bundled town of Dacun")
struct TownGeneratorTests {
    @Test("generating twice gives byte-identical folders")
    func generationIsDeterministic() throws {
        let (first, second) = (temporaryFolder("gen-a"), temporaryFolder("gen-b"))
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
        }
        let generator = TownGenerator()
        try generator.write(to: first)
        try generator.write(to: second)
        let names = try FileManager.default.contentsOfDirectory(atPath: first.path).sorted()
        #expect(names == (try FileManager.default.contentsOfDirectory(atPath: second.path).sorted()))
        #expect(names.count >= 15)
        for name in names {
            let a = try Data(contentsOf: first.appendingPathComponent(name))
            let b = try Data(contentsOf: second.appendingPathComponent(name))
            #expect(a == b, "\(name) differs between two generations")
        }
        // The folder written is exactly the data generated.
        #expect(try TownFolder.read(from: first) == dacun)
    }

    @Test("the committed geodata/dacun is what the generator makes (regenerate with town-generator)")
    func committedFolderIsUpToDate() throws {
        let files = try TownFolder.encode(dacun, options: .init(generator: TownGenerator().generatorInfo))
        for file in files {
            let committed = try #require(FileManager.default.contents(atPath: committedFolder.appendingPathComponent(file.name).path),
                                         "geodata/dacun/\(file.name) is missing")
            #expect(committed == Data(file.bytes),
                    "geodata/dacun/\(file.name) is stale: run `swift run town-generator` and commit the result")
        }
        let generated = Set(files.map(\.name))
        let stray = try FileManager.default.contentsOfDirectory(atPath: committedFolder.path)
            .filter { ($0.hasSuffix(".geojson") || $0.hasSuffix(".csv") || $0.hasSuffix(".json")) && !generated.contains($0) }
        #expect(stray.isEmpty, "files the generator no longer makes: \(stray)")
        var total = 0
        for file in files { total += file.bytes.count }
        #expect(total < 10_000_000, "the town folder should stay a few MB, is \(total) bytes")
    }

    @Test("the committed geodata/dacun-ledger.csv is the generator's ledger: one row per resident, in residents.csv order")
    func committedLedgerIsUpToDate() throws {
        let ledger = TownGenerator().ledger(of: dacun)
        let file = committedFolder.deletingLastPathComponent().appendingPathComponent("dacun-ledger.csv")
        let committed = try #require(FileManager.default.contents(atPath: file.path), "geodata/dacun-ledger.csv is missing")
        #expect(committed == Data(ledger.csv.utf8), "geodata/dacun-ledger.csv is stale: run `swift run town-generator` and commit the result")
        #expect(ledger.rows.map(\.homeID) == dacun.residents.map(\.homeID))
        #expect(ledger.rows.map(\.name) == dacun.residents.map(\.name))
        #expect(ledger.rows.map(\.number) == Array(1...56_000))
        #expect(committed.count < 3_500_000, "the ledger should stay a few MB, is \(committed.count) bytes")
    }

    @Test("the committed geodata/dacun-events.jsonl is the generator's year of events, every line in time order")
    func committedEventsAreUpToDate() throws {
        let year = try TownGenerator().events(of: dacun)
        let file = committedFolder.deletingLastPathComponent().appendingPathComponent("dacun-events.jsonl")
        let committed = try #require(FileManager.default.contents(atPath: file.path), "geodata/dacun-events.jsonl is missing")
        #expect(committed == Data(year.text.utf8), "geodata/dacun-events.jsonl is stale: run `swift run town-generator` and commit the result")
        let times = year.lines.compactMap { line in line.range(of: #""at":"[^"]*""#, options: .regularExpression).map { String(line[$0]) } }
        #expect(times.count == year.lines.count && times == times.sorted())
        #expect(year.lines.filter { $0.hasPrefix(#"{"do":"raise""#) }.count == 76)
        #expect(year.lines.filter { $0.contains(#""kind":"activity""#) }.count == 17)
        #expect(year.lines.filter { $0.contains(#""kind":"volunteer-service""#) }.count == 42)
    }

    @Test("the committed geodata/dacun-survey.jsonl is the generator's survey campaign: one start, then visits in day order at plausible rates")
    func committedSurveyIsUpToDate() throws {
        let survey = try SurveyCampaignFile(town: dacun, year: 2024, seed: TownGenerator.Configuration().seed,
                                            register: try TownGenerator().register(of: dacun))
        let file = committedFolder.deletingLastPathComponent().appendingPathComponent("dacun-survey.jsonl")
        let committed = try #require(FileManager.default.contents(atPath: file.path), "geodata/dacun-survey.jsonl is missing")
        #expect(committed == Data(survey.text.utf8), "geodata/dacun-survey.jsonl is stale: run `swift run town-generator` and commit the result")
        #expect(survey.lines.first?.hasPrefix(#"{"do":"start","campaign":"2024年秋季地毯式摸排""#) == true)
        let visits = survey.lines.dropFirst()
        #expect(visits.allSatisfy { $0.hasPrefix(#"{"do":"visit""#) })
        let days = visits.compactMap { line in line.range(of: #""day":"[^"]*""#, options: .regularExpression).map { String(line[$0]) } }
        #expect(days.count == visits.count && days == days.sorted())
        let nobody = visits.filter { $0.contains(#""found":"nobody-home""#) }.count
        #expect((0.08...0.2).contains(Double(nobody) / Double(visits.count)), "\(nobody) of \(visits.count) found nobody home")
        // Some visits found a phone changed, each about a resident the year's register changes leave alone.
        let changed = visits.filter { $0.contains(#""found":"changed","changes":[{"resident":"R-"#) }
        #expect((20...150).contains(changed.count), "\(changed.count) changed visits")
    }

    @Test("the committed geodata/dacun-register.jsonl is the generator's year of register changes: in day order, at the cited rates, from registerSince")
    func committedRegisterYearIsUpToDate() throws {
        let year = try TownGenerator().register(of: dacun)
        let file = committedFolder.deletingLastPathComponent().appendingPathComponent("dacun-register.jsonl")
        let committed = try #require(FileManager.default.contents(atPath: file.path), "geodata/dacun-register.jsonl is missing")
        #expect(committed == Data(year.text.utf8), "geodata/dacun-register.jsonl is stale: run `swift run town-generator` and commit the result")
        #expect(dacun.town.manifestMembers["registerSince"]?.stringValue == "2024-01-01")
        let days = year.lines.compactMap { line in line.range(of: #""effective":"[^"]*""#, options: .regularExpression).map { String(line[$0]) } }
        #expect(days.count == year.lines.count && days == days.sorted())
        #expect(days.first.map { $0 >= #""effective":"2024-01-01""# } == true && days.last.map { $0 <= #""effective":"2024-12-31""# } == true)
        func count(_ fragment: String) -> Int { year.lines.filter { $0.contains(fragment) }.count }
        // 6.77‰ and 7.76‰ of 56,000 (China, 2024), moves out 12‰ and in 6‰ of it.
        #expect(count(#""reason":"born""#) == 379)
        #expect(count(#""reason":"died""#) == 435)
        #expect(count(#""reason":"moved away"#) == 672)
        #expect(count(#""reason":"moved into the town"#) == 336)
        #expect(count(#""reason":"moved within the town""#) == 560)
        #expect(count(#""addCategories":["disabled"]"#) == 112)
        // The teams: one grid in twenty replaces its liaison, one in fifty its chief (the old
        // one removed and the new one added on the same day), one in six gains a volunteer.
        #expect(count(#""role":"liaison""#) == 115 / 20 && count(#""reason":"left to work in the city""#) == 115 / 20)
        #expect(count(#""role":"chief""#) == 115 / 50 && count(#""reason":"retired""#) == 115 / 50)
        #expect((15...115 / 6).contains(count(#""role":"volunteer""#)))
        // Every resident a line changes, moves or removes exists by then: on the register, or added on an earlier line.
        var living = Set(dacun.residents.map(\.id))
        for line in year.lines where !line.contains(#""teamMember":"#) {
            let id = try #require(line.range(of: #""resident":"R-[0-9]+""#, options: .regularExpression).map { String(line[$0].dropFirst(12).dropLast()) })
            if line.hasPrefix(#"{"do":"add""#) {
                #expect(living.insert(id).inserted, "\(id) is added twice")
            } else {
                #expect(living.contains(id), "\(line) names a resident not on the register")
                if line.hasPrefix(#"{"do":"remove""#) { living.remove(id) }
            }
        }
        #expect(living.count == 56_000 + 379 + 336 - 435 - 672)
    }

    @Test("every ledger row gets the answer its variant calls for, and every variant and outcome occurs")
    func ledgerOutcomes() throws {
        let ledger = TownGenerator().ledger(of: dacun)
        let matcher = AddressMatcher(dacun)
        var perVariant: [ResidentLedger.Variant: Int] = [:]
        var wrong: [String] = []
        for row in ledger.rows {
            perVariant[row.variant, default: 0] += 1
            let answer = matcher.match(row.address)
            let right: Bool
            switch (row.variant, answer) {
            case (.exact, .matched(let home, .exact, 1)):
                right = home == row.homeID
            case (.withoutTown, .matched(let home, .normalized, 1)), (.withProvince, .matched(let home, .normalized, 1)),
                 (.chineseNumeral, .matched(let home, .normalized, 1)), (.fullWidthDigits, .matched(let home, .normalized, 1)),
                 (.extraSpaces, .matched(let home, .normalized, 1)),
                 (.suffixSwapped, .matched(let home, .normalized, 0.95)), (.hashForHao, .matched(let home, .normalized, 0.95)):
                right = home == row.homeID
            case (.typo, .matched(let home, .fuzzy, let confidence)):
                right = home == row.homeID && confidence < 1
            case (.betweenVillages, .ambiguous(let candidates)):
                // Every candidate has the row's house number ("大村镇" + a three-character
                // village + "N号"), and at least two are as likely as the first.
                let number = row.homeAddress.dropFirst(6)
                right = candidates.filter { $0.confidence == candidates[0].confidence }.count >= 2
                    && candidates.allSatisfy { $0.address.dropFirst(6) == number }
            case (.unknownVillage, .unmatched(.unknownVillage)), (.noSuchNumber, .unmatched(.noSuchNumber)),
                 (.noVillage, .unmatched(.noVillage)), (.otherTown, .unmatched(.otherTown)):
                right = true
            default:
                right = false
            }
            if !right { wrong.append("row \(row.number) \(row.variant) \(row.address) (\(row.homeID)): \(answer)") }
        }
        #expect(wrong.isEmpty, "\(wrong.count) rows: \(wrong.prefix(10))")
        #expect(Set(perVariant.keys) == Set(ResidentLedger.Variant.allCases), "variants never drawn: \(perVariant)")
        // The outcome counts `gridmap assign` reports on this ledger (AssignCommandTests): 93.9%
        // exact or normalised, 3.8% fuzzy, 1.1% ambiguous, 1.0% unmatched, 0.5% outside the town.
        func count(_ variants: ResidentLedger.Variant...) -> Int { variants.reduce(0) { $0 + perVariant[$1, default: 0] } }
        #expect(count(.exact) == 30_559)
        #expect(count(.withoutTown, .withProvince, .suffixSwapped, .chineseNumeral, .fullWidthDigits, .hashForHao, .extraSpaces) == 21_836)
        #expect(count(.typo) == 2_150)
        #expect(count(.betweenVillages) == 610)
        #expect(count(.unknownVillage, .noSuchNumber, .noVillage) == 563)
        #expect(count(.otherTown) == 282)
    }

    @Test("exact counts: 20 villages, 115 grids of 2–6 micro-grids, 291 micro-grids, 20,000 homes, 56,000 residents")
    func counts() throws {
        #expect(dacun.town.code == "DC" && dacun.town.name == "大村镇" && dacun.town.workingCRS == "EPSG:4549")
        #expect(dacun.villages.count == 20)
        #expect(dacun.grids.count == 115)
        #expect(dacun.microGrids.count == 291)
        let villageCodes = Set(dacun.villages.map(\.code))
        for village in dacun.villages {
            let grids = dacun.grids.filter { $0.villageCode == village.code }.count
            #expect((3...9).contains(grids), "village \(village.code) has \(grids) grids")
        }
        for grid in dacun.grids {
            #expect(villageCodes.contains(grid.villageCode))
            let micro = dacun.microGrids.filter { $0.gridCode == grid.code }
            // Shared by households: the seat's 500-odd homes get 6, every other grid 2 or 3.
            #expect((2...6).contains(micro.count), "grid \(grid.code) has \(micro.count) micro-grids")
            #expect(micro.map { $0.code.microGrid! } == Array(1...micro.count))
        }
        #expect(dacun.grids.map(\.code.grid) == Array(1...115))
        let homes = dacun.features.filter { $0.kind == .home }
        #expect(homes.count == 20_000)
        #expect(dacun.residents.count == 56_000)
        #expect(Set(dacun.features.map(\.id)).count == dacun.features.count, "feature ids are unique")
        #expect(Set(homes.compactMap { $0.properties["address"]?.stringValue }).count == homes.count, "addresses are unique")
        #expect(Set(dacun.grids.map(\.name)).count == 115, "natural-village names are unique")
        for kind in FeatureKind.builtIn {
            #expect(dacun.features.contains { $0.kind == kind }, "no \(kind) features")
        }
    }

    @Test("micro-grids tile the town: each inside its grid, areas adding up to about 213 km² in EPSG:4549")
    func tiling() throws {
        let context = GEOSContext()
        let transformer = try Projection(workingCRS: "EPSG:4549")
        var grids: [GridCode: GEOSGeometry] = [:]
        for grid in dacun.grids {
            let geometry = try grid.geometry.geosGeometry(in: context)
            let valid = try geometry.isValid
            #expect(geometry.type == .polygon && valid, "grid \(grid.code) is one valid polygon")
            grids[grid.code] = geometry
        }
        var microArea = 0.0
        for micro in dacun.microGrids {
            let geometry = try micro.geometry.geosGeometry(in: context)
            #expect(try geometry.isValid, "micro-grid \(micro.code) is valid")
            let grid = try #require(grids[micro.gridCode])
            #expect(try grid.covers(geometry), "micro-grid \(micro.code) lies in its grid")
            microArea += try transformer.area(of: micro.geometry, context: context)
        }
        let townArea = try transformer.area(of: dacun.town.boundary, context: context)
        #expect(abs(townArea - 213e6) < 0.01e6, "town area \(townArea / 1e6) km²")
        #expect(abs(microArea - townArea) < 1, "micro-grids add up to \(microArea) m², the town is \(townArea) m²: no gaps or overlaps")
        let union = try GEOSGeometry.collection(dacun.microGrids.map { try $0.geometry.geosGeometry(in: context) }, context: context).unaryUnion()
        #expect(try union.equals(dacun.town.boundary.geosGeometry(in: context)), "the micro-grids' union is the town boundary")
    }

    @Test("no micro-grid vertex lies within 0.5 m of another micro-grid's boundary without being on it")
    func noNearMisses() throws {
        // A vertex a few centimetres from a neighbour's edge is a sliver waiting to happen: writing
        // the micro-grids at 6 decimals (up to 7 cm) moves it across, and `repair --snap 0.1` then
        // cannot tell the rounding from the design. Distances by GEOS in the working CRS; "on" the
        // boundary means within a millimetre (the vertices lie on a 1 cm grid of degrees, so a
        // vertex on an edge is one of the edge's own vertices, or a few micrometres off it).
        let context = GEOSContext()
        let projection = try Projection(workingCRS: "EPSG:4549")
        func rings(_ geometry: Geometry) -> [[Coordinate]] {
            switch geometry {
            case .polygon(let rings): rings.map { $0.map { Coordinate(x: $0.x, y: $0.y) } }
            case .multiPolygon(let polygons): polygons.flatMap { $0.map { $0.map { Coordinate(x: $0.x, y: $0.y) } } }
            default: []
            }
        }
        let projected = try dacun.microGrids.map { try rings(projection.transform($0.geometry)) }
        let boundaries = try projected.map { try GEOSGeometry.multiLineString($0, context: context) }
        let tree = try STRtree(boundaries, context: context)
        var near: [String] = []
        for (index, micro) in dacun.microGrids.enumerated() {
            for vertex in Set(projected[index].joined()) {
                let point = try GEOSGeometry.point(vertex, context: context)
                let box = Envelope(minX: vertex.x - 0.5, minY: vertex.y - 0.5, maxX: vertex.x + 0.5, maxY: vertex.y + 0.5)
                for other in try tree.query(envelope: box) where other != index {
                    let distance = try boundaries[other].distance(to: point)
                    if distance > 0.001, distance < 0.5 {
                        near.append("\(micro.code) vertex (\(vertex.x), \(vertex.y)) is \(distance) m from \(dacun.microGrids[other].code)'s edge")
                    }
                }
            }
        }
        #expect(near.isEmpty, "\(near.count) near misses: \(near.prefix(10))")
    }

    @Test("forest covers about 46% of the town, and the lake and fields do not overlap it")
    func landUse() throws {
        let context = GEOSContext()
        let transformer = try Projection(workingCRS: "EPSG:4549")
        func area(_ kind: FeatureKind) throws -> Double {
            try dacun.features.filter { $0.kind == kind }.reduce(0) { try $0 + transformer.area(of: $1.geometry, context: context) }
        }
        let townArea = try transformer.area(of: dacun.town.boundary, context: context)
        let forestShare = try area(.forest) / townArea
        #expect(abs(forestShare - 0.46) < 0.005, "forest share \(forestShare)")
        let fieldShare = try area(.field) / townArea
        #expect((0.2...0.5).contains(fieldShare), "field share \(fieldShare)")
        let forest = try GEOSGeometry.collection(dacun.features.filter { $0.kind == .forest }.map { try $0.geometry.geosGeometry(in: context) }, context: context).unaryUnion()
        for feature in dacun.features where feature.kind == .lake || feature.kind == .field {
            #expect(try !forest.intersects(feature.geometry.geosGeometry(in: context)), "\(feature.id) overlaps the forest")
        }
        let town = try dacun.town.boundary.geosGeometry(in: context)
        for feature in dacun.features where feature.kind != .home {
            #expect(try town.covers(feature.geometry.geosGeometry(in: context)), "\(feature.id) lies outside the town")
        }
    }

    @Test("every home lies inside exactly one micro-grid, not in the lake, and has a house-numbered address")
    func homes() throws {
        let context = GEOSContext()
        let micro = try dacun.microGrids.map { try PreparedGeometry($0.geometry.geosGeometry(in: context)) }
        let lake = try PreparedGeometry(#require(dacun.features.first { $0.kind == .lake }).geometry.geosGeometry(in: context))
        var perGrid: [GridCode: Int] = [:]
        for home in dacun.features where home.kind == .home {
            guard case .point(let p) = home.geometry else {
                Issue.record("\(home.id) is not a point")
                continue
            }
            var inside: [Int] = []
            for (index, prepared) in micro.enumerated() where try prepared.coversXY(x: p.x, y: p.y) { inside.append(index) }
            #expect(inside.count == 1, "\(home.id) is in \(inside.count) micro-grids")
            #expect(try !lake.coversXY(x: p.x, y: p.y), "\(home.id) is in the lake")
            if let first = inside.first {
                let grid = dacun.microGrids[first].gridCode
                perGrid[grid, default: 0] += 1
                let name = dacun.grids.first { $0.code == grid }!.name
                let number = try #require(home.properties["houseNumber"]?.int64Value)
                #expect(home.properties["address"]?.stringValue == "大村镇\(name)\(number)号", "\(home.id)'s address names its grid's village")
            }
        }
        #expect(perGrid.count == 115, "every grid has homes")
    }

    @Test("the road network is connected through shared end points and reaches every grid centre")
    func roads() throws {
        let roads = dacun.features.filter { $0.kind == .road }
        var index: [Position: Int] = [:]
        var parent: [Int] = []
        func node(_ p: Position) -> Int {
            if let known = index[p] { return known }
            index[p] = parent.count
            parent.append(parent.count)
            return parent.count - 1
        }
        func find(_ x: Int) -> Int { parent[x] == x ? x : find(parent[x]) }
        var classes = Set<String>()
        for road in roads {
            guard case .lineString(let line) = road.geometry, line.count >= 2 else {
                Issue.record("\(road.id) is not a line string")
                continue
            }
            classes.insert(road.properties["class"]?.stringValue ?? "")
            let (a, b) = (find(node(line[0])), find(node(line[line.count - 1])))
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        #expect(classes == ["county", "village", "track"])
        #expect(Set(parent.indices.map(find)).count == 1, "the roads fall into pieces")
        // Every grid has a road end inside it (its village road or tracks end at its centre).
        let context = GEOSContext()
        for grid in dacun.grids {
            let prepared = try PreparedGeometry(grid.geometry.geosGeometry(in: context))
            let reached = try index.keys.contains { try prepared.containsXY(x: $0.x, y: $0.y) }
            #expect(reached, "no road ends in grid \(grid.code)")
        }
    }

    @Test("residents: 1–5 per home, realistic category shares, masked phones; every grid has a 1+1+N+X team")
    func people() throws {
        let homes = Set(dacun.features.filter { $0.kind == .home }.map(\.id))
        var perHome: [String: Int] = [:]
        var counts: [ResidentCategory: Int] = [:]
        for resident in dacun.residents {
            #expect(homes.contains(resident.homeID))
            perHome[resident.homeID, default: 0] += 1
            for category in resident.categories { counts[category, default: 0] += 1 }
            if let phone = resident.phone { #expect(phone.count == 11 && phone.contains("****")) }
        }
        #expect(perHome.count == homes.count && perHome.values.allSatisfy { (1...5).contains($0) })
        let total = Double(dacun.residents.count)
        func share(_ category: ResidentCategory) -> Double { Double(counts[category] ?? 0) / total }
        #expect((0.05...0.09).contains(share(.partyMember)))
        #expect((0.01...0.03).contains(share(.veteran)))
        #expect((0.04...0.08).contains(share(.disabled)))
        #expect((0.02...0.045).contains(share(.lowIncome)))
        #expect(share(.elderlyLivingAlone) > 0.005 && share(.leftBehindChild) > 0.003)
        for grid in dacun.grids {
            let team = dacun.team.filter { $0.gridCode == grid.code }
            #expect(team.filter { $0.role == .chief }.count == 1)
            #expect(team.filter { $0.role == .liaison }.count == 1)
            let functional = team.filter { $0.role == .functional }
            #expect((2...4).contains(functional.count) && functional.allSatisfy { $0.unit != nil })
            #expect((3...8).contains(team.filter { $0.role == .volunteer }.count))
        }
    }
}
