import SeededRandom
import Foundation
import GEOS
import GeoJSON
import GridMapCore

extension Builder {
    // MARK: Homes and facilities

    /// Homes stand in rows on a slightly rotated lattice around each grid's centre, filling an
    /// irregular blob outward until the grid's count is reached; the central block stays open
    /// for the square and the public buildings. A home is never in the lake, by the river, on a
    /// road, or outside its own grid's micro-grids (checked in rounded WGS84 coordinates).
    func placeHomesAndFacilities() throws {
        // Road segments in 100 m buckets for distance checks.
        let cell = 100.0
        var buckets: [Int64: [(Point, Point)]] = [:]
        func key(_ x: Int, _ y: Int) -> Int64 { Int64(x) &* 1_000_003 &+ Int64(y) }
        for road in roads {
            for index in 0..<(road.points.count - 1) {
                let a = road.points[index], b = road.points[index + 1]
                for x in Int((min(a.x, b.x) / cell).rounded(.down))...Int((max(a.x, b.x) / cell).rounded(.down)) {
                    for y in Int((min(a.y, b.y) / cell).rounded(.down))...Int((max(a.y, b.y) / cell).rounded(.down)) {
                        buckets[key(x, y), default: []].append((a, b))
                    }
                }
            }
        }
        func nearRoad(_ p: Point, within distance: Double) -> Bool {
            let (cx, cy) = (Int((p.x / cell).rounded(.down)), Int((p.y / cell).rounded(.down)))
            for x in (cx - 1)...(cx + 1) {
                for y in (cy - 1)...(cy + 1) {
                    for (a, b) in buckets[key(x, y)] ?? [] where Plane.closest(p, a, b).distance < distance { return true }
                }
            }
            return false
        }
        let lakeGuard = try PreparedGeometry(lake.buffer(width: 30))
        /// Which of the grid's micro-grids holds the rounded position in its interior, if any.
        func microGrid(_ g: Int, _ position: Position) throws -> Int? {
            for (j, prepared) in microPrepared[g].enumerated() where try prepared.containsXY(x: position.x, y: position.y) { return j }
            return nil
        }
        let villageHomes = villageGrids.map { $0.reduce(0) { $0 + homeCount[$1] } }
        let ranked = principal.indices.filter { principal[$0] != seat }.sorted { (villageHomes[$0], -$0) > (villageHomes[$1], -$1) }
        let schoolVillages = Set(ranked.prefix(4)), kindergartenVillages = Set(ranked.prefix(5)), stationVillages = Set(ranked.prefix(7))

        for g in gridOrder {
            var rng = rng("homes-\(g)")
            let alpha = rng.uniform(0, Double.pi)
            let dx = 18 + rng.uniform(-1.5, 1.5), dy = 26 + rng.uniform(-2, 2)
            let u = Point.unit(alpha), v = u.perpendicular
            let block = g == seat ? 3 : (isPrincipal[g] || homeCount[g] >= 210) ? 2 : 1
            let aspect = rng.uniform(0.7, 1.0), blobAngle = rng.uniform(0, Double.pi)
            let wobble = rng.uniform(0, 0.15), wobblePhase = rng.uniform(0, 2 * Double.pi)
            let limit = clearingRadius[g] - 15
            let span = Int(limit / min(dx, dy)) + 1
            let riverNear = Plane.distance(seeds[g], toPolyline: river) < clearingRadius[g] + 60
            let s = seeds[g]

            var lattice: [(i: Int, j: Int, score: Double, point: Point)] = []
            for i in -span...span {
                for j in -span...span {
                    let offset = u * (Double(i) * dx) + v * (Double(j) * dy)
                    let r = offset.length
                    guard r <= limit, abs(i) > block || abs(j) > block else { continue }
                    let angle = atan2(offset.y, offset.x)
                    let relative = angle - blobAngle
                    let shape = (1 / (cos(relative) * cos(relative) + (sin(relative) / aspect) * (sin(relative) / aspect)).squareRoot())
                        * (1 + wobble * cos(3 * angle + wobblePhase))
                    lattice.append((i, j, r / shape + rng.uniform(0, 0.25) * villageRadius[g], s + offset))
                }
            }
            lattice.sort { ($0.score, $0.i, $0.j) < ($1.score, $1.i, $1.j) }
            var candidates: [(i: Int, j: Int, point: Point)] = []
            for cell in lattice {
                let p = cell.point + Point(x: rng.uniform(-2, 2), y: rng.uniform(-2, 2))
                guard try townInner.containsXY(x: p.x, y: p.y), try !lakeGuard.containsXY(x: p.x, y: p.y),
                      !riverNear || Plane.distance(p, toPolyline: river) >= 40, !nearRoad(p, within: 8)
                else { continue }
                candidates.append((cell.i, cell.j, p))
            }
            let positions = wgs84(candidates.map(\.point))
            var placed: [Home] = []
            for (index, candidate) in candidates.enumerated() where placed.count < homeCount[g] {
                guard try microGrid(g, positions[index]) != nil else { continue }
                placed.append(Home(grid: g, point: candidate.point, position: positions[index], row: candidate.j, column: candidate.i))
            }
            guard placed.count == homeCount[g] else {
                throw GeneratorError("grid \(gridNumber[g]) has room for \(placed.count) of its \(homeCount[g]) homes")
            }
            placed.sort { ($0.row, $0.column) > ($1.row, $1.column) }
            for index in placed.indices { placed[index].number = index + 1 }
            homes += placed

            // The central block: a square (large villages) and public buildings around it.
            let village = villageOf[g]
            var wanted: [(FeatureKind, String, JSONObject)] = []
            let villageName = villageNames[village], gridName = gridNames[g]
            let villageCode = villageCodeOf(village)
            if g == seat {
                wanted += [
                    (.partyMassesServiceCentre, config.townName + "党群服务中心", ["level": "town"]),
                    (.clinic, config.townName + "卫生院", ["level": "town", "beds": 40]),
                    (.school, config.townName + "中学", ["level": "middle"]),
                    (.school, config.townName + "中心小学", ["level": "primary"]),
                    (.kindergarten, config.townName + "中心幼儿园", [:]),
                    (.citizenServiceStation, gridName + "市民服务驿站", [:]),
                ]
            }
            if isPrincipal[g] {
                wanted.append((.partyMassesServiceCentre, villageName + "党群服务中心", ["level": "village", "village": .string(villageCode)]))
                if g != seat { wanted.append((.clinic, villageName + "卫生室", ["level": "village", "village": .string(villageCode)])) }
                if schoolVillages.contains(village) { wanted.append((.school, villageName + "小学", ["level": "primary"])) }
                if kindergartenVillages.contains(village) { wanted.append((.kindergarten, villageName + "幼儿园", [:])) }
                if stationVillages.contains(village) { wanted.append((.citizenServiceStation, gridName + "市民服务驿站", [:])) }
            }
            wanted.append((.well, gridName + "水井", ["use": "drinking", "depthM": .number(JSONNumber(rng.int(12...30)))]))
            var slots: [Point] = []
            for i in -block...block {
                for j in -block...block where max(abs(i), abs(j)) == block || (block == 1 && (i, j) != (0, 0)) {
                    slots.append(s + u * (Double(i) * dx) + v * (Double(j) * dy))
                }
            }
            rng.shuffle(&slots)
            var slotPositions = wgs84(slots)
            var free = Array(slots.indices).filter { !nearRoad(slots[$0], within: 6) }
            free += slots.indices.filter { nearRoad(slots[$0], within: 6) }
            for (kind, name, properties) in wanted {
                guard let slot = try free.first(where: { try microGrid(g, slotPositions[$0]) != nil }) else {
                    throw GeneratorError("no room for \(name) in grid \(gridNumber[g])")
                }
                free.removeAll { $0 == slot }
                facilities.append(Facility(kind: kind, grid: g, name: name, geometry: .point(slotPositions[slot]), properties: properties))
            }
            slotPositions.removeAll()
            if block >= 2 {
                let (hx, hy) = ((Double(block) - 0.6) * dx, (Double(block) - 0.6) * dy)
                let corners = [s + u * hx + v * hy, s - u * hx + v * hy, s - u * hx - v * hy, s + u * hx - v * hy]
                let ring = Self.oriented(wgs84(Plane.closed(corners)), exterior: true)!
                let name = g == seat ? config.townName + "文化广场" : gridName + "文化广场"
                facilities.append(Facility(kind: .square, grid: g, name: name, geometry: .polygon([ring]),
                                           properties: ["areaM2": .number(JSONNumber(Int((4 * hx * hy).rounded())))]))
            }

            // Irrigation wells in the grid's largest fields.
            let own = fields.indices.filter { fields[$0].grid == g }.sorted { (fields[$0].area, -$0) > (fields[$1].area, -$1) }
            for (n, index) in own.prefix(rng.int(1...2)).enumerated() {
                let field = fields[index]
                let prepared = try PreparedGeometry(field.polygon.buffer(width: -5, quadrantSegments: 2))
                guard let bounds = prepared.bounds else { continue }
                for _ in 0..<500 {
                    let p = Point(x: rng.uniform(bounds.minX, bounds.maxX), y: rng.uniform(bounds.minY, bounds.maxY))
                    if try prepared.containsXY(x: p.x, y: p.y), !nearRoad(p, within: 6) {
                        facilities.append(Facility(kind: .well, grid: g, name: gridName + "机井" + Names.numeral(n + 1) + "号",
                                                   geometry: wgs84Point(p),
                                                   properties: ["use": "irrigation", "depthM": .number(JSONNumber(rng.int(30...80)))]))
                        break
                    }
                }
            }
        }
    }

