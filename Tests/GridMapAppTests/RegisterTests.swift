import Foundation
import GeoJSON
import GridMapApp
import GridMapCore
import GridStore
import PostgresTesting
import SeededRandom
import Testing

/// The tiny town (R-1 at home-1 in TT-001-1, R-2 at home-2 in TT-002-2) imported as its register
/// stood on 2026-01-01 (`registerSince`), into each kind of store.
enum RegisterTown {
    static let start = RegisterDay("2026-01-01")!
    /// When the tests record: after every effective day they use.
    static let now = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21

    static func data() throws -> TownData {
        var data = try TownFolder.read(from: TestTown.fixture)
        data.town.manifestMembers["registerSince"] = .string(start.description)
        return data
    }

    static func stores() throws -> [any TownStore] {
        let data = try data()
        let stores: [any TownStore] = [InMemoryTownStore(), try SQLiteTownStore(), try PostgresTownStore(uri: TestPostgres.freshSchema())]
        for store in stores { try store.importTown(data, source: "tiny-town") }
        return stores
    }

    static func day(_ text: String) -> RegisterDay { RegisterDay(text)! }

    static func entry(_ day: String, _ reason: String = "") -> RegisterDesk.Entry {
        RegisterDesk.Entry(effective: RegisterDay(day)!, recordedBy: "test", reason: reason)
    }

    /// A home near `home-1` (in TT-001-1), offset by `step` tenths of a metre or so.
    static func home(_ id: String, near lon: Double = 119.803, _ lat: Double = 35.903, step: Int) -> MapFeature {
        MapFeature(id: id, kind: .home, name: id, geometry: .point(Position(x: lon + Double(step % 7) * 0.00002, y: lat + Double(step % 5) * 0.00002)),
                   properties: ["address": .string("小镇新村\(step)号"), "houseNumber": .number(JSONNumber(step))])
    }
}

@Suite("Changing the register with its history")
struct RegisterChangeTests {
    @Test("a resident's change, move and removal are kept with before and after, and today's register shows the last")
    func knownAnswers() throws {
        for store in try RegisterTown.stores() {
            let desk = RegisterDesk(store: store)
            try desk.changeResident("R-1", .init(addCategories: [.disabled]), RegisterTown.entry("2026-03-01", "certificate"), at: RegisterTown.now)
            try desk.moveResident("R-1", to: "home-2", RegisterTown.entry("2026-04-01"), at: RegisterTown.now)
            try desk.removeResident("R-2", RegisterTown.entry("2026-05-01", "died"), at: RegisterTown.now)
            let history = try store.registerChanges(.all)
            #expect(history.map(\.action) == [.change, .move, .remove], "\(store.location)")
            #expect(history[0].fieldChanges == [RegisterFieldChange(field: "categories", before: "veteran", after: "disabled;veteran")])
            #expect(history[1].fieldChanges == [RegisterFieldChange(field: "home", before: "home-1", after: "home-2")])
            #expect(history[2].after == nil && history[2].reason == "died")
            let today = try store.residents()
            #expect(today.map(\.id) == ["R-1"] && today[0].homeID == "home-2" && today[0].categories == [.disabled, .veteran])
            let february = try RegisterAsOfStore(store, asOf: RegisterTown.day("2026-02-28")).residents()
            #expect(february == (try RegisterTown.data().residents), "\(store.location)")
            let march = try RegisterAsOfStore(store, asOf: RegisterTown.day("2026-03-31")).residents(in: .grid(GridCode("TT-001")!))
            #expect(march.map(\.id) == ["R-1"] && march[0].categories == [.disabled, .veteran])
            let april = try RegisterAsOfStore(store, asOf: RegisterTown.day("2026-04-30")).residents(in: .grid(GridCode("TT-002")!))
            #expect(april.map(\.id) == ["R-1", "R-2"])
            // The worked example of docs/LEDGERS.md: the disabled per grid (TT-001, TT-002) and in the town.
            for (day, expected) in [("2026-02-28", [0, 1, 1]), ("2026-03-31", [1, 1, 2]), ("2026-04-30", [0, 2, 2]), ("2026-05-31", [0, 1, 1])] {
                let table = try ResidentSelection(store: RegisterAsOfStore(store, asOf: RegisterTown.day(day))).counts(of: [.disabled], as: .office)
                #expect(table.byGrid.map { $0[0] } + [table.town[0]] == expected.map(DisclosedCount.exact), "\(store.location) \(day)")
            }
            let months = try MonthlyCounts.tables(of: store, year: 2026, categories: [.disabled], as: .office, today: RegisterTown.day("2026-09-21"))
            #expect(months.map(\.day.month) == Array(1...9))
            #expect(months.map { $0.counts.town[0] } == [1, 1, 2, 2, 1, 1, 1, 1, 1].map(DisclosedCount.exact))
        }
    }