    func villageCodeOf(_ v: Int) -> String {
        let number = String(v + 1)
        return "\(config.townCode)-V" + (number.count < 2 ? "0" + number : number)
    }

    // MARK: Residents

    /// 1–5 residents per home, exactly `config.residents` in all, in households of realistic
    /// make-up (old people alone or in pairs, couples with children, grandparents raising
    /// grandchildren); categories follow from age and household or are drawn with rural shares.
    func makeResidents() {
        var rng = rng("residents")
        let shares = [0.15, 0.30, 0.25, 0.18, 0.12]
        var sizes = homes.map { _ in 1 + rng.weighted(shares) }
        var total = sizes.reduce(0, +)
        while total != config.residents {
            let h = rng.index(homes.count)
            if total < config.residents, sizes[h] < 5 {
                sizes[h] += 1
                total += 1
            } else if total > config.residents, sizes[h] > 1 {
                sizes[h] -= 1
                total -= 1
            }
        }
        let year = config.referenceYear
        for (h, home) in homes.enumerated() {
            let members = household(size: sizes[h], &rng)
            let prefix = gridPrefixes[home.grid]
            let lineage = prefix.hasSuffix("家") ? String(prefix.prefix(1)) : nil
            let familyName = lineage.flatMap { rng.chance(0.6) ? $0 : nil } ?? Names.surname(&rng)
            let noWorkingAge = !members.contains { (18...59).contains($0.age) }
            let poor = rng.chance(members.count == 1 && members[0].age >= 65 ? 0.08 : 0.03)
            for member in members {
                let surname = member.married && !member.male ? Names.surname(&rng) : familyName
                let birthYear = year - member.age
                var categories: [ResidentCategory] = []
                let age = member.age
                let partyRate = age < 18 ? 0 : member.male ? (age >= 60 ? 0.19 : age >= 30 ? 0.12 : 0.06) : (age >= 30 ? 0.05 : 0.04)
                let party = rng.chance(partyRate)
                if party { categories.append(.partyMember) }
                if member.male, (22...85).contains(age), rng.chance(0.055) { categories.append(.veteran) }
                if rng.chance(age < 18 ? 0.015 : age < 60 ? 0.05 : 0.12) { categories.append(.disabled) }
                if members.count == 1, age >= 65 { categories.append(.elderlyLivingAlone) }
                if age < 16, noWorkingAge { categories.append(.leftBehindChild) }
                if poor { categories.append(.lowIncome) }
                let hasPhone = age >= 14 && (age < 80 || rng.chance(0.5))
                let id = String(residents.count + 1)
                residents.append(Resident(
                    id: "R-" + String(repeating: "0", count: max(0, 6 - id.count)) + id,
                    name: surname + Names.givenName(male: member.male, birthYear: birthYear, &rng),
                    homeID: homeID(h), categories: categories,
                    phone: hasPhone ? Names.phone(&rng) : nil, birthYear: birthYear))
                residentInfo.append((home.grid, age, party))
            }
        }
    }