    @Test("the store counts the register as of a day: a resident who moved out of a home pulled down since counts in that home's micro-grid then, and a day after today is today")
    func tallyAsOfADayCountsTheHomeThen() throws {
        for store in try RegisterTown.stores() {
            try RegisterDesk(store: store).moveResident("R-1", to: "home-2", RegisterTown.entry("2026-03-01"), at: RegisterTown.now)
            _ = try store.recordChanges([RegisterChangeRequest(subject: .home("home-1"), action: .remove, after: nil, effective: RegisterTown.day("2026-04-01"),
                                                               recordedBy: "test", reason: "pulled down")], at: RegisterTown.now)
            #expect(try store.bareFeatures(of: .home).map(\.id).contains("home-1") == false)
            let veteranInTT0011 = ResidentTally.Key(microGrid: GridCode("TT-001-1"), categories: [.veteran])
            let veteranInTT0022 = ResidentTally.Key(microGrid: GridCode("TT-002-2"), categories: [.veteran])
            let february = try store.residentTally(asOf: RegisterTown.day("2026-02-28"))
            #expect(february.counts[veteranInTT0011] == 1, "\(store.location): \(february)")
            #expect(february == (try RegisterAsOfStore(store, asOf: RegisterTown.day("2026-02-28")).residentTally()))
            #expect(february == (try store.residentTallyCorrectedByHistory(asOf: RegisterTown.day("2026-02-28"))))
            let march = try store.residentTally(asOf: RegisterTown.day("2026-03-31"))
            #expect(march.counts[veteranInTT0011] == nil && march.counts[veteranInTT0022] != nil, "\(store.location): \(march)")
            #expect(try store.residentTally(asOf: RegisterTown.day("2030-01-01")) == store.residentTally())
        }
    }

    @Test("a change to a resident who does not exist, a home the town lacks, a day in the future or before the register is refused, and nothing of its batch is kept")
    func badInput() throws {
        for store in try RegisterTown.stores() {
            let before = try store.loadTown()
            func refused(_ requests: [RegisterChangeRequest]) -> [String] {
                do {
                    _ = try store.recordChanges(requests, at: RegisterTown.now)
                    return []
                } catch {
                    if case .refused(let refusal) = error { return refusal.problems.map(\.message) }
                    return ["\(error)"]
                }
            }
            func request(_ id: String, _ action: RegisterAction, home: String = "home-1", _ day: String = "2026-02-01") -> RegisterChangeRequest {
                RegisterChangeRequest(subject: .resident(id), action: action,
                                      after: action == .remove ? nil : .resident(Resident(id: id, name: "某人", homeID: home)),
                                      effective: RegisterTown.day(day), recordedBy: "test", reason: "")
            }
            let good = request("R-9", .add)
            #expect(refused([good, request("R-404", .change)]).first?.contains("is not on the register") == true)
            #expect(refused([good, request("R-1", .move, home: "home-404")]).first?.contains("home home-404 is not on the register") == true)
            #expect(refused([good, request("R-1", .move, home: "well-1")]).first?.contains("not on the register") == true)
            #expect(refused([request("R-8", .add, "2027-01-01")]).first?.contains("in the future") == true)
            #expect(refused([request("R-8", .add, "2025-12-31")]).first?.contains("before the register began") == true)
            #expect(refused([request("R-1", .add)]).first?.contains("on the register already") == true)
            let outside = MapFeature(id: "home-far", kind: .home, name: "far", geometry: .point(Position(x: 100, y: 10)),
                                     properties: ["address": "远方1号", "houseNumber": 1])
            #expect(refused([RegisterChangeRequest(subject: .home("home-far"), action: .add, after: .home(HomeRecord(feature: outside)),
                                                   effective: RegisterTown.day("2026-02-01"), recordedBy: "t", reason: "")])
                .first?.contains("outside every micro-grid") == true)
            #expect(refused([RegisterChangeRequest(subject: .home("home-1"), action: .remove, after: nil,
                                                   effective: RegisterTown.day("2026-02-01"), recordedBy: "t", reason: "")])
                .first?.contains("live there") == true)
            #expect(try store.loadTown() == before, "\(store.location)")
            #expect(try store.registerChanges(.all).isEmpty)
            // A subject's history is kept in order: no change effective before its latest.
            try RegisterDesk(store: store).changeResident("R-1", .init(phone: "1"), RegisterTown.entry("2026-06-01"), at: RegisterTown.now)
            #expect(refused([request("R-1", .remove, "2026-05-01")]).first?.contains("would rewrite its history") == true)
            #expect(throws: JobError.self) { try RegisterAsOfStore(store, asOf: RegisterTown.day("2025-06-30")) }
        }
    }

    @Test("the public sees that a resident's entry was recorded, not whom it is about; the office and the grid's worker see it whole")
    func historyByRole() throws {
        for store in try RegisterTown.stores() {
            let desk = RegisterDesk(store: store)
            try desk.changeResident("R-1", .init(phone: "13800000000"), RegisterTown.entry("2026-03-01", "new phone"), at: RegisterTown.now)
            let office = try desk.history(.all, as: .office)[0]
            #expect(office.subject == "resident R-1" && office.reason == "new phone" && !office.withheld)
            let worker = try desk.history(.all, as: .gridWorker(GridCode("TT-001")!))[0]
            #expect(worker.subject == "resident R-1" && !worker.withheld)
            for role in [ResidentRole.public, .gridWorker(GridCode("TT-002")!)] {
                let entry = try desk.history(.all, as: role)[0]
                #expect(entry.withheld && entry.fields.isEmpty && entry.reason == nil && !entry.subject.contains("R-1"))
            }
        }
    }
}

@Suite("The register's properties over random histories")
struct RegisterPropertyTests {
    /// A random history on the tiny town: residents added, changed, moved and removed, homes
    /// added and removed, team members added, changed and removed, on days moving forward;
    /// each batch of one to three changes either recorded whole or refused and then changes
    /// nothing. Returns the register as imported.
    static func randomHistory(_ store: any TownStore, seed: UInt64, steps: Int = 60) throws -> TownData {
        var random = SplitMix64(seed: seed)
        let baseline = try #require(try store.loadTown())
        var day = RegisterTown.start
        var nextID = 100
        for step in 0..<steps {
            if Int.random(in: 0..<3, using: &random) == 0, let next = RegisterDay(year: 2026, month: min(8, day.month + Int.random(in: 0...1, using: &random)),
                                                                            day: Int.random(in: 1...28, using: &random)), next > day {
                day = next
            }
            let town = try #require(try store.loadTown())
            let homes = town.features.filter { $0.kind == .home }.map(\.id)
            var requests: [RegisterChangeRequest] = []
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                func request(_ subject: RegisterSubject, _ action: RegisterAction, _ after: RegisterRecord?) -> RegisterChangeRequest {
                    RegisterChangeRequest(subject: subject, action: action, after: after, effective: day, recordedBy: "p", reason: "step \(step)")
                }
                let resident = town.residents.randomElement(using: &random)
                switch Int.random(in: 0..<9, using: &random) {
                case 0, 1:
                    nextID += 1
                    let id = "R-\(nextID)"
                    requests.append(request(.resident(id), .add, .resident(Resident(
                        id: id, name: "居民\(nextID)", homeID: homes.randomElement(using: &random) ?? "home-1",
                        categories: ResidentCategory.builtIn.filter { _ in Int.random(in: 0..<4, using: &random) == 0 }))))
                case 2 where resident != nil:
                    var changed = resident!
                    changed.categories = ResidentCategory.builtIn.filter { _ in Int.random(in: 0..<3, using: &random) == 0 }
                    changed.phone = "139\(Int.random(in: 1000...9999, using: &random))"
                    requests.append(request(.resident(changed.id), .change, .resident(changed)))
                case 3 where resident != nil:
                    var moved = resident!
                    moved.homeID = homes.randomElement(using: &random) ?? "home-2"
                    requests.append(request(.resident(moved.id), .move, .resident(moved)))
                case 4 where resident != nil:
                    requests.append(request(.resident(resident!.id), .remove, nil))
                case 5:
                    nextID += 1
                    let home = RegisterTown.home("home-\(nextID)", near: Bool.random(using: &random) ? 119.803 : 119.817,
                                                 Bool.random(using: &random) ? 35.903 : 35.907, step: nextID)
                    requests.append(request(.home(home.id), .add, .home(HomeRecord(feature: home))))
                case 6:
                    if let id = homes.randomElement(using: &random) { requests.append(request(.home(id), .remove, nil)) }
                case 7:
                    let grid = town.grids.randomElement(using: &random)!.code
                    nextID += 1
                    requests.append(request(.teamMember(grid: grid, name: "志愿者\(nextID)"), .add,
                                            .teamMember(TeamMember(gridCode: grid, role: .volunteer, name: "志愿者\(nextID)"))))
                default:
                    guard var member = town.team.randomElement(using: &random) else { continue }
                    let subject = RegisterRecord.teamMember(member).subject
                    if Bool.random(using: &random) {
                        member.phone = "131\(Int.random(in: 1000...9999, using: &random))"
                        requests.append(request(subject, .change, .teamMember(member)))
                    } else {
                        requests.append(request(subject, .remove, nil))
                    }
                }
            }
            let before = try store.loadTown()
            let count = try store.registerChanges(.all).count
            let refused: Bool
            do {
                _ = try store.recordChanges(requests, at: RegisterTown.now)
                refused = false
            } catch {
                guard case .refused = error else { throw error }
                refused = true
            }
            if refused {
                #expect(try store.loadTown() == before, "a refused batch changed the register (\(store.location), step \(step))")
                #expect(try store.registerChanges(.all).count == count)
            }
        }
        return baseline
    }

    /// The register rebuilt from the import's by applying, in order, the changes effective by
    /// `day` (all when nil): residents, team and homes.
    static func replay(_ baseline: TownData, _ history: [RegisterChange], through day: RegisterDay?) -> (residents: [Resident], team: [TeamMember], homes: [String]) {
        var residents = baseline.residents, team = baseline.team
        var homes = baseline.features.filter { $0.kind == .home }.map(\.id)
        for change in history where day.map({ change.effective <= $0 }) ?? true {
            switch (change.subject, change.after) {
            case (.resident(let id), .resident(let resident)?):
                if let index = residents.firstIndex(where: { $0.id == id }) { residents[index] = resident } else { residents.append(resident) }
            case (.resident(let id), _): residents.removeAll { $0.id == id }
            case (.home(let id), .home?): if !homes.contains(id) { homes.append(id) }
            case (.home(let id), _): homes.removeAll { $0 == id }
            case (.teamMember(let grid, let name), .teamMember(let member)?):
                if let index = team.firstIndex(where: { $0.gridCode == grid && $0.name == name }) { team[index] = member } else { team.append(member) }
            case (.teamMember(let grid, let name), _): team.removeAll { $0.gridCode == grid && $0.name == name }
            }
        }
        return (residents, team, homes)
    }

    @Test("replaying the history from the import gives exactly today's register, on both stores", arguments: [UInt64(1), 2, 3])
    func replayGivesToday(seed: UInt64) throws {
        for store in try RegisterTown.stores() {
            let baseline = try Self.randomHistory(store, seed: seed)
            let history = try store.registerChanges(.all)
            #expect(history.count > 20, "too few changes recorded to test anything (\(history.count))")
            let replayed = Self.replay(baseline, history, through: nil)
            let today = try #require(try store.loadTown())
            #expect(replayed.residents == today.residents, "\(store.location), seed \(seed)")
            #expect(replayed.team == today.team, "\(store.location), seed \(seed)")
            #expect(replayed.homes == today.features.filter { $0.kind == .home }.map(\.id), "\(store.location), seed \(seed)")
        }
    }

    @Test("the register as of any day equals the register rebuilt from the changes effective by that day", arguments: [UInt64(4), 5])
    func asOfEqualsReplay(seed: UInt64) throws {
        for store in try RegisterTown.stores() {
            let baseline = try Self.randomHistory(store, seed: seed)
            let history = try store.registerChanges(.all)
            let reading = try RegisterReading(store)
            for month in 1...9 {
                for dayOfMonth in [1, 15, 28] {
                    let day = try #require(RegisterDay(year: 2026, month: month, day: dayOfMonth))
                    let expected = Self.replay(baseline, history, through: day)
                    let view = try RegisterAsOfStore(reading, asOf: day)
                    let town = try #require(try view.loadTown())
                    #expect(Set(town.residents.map(\.id)) == Set(expected.residents.map(\.id)), "\(store.location) \(day)")
                    #expect(town.residents.sorted { $0.id < $1.id } == expected.residents.sorted { $0.id < $1.id }, "\(store.location) \(day)")
                    #expect(Set(town.team) == Set(expected.team), "\(store.location) \(day)")
                    #expect(Set(try view.bareFeatures(of: .home).map(\.id)) == Set(expected.homes), "\(store.location) \(day)")
                    #expect(try view.residentCount(in: nil, categories: []) == expected.residents.count)
                }
            }
        }
    }

    @Test("the counts and the table as of any day from today's counts and the changes since equal those of the day's whole register, for every role and category list, on every store",
          arguments: [UInt64(6), 7])
    func countedTableEqualsWholeRegister(seed: UInt64) throws {
        for store in try RegisterTown.stores() {
            _ = try Self.randomHistory(store, seed: seed)
            let reading = try RegisterReading(store)
            var days = [RegisterTown.start, RegisterDay(Date())]
            for month in 1...9 {
                for dayOfMonth in [1, 15, 28] { days.append(try #require(RegisterDay(year: 2026, month: month, day: dayOfMonth))) }
            }
            let roles: [ResidentRole] = [.office, .public, .gridWorker(GridCode("TT-001")!)]
            for day in days {
                let then = try RegisterAsOfStore(reading, asOf: day)
                // The store's own count (one read, in SQL on the databases) and the count
                // corrected step by step both equal the count of the day's whole register.
                #expect(try store.residentTally(asOf: day) == then.residentTally(), "\(store.location) \(day)")
                #expect(try store.residentTallyCorrectedByHistory(asOf: day) == then.residentTally(), "\(store.location) \(day)")
                let whole = try ResidentSelection(store: then)
                let counted = try RegisterAsOfCounts(store, asOf: day)
                for list in [nil, "disabled", "veteran,party-member,veteran"] as [String?] {
                    let categories = try whole.categories(list)
                    #expect(try counted.categories(list) == categories)
                    for role in roles {
                        #expect(try counted.counts(of: categories, as: role).csv == whole.counts(of: categories, as: role).csv,
                                "\(store.location) \(day) \(list ?? "all categories") \(role)")
                    }
                }
            }
            #expect(throws: JobError.self) { try RegisterAsOfCounts(store, asOf: RegisterTown.day("2025-12-31")) }
        }
    }

    @Test("a ledger synced twice changes nothing the second time, and a bad row is queued with nothing of it applied")
    func syncTwice() throws {
        for store in try RegisterTown.stores() {
            _ = try Self.randomHistory(store, seed: 7, steps: 20)
            var csv = "id,name,home,categories,phone,birthYear,address\n"
            for (index, resident) in try store.residents().enumerated() where index != 0 {
                let categories = index % 2 == 0 ? "low-income" : resident.categories.map(\.rawValue).joined(separator: ";")
                csv += "\(resident.id),\(resident.name),\(resident.homeID),\(categories),\(resident.phone ?? ""),\(resident.birthYear.map { String($0) } ?? ""),\n"
            }
            let home = try #require(try store.bareFeatures(of: .home).first?.id)
            csv += "R-5000,新人,\(home),veteran,,1990,\n"
            csv += ",无号,home-1,,,,\n"
            csv += "R-5001,无家,home-404,,,,\n"
            csv += "R-5002,某人,,,,,月亮村99号\n"
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString).csv").path
            try csv.write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let entry = RegisterTown.entry("2026-09-01")
            let first = try LedgerSync(csv: path, store: store, entry: entry)
            #expect(first.queued.map(\.reason).contains { $0.hasPrefix("no id") })
            #expect(first.queued.map(\.reason).contains { $0.contains("home-404") })
            #expect(first.queued.map(\.reason).contains { $0.contains("月亮村99号 is not placed") })
            #expect(first.tally[.remove] == 1 && first.tally[.add] == 1)
            try first.apply(at: RegisterTown.now)
            #expect(try store.residents().contains { $0.id == "R-5000" } && !(try store.residents().contains { $0.id == "R-5001" }))
            let second = try LedgerSync(csv: path, store: store, entry: entry)
            #expect(second.requests.isEmpty, "\(store.location): \(second.report(as: .office))")
            #expect(try second.apply(at: RegisterTown.now).isEmpty)
        }
    }
}