    func homeID(_ index: Int) -> String {
        let text = String(index + 1)
        return "home-" + String(repeating: "0", count: max(0, 5 - text.count)) + text
    }

    private func household(size: Int, _ rng: inout SplitMix64) -> [(age: Int, male: Bool, married: Bool)] {
        func couple(_ low: Int, _ high: Int) -> [(age: Int, male: Bool, married: Bool)] {
            let husband = rng.int(low...high)
            return [(husband, true, true), (max(18, husband + rng.int(-5...2)), false, true)]
        }
        func child(of parent: Int, maxAge: Int = 40) -> (age: Int, male: Bool, married: Bool) {
            (max(0, min(maxAge, parent - rng.int(22...34))), rng.chance(0.52), false)
        }
        let roll = rng.unit()
        switch size {
        case 1:
            return roll < 0.3 ? [(rng.int(65...92), rng.chance(0.4), false)] : [(rng.int(22...64), rng.chance(0.6), false)]
        case 2:
            if roll < 0.55 { return couple(65, 88) }
            if roll < 0.9 { return couple(35, 64) }
            if roll < 0.97 {
                let parent = rng.int(40...70)
                return [(parent, rng.chance(0.4), false), child(of: parent)]
            }
            return [(rng.int(58...80), rng.chance(0.45), false), (rng.int(3...15), rng.chance(0.52), false)]
        case 3:
            if roll < 0.42 {
                let pair = couple(26, 46)
                return pair + [child(of: pair[1].age, maxAge: 20)]
            }
            if roll < 0.7 {
                let pair = couple(45, 64)
                return pair + [child(of: pair[1].age)]
            }
            if roll < 0.96 {
                let pair = couple(38, 60)
                return pair + [(min(95, pair[0].age + rng.int(24...32)), rng.chance(0.35), false)]
            }
            return couple(58, 78) + [(rng.int(2...15), rng.chance(0.52), false)]
        case 4:
            if roll < 0.4 {
                let pair = couple(28, 46)
                return pair + [child(of: pair[1].age, maxAge: 20), child(of: pair[1].age, maxAge: 20)]
            }
            if roll < 0.95 {
                let pair = couple(28, 48)
                return pair + [child(of: pair[1].age, maxAge: 20), (min(95, pair[0].age + rng.int(24...32)), rng.chance(0.35), false)]
            }
            return couple(56, 76) + [(rng.int(2...15), rng.chance(0.52), false), (rng.int(1...15), rng.chance(0.52), false)]
        default:
            if roll < 0.7 {
                let pair = couple(27, 45)
                let grandfather = min(92, pair[0].age + rng.int(24...30))
                return pair + [child(of: pair[1].age, maxAge: 18), (grandfather, true, true), (grandfather + rng.int(-5...1), false, true)]
            }
            let pair = couple(30, 46)
            return pair + (0..<3).map { _ in child(of: pair[1].age, maxAge: 20) }
        }
    }

    // MARK: Teams

    /// "1+1+N+X" per grid: a chief and a liaison from the grid's own residents, N functional
    /// staff (the police station's officer, the village committee's cadre, … shared by the
    /// grids of one administrative village) and X volunteers from the residents.
    func makeTeams() {
        var byGrid = Array(repeating: [Int](), count: seeds.count)
        for (index, info) in residentInfo.enumerated() { byGrid[info.grid].append(index) }
        var staff: [String: (name: String, phone: String)] = [:]
        func staffMember(_ village: Int, _ unit: String) -> (name: String, phone: String) {
            if let known = staff["\(village)/\(unit)"] { return known }
            var rng = rng("staff-\(village)-\(unit)")
            let birthYear = config.referenceYear - rng.int(26...55)
            let person = (Names.surname(&rng) + Names.givenName(male: rng.chance(0.6), birthYear: birthYear, &rng), Names.phone(&rng))
            staff["\(village)/\(unit)"] = person
            return person
        }
        let town = String(config.townName.dropLast())  // 大村镇 → 大村
        for g in gridOrder {
            var rng = rng("team-\(g)")
            let code = GridCode(town: config.townCode, grid: gridNumber[g])!
            let village = villageOf[g]
            var used = Set<Int>()
            func choose(_ ages: ClosedRange<Int>, preferParty: Bool) -> Int {
                let pool = byGrid[g].filter { ages.contains(residentInfo[$0].age) && !used.contains($0) && residents[$0].phone != nil }
                let party = pool.filter { residentInfo[$0].party }
                let from = preferParty && !party.isEmpty && rng.chance(0.8) ? party : pool
                let pick = from.isEmpty ? byGrid[g].first { !used.contains($0) }! : rng.pick(from)
                used.insert(pick)
                return pick
            }
            func member(_ index: Int, _ role: TeamRole, unit: String?) -> TeamMember {
                TeamMember(gridCode: code, role: role, name: residents[index].name, unit: unit,
                           phone: residents[index].phone ?? Names.phone(&rng))
            }
            team.append(member(choose(35...62, preferParty: true), .chief, unit: nil))
            team.append(member(choose(25...55, preferParty: false), .liaison, unit: nil))
            var units = ["派出所", "村委会"]
            var others = Names.functionalUnits.filter { !units.contains($0) }
            rng.shuffle(&others)
            units += others.prefix(rng.int(0...2))
            for unit in units {
                let label: String
                switch unit {
                case "村委会": label = villageNames[village] + "村委会"
                case "公益岗": label = "公益岗"
                case "卫生院": label = config.townName + "卫生院"
                case "派出所", "供电所", "司法所", "市场监管所": label = town + unit
                default: label = config.townName + unit
                }
                let person = staffMember(village, unit)
                team.append(TeamMember(gridCode: code, role: .functional, name: person.name, unit: label, phone: person.phone))
            }
            for _ in 0..<rng.int(3...8) {
                let index = choose(18...75, preferParty: rng.chance(0.6))
                let unit = residentInfo[index].party ? "党员志愿者" : rng.chance(0.15) ? "慈善义工" : "群众志愿者"
                team.append(member(index, .volunteer, unit: unit))
            }
        }
    }
}
