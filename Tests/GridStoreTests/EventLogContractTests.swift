import Foundation
import GRDB
import GeoJSON
import GridMapCore
import Postgres
import PostgresTesting
import Synchronization
import Testing
@testable import GridStore

/// What every ``EventLog`` promises, on every store.
@Suite("The EventLog contract, on every store")
struct EventLogContractTests {
    static let catalogue = EventCatalogue.standard
    static let grid = GridCode("TS-001")!
    static let liaison = EventActor.teamMember(grid: grid, role: .liaison, name: "李梅")
    static let water = EventActor.department(code: "water", person: "周工")
    static let start = Date(timeIntervalSince1970: 1_780_000_000)

    static func at(_ hours: Double) -> Date { start.addingTimeInterval(hours * 3600) }

    /// Raises an event about R-1, with a photo attached unless `withAttachment` is false.
    static func raise(_ log: any EventLog, atHour hours: Double = 0, grid: GridCode = grid, withAttachment: Bool = true) throws -> EventCase {
        let photo = try AttachmentUpload(bytes: Data([0xFF, 0xD8, 0xFF] + Array("井盖".utf8)), name: "井盖.jpg", limits: catalogue.attachmentLimits)
        let uploads = withAttachment ? [photo] : []
        let report = EventReport(category: "roads-and-water", urgency: .normal, description: "井盖破损", location: Position(x: 119.8, y: 35.9),
                                 microGrid: GridCode(town: grid.town, grid: grid.grid, microGrid: 1)!, villageCode: "TS-V1",
                                 reportedByResident: "R-1", residents: ["R-1"], attachments: uploads.map(\.attachment))
        let entry = EventEntry(at: at(hours), actor: .teamMember(grid: grid, role: .liaison, name: "李梅"), action: .raise(report))
        guard case .event(let event)? = try log.perform([.raise(entry)], uploads: uploads, catalogue: catalogue).first else {
            throw EventLogError.unexpectedResult
        }
        return event
    }

    /// An empty log of every kind of store, named.
    static func logs() throws -> [(String, any EventLog)] {
        try StoreKind.allCases.map { kind in (kind.testDescription, try kind.make()) }
    }

    @Test("events get ids in raising order and read back exactly as recorded, history and all")
    func roundTrip() throws {
        for (name, log) in try Self.logs() {
            let first = try Self.raise(log)
            let second = try Self.raise(log, atHour: 1)
            #expect(first.id == "EV-000001" && second.id == "EV-000002", "\(name)")
            _ = try log.recordEvent(first.id, EventEntry(at: Self.at(2), actor: Self.liaison, action: .whistle(departments: ["water"], resolutionDeadline: nil)), catalogue: Self.catalogue)
            _ = try log.recordEvent(first.id, EventEntry(at: Self.at(30), actor: Self.water, action: .reportIn(department: "water"), note: "已派人"), catalogue: Self.catalogue)
            let recorded = try log.recordEvent(first.id, EventEntry(at: Self.at(40), actor: Self.water, action: .resolve(department: "water")), catalogue: Self.catalogue)
            let read = try #require(try log.event(first.id, catalogue: Self.catalogue))
            #expect(read.history == recorded.history && read.phase == .awaitingVerification, "\(name)")
            #expect(read.history.map(\.action.name) == ["raise", "whistle", "escalate", "report-in", "resolve"], "\(name): the late report-in was escalated first")
            #expect(read.report == first.report, "\(name): residents and attachments kept")
            #expect(try log.event("EV-000009", catalogue: Self.catalogue) == nil && log.event("nonsense", catalogue: Self.catalogue) == nil)
            #expect(try log.events(EventFilter(), catalogue: Self.catalogue).map(\.id) == ["EV-000001", "EV-000002"], "\(name)")
        }
    }

    @Test("a journal's large batch raises and acts on its events at once: every result is its event as the batch left it, as read back")
    func largeBatch() throws {
        for kind in StoreKind.allCases {
            let (name, log) = (kind.testDescription, try kind.make())
            var operations: [EventLogOperation] = []
            for index in 0..<40 {
                let hour = Double(index)
                let raise = EventEntry(at: Self.at(hour), actor: Self.liaison, action: .raise(
                    EventReport(category: "roads-and-water", urgency: .normal, description: "沟渠堵塞 \(index)", location: Position(x: 119.8, y: 35.9),
                                microGrid: GridCode("TS-001-1")!, villageCode: "TS-V1")))
                let me = EventReference.made(byOperation: operations.count)
                operations += [
                    .raise(raise),
                    .record(me, EventEntry(at: Self.at(hour + 1), actor: Self.liaison, action: .whistle(departments: ["water"], resolutionDeadline: nil))),
                    // One in four reports in late, so the batch escalates too.
                    .record(me, EventEntry(at: Self.at(hour + (index % 4 == 0 ? 40 : 2)), actor: Self.water, action: .reportIn(department: "water"))),
                    .record(me, EventEntry(at: Self.at(hour + 50), actor: Self.water, action: .resolve(department: "water"))),
                ]
            }
            let results = try log.perform(operations, catalogue: Self.catalogue)
            #expect(results.count == operations.count, "\(name)")
            let stored = try log.events(EventFilter(), catalogue: Self.catalogue)
            #expect(stored.count == 40 && stored.allSatisfy { $0.phase == .awaitingVerification }, "\(name)")
            #expect(stored.filter { $0.escalated.isEmpty }.count == 30, "\(name): ten late report-ins escalated")
            for (index, result) in results.enumerated() {
                guard case .event(let event) = result else { Issue.record("\(name): operation \(index) gave \(result)"); continue }
                #expect(event.history == stored[index / 4].history && event.id == stored[index / 4].id, "\(name): operation \(index)")
            }

            // `append` does the same without results; a batch with one refused operation appends none of it.
            let appended = try kind.make()
            var refused = operations
            refused.append(.record(.made(byOperation: 0), EventEntry(at: Self.at(100), actor: Self.liaison, action: .raise(
                EventReport(category: "roads-and-water", urgency: .normal, description: "again", location: Position(x: 119.8, y: 35.9),
                            microGrid: GridCode("TS-001-1")!, villageCode: "TS-V1")))))
            #expect(throws: EventLogError.self, "\(name)") { try appended.append(refused, uploads: [], catalogue: Self.catalogue) }
            #expect(try appended.events(EventFilter(), catalogue: Self.catalogue).isEmpty, "\(name)")
            try appended.append(operations, uploads: [], catalogue: Self.catalogue)
            #expect(try appended.events(EventFilter(), catalogue: Self.catalogue).map(\.history) == stored.map(\.history), "\(name)")
        }
    }

    @Test("a refused action or an unknown event appends nothing and says why")
    func refusalAppendsNothing() throws {
        for (name, log) in try Self.logs() {
            let event = try Self.raise(log)
            #expect(throws: EventLogError.self) {
                try log.recordEvent(event.id, EventEntry(at: Self.at(1), actor: Self.liaison, action: .verify), catalogue: Self.catalogue)
            }
            #expect(throws: EventLogError.unknownEvent("EV-000042")) {
                try log.recordEvent("EV-000042", EventEntry(at: Self.at(1), actor: Self.liaison, action: .verify), catalogue: Self.catalogue)
            }
            // A refused action dated after a deadline must not leave the deadline's escalation behind either.
            _ = try log.recordEvent(event.id, EventEntry(at: Self.at(1), actor: Self.liaison, action: .whistle(departments: ["water"], resolutionDeadline: nil)), catalogue: Self.catalogue)
            #expect(throws: EventLogError.self) {
                try log.recordEvent(event.id, EventEntry(at: Self.at(100), actor: Self.liaison, action: .verify), catalogue: Self.catalogue)
            }
            #expect(try log.event(event.id, catalogue: Self.catalogue)?.history.count == 2, "\(name)")
        }
    }

    @Test("events are read by grid, category and raising time")
    func filters() throws {
        for (name, log) in try Self.logs() {
            _ = try Self.raise(log, atHour: 0)
            _ = try Self.raise(log, atHour: 10, grid: GridCode("TS-002")!)
            _ = try Self.raise(log, atHour: 20)
            #expect(try log.events(EventFilter(grid: Self.grid), catalogue: Self.catalogue).map(\.id) == ["EV-000001", "EV-000003"], "\(name)")
            #expect(try log.events(EventFilter(raisedFrom: Self.at(10), raisedBefore: Self.at(20)), catalogue: Self.catalogue).map(\.id) == ["EV-000002"], "\(name)")
            #expect(try log.events(EventFilter(category: "traffic"), catalogue: Self.catalogue).isEmpty, "\(name)")
        }
    }

    @Test("a sweep escalates each overdue step once, dated at its deadline, and a second sweep finds nothing")
    func sweep() throws {
        for (name, log) in try Self.logs() {
            let event = try Self.raise(log)
            _ = try log.recordEvent(event.id, EventEntry(at: Self.at(1), actor: Self.liaison, action: .whistle(departments: ["water", "housing"], resolutionDeadline: nil)), catalogue: Self.catalogue)
            let escalated = try log.escalateOverdue(before: Self.at(30), catalogue: Self.catalogue)
            #expect(escalated.map(\.entry.at) == [Self.at(25), Self.at(25)], "\(name): both report-ins were due at 25 h")
            #expect(try log.escalateOverdue(before: Self.at(30), catalogue: Self.catalogue).isEmpty, "\(name)")
            #expect(try log.event(event.id, catalogue: Self.catalogue)?.escalated.count == 2, "\(name)")
        }
    }

    @Test("the history is append-only: the database itself refuses to change or delete an entry, on SQLite and PostgreSQL")
    func appendOnlyInSQL() throws {
        let changes = ["UPDATE event_entries SET note = 'x'", "DELETE FROM event_entries", "UPDATE events SET description = 'x'", "DELETE FROM events"]
        let store = try SQLiteTownStore()
        let event = try Self.raise(store)
        for sql in changes {
            #expect(throws: DatabaseError.self, "\(sql)") { try store.database.write { try $0.execute(sql: sql) } }
        }
        #expect(try store.event(event.id, catalogue: Self.catalogue)?.history.count == 1)
        let uri = try TestPostgres.freshSchema()
        let postgres = try PostgresTownStore(uri: uri)
        _ = try Self.raise(postgres)
        let connection = try PostgresConnection(uri)
        for sql in changes + ["TRUNCATE event_entries CASCADE"] {
            #expect(throws: PostgresError.self, "PostgreSQL: \(sql)") { try connection.script(sql) }
        }
        #expect(try postgres.event(event.id, catalogue: Self.catalogue)?.history.count == 1)
    }

    @Test("events survive a new import of the town")
    func survivesImport() throws {
        let store = try SQLiteTownStore()
        try store.importTown(SyntheticTown.data, source: "synthetic")
        let event = try Self.raise(store)
        try store.importTown(SyntheticTown.data, source: "synthetic again")
        #expect(try store.event(event.id, catalogue: Self.catalogue)?.report == event.report)
    }

    @Test("writers on two store connections take turns: concurrent raises all get distinct ids, and concurrent valid actions on one event are all accepted",
          arguments: [StoreKind.sqlite, .postgres])
    func writersTakeTurns(kind: StoreKind) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let stores = try Self.twoConnections(kind, folder: folder)
        let raised = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 16) { index in
            if let event = try? Self.raise(stores[index % 2], atHour: Double(index), withAttachment: false) { raised.withLock { $0.append(event.id) } }
        }
        #expect(raised.withLock { $0.sorted() } == (1...16).map { RecordID.event.text(Int64($0)) }, "every raise accepted, numbered without a gap")
        let departments = ["water", "housing", "justice"]
        _ = try stores[0].recordEvent("EV-000001", EventEntry(at: Self.at(20), actor: Self.liaison,
                                                               action: .whistle(departments: departments, resolutionDeadline: nil)),
                                      catalogue: Self.catalogue)
        let accepted = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: departments.count) { index in
            let entry = EventEntry(at: Self.at(21), actor: .department(code: departments[index], person: "\(index)"),
                                   action: .reportIn(department: departments[index]))
            if (try? stores[index % 2].recordEvent("EV-000001", entry, catalogue: Self.catalogue)) != nil { accepted.withLock { $0 += 1 } }
        }
        #expect(accepted.withLock { $0 } == departments.count, "no valid action lost to the race")
        #expect(try stores[1].event("EV-000001", catalogue: Self.catalogue)?.history.count == 2 + departments.count)
    }

    /// Two stores on one database: a file for SQLite, a schema for PostgreSQL.
    static func twoConnections(_ kind: StoreKind, folder: URL) throws -> [any EventLog] {
        switch kind {
        case .postgres:
            let uri = try TestPostgres.freshSchema()
            return [try PostgresTownStore(uri: uri), try PostgresTownStore(uri: uri)]
        default:
            let path = folder.appendingPathComponent("town.sqlite").path
            return [try SQLiteTownStore(path: path), try SQLiteTownStore(path: path)]
        }
    }

    @Test("two people acting on one event at once, from two store connections, never corrupt it: every action is applied or refused whole",
          arguments: [StoreKind.sqlite, .postgres])
    func concurrentWriters(kind: StoreKind) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let stores = try Self.twoConnections(kind, folder: folder)
        let event = try Self.raise(stores[0])
        _ = try stores[0].recordEvent(event.id, EventEntry(at: Self.at(1), actor: Self.liaison,
                                                           action: .whistle(departments: ["water", "housing", "justice"], resolutionDeadline: nil)),
                                      catalogue: Self.catalogue)
        // Eight writers race to report in and resolve for three departments: each step is accepted
        // exactly once, whoever comes first; the others are refused.
        let accepted = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 48) { index in
            let department = ["water", "housing", "justice"][index % 3]
            let action: EventAction = index % 2 == 0 ? .reportIn(department: department) : .resolve(department: department)
            let entry = EventEntry(at: Self.at(2), actor: .department(code: department, person: "\(index)"), action: action)
            if (try? stores[index % 2].recordEvent(event.id, entry, catalogue: Self.catalogue)) != nil { accepted.withLock { $0 += 1 } }
        }
        let final = try #require(try stores[1].event(event.id, catalogue: Self.catalogue))
        #expect(final.history.count == 2 + accepted.withLock { $0 })
        #expect(final.parts.allSatisfy { $0.reportedInAt != nil }, "every department reported in exactly once")
        #expect(final.history.filter { $0.action.name == "report-in" }.count == 3)
        #expect(zip(final.history, final.history.dropFirst()).allSatisfy { $0.at <= $1.at }, "in time order")
    }
}

@Suite("Inspections and activities, on every store")
struct InspectionLogContractTests {
    typealias C = EventLogContractTests

    static let plan = Inspection(
        id: "", title: "校园安全联合检查", date: C.start, organiser: .office(person: "张主任"),
        sites: [InspectionSite(featureID: "school-1", name: "大村小学", location: Position(x: 119.8, y: 35.9))],
        items: [InspectionItem(name: "消防", department: "fire"), InspectionItem(name: "食品安全", department: "market-supervision")])

    @Test("a finding is one event at its site, whistled to the item's department with the rectification deadline, linked to its inspection")
    func findings() throws {
        for (name, log) in try C.logs() {
            let inspection = try log.planInspection(Self.plan, catalogue: C.catalogue)
            #expect(try inspection.id == "IN-000001" && log.inspections() == [inspection], "\(name)")
            let report = EventReport(category: "school-safety", urgency: .normal, description: "灭火器过期", location: Position(x: 119.8, y: 35.9),
                                     microGrid: GridCode("TS-001-1")!, villageCode: "TS-V1")
            let office = EventActor.office(person: "张主任")
            let (finding, event) = try log.recordFinding(
                inspection: inspection.id, site: "school-1", item: "消防",
                raise: EventEntry(at: C.at(1), actor: office, action: .raise(report)),
                whistle: EventEntry(at: C.at(1), actor: office, action: .whistle(departments: ["fire"], resolutionDeadline: C.at(240))),
                catalogue: C.catalogue)
            #expect(event.phase == .whistled && event.parts.map(\.resolutionDeadline) == [C.at(240)], "\(name)")
            #expect(try log.findings(of: inspection.id) == [finding] && finding.event == event.id, "\(name)")
            // A site or item the plan lacks is refused, and leaves no event behind.
            #expect(throws: EventLogError.self) {
                try log.recordFinding(inspection: inspection.id, site: "school-9", item: "消防",
                                      raise: EventEntry(at: C.at(2), actor: office, action: .raise(report)),
                                      whistle: EventEntry(at: C.at(2), actor: office, action: .whistle(departments: ["fire"], resolutionDeadline: nil)),
                                      catalogue: C.catalogue)
            }
            #expect(throws: EventLogError.self) {
                try log.recordFinding(inspection: inspection.id, site: "school-1", item: "消防",
                                      raise: EventEntry(at: C.at(2), actor: office, action: .raise(report)),
                                      whistle: EventEntry(at: C.at(2), actor: office, action: .whistle(departments: ["fire"], resolutionDeadline: C.at(1))),
                                      catalogue: C.catalogue)
            }
            #expect(try log.events(EventFilter(), catalogue: C.catalogue).count == 1, "\(name): a refused finding raises nothing")
        }
    }

    @Test("a plan naming an unknown department or no sites is refused with each problem")
    func badPlan() throws {
        for (_, log) in try C.logs() {
            var plan = Self.plan
            plan.sites = []
            plan.items.append(InspectionItem(name: "燃气", department: "gas-company"))
            do { _ = try log.planInspection(plan, catalogue: C.catalogue); Issue.record("accepted") } catch {
                #expect("\(error)".contains("no sites to inspect") && "\(error)".contains("department gas-company"), "\(error)")
            }
            #expect(try log.inspections().isEmpty)
        }
    }

    @Test("activities get ids in order and are read by grid and date")
    func activities() throws {
        for (name, log) in try C.logs() {
            for (index, grid) in ["TS-001-1", "TS-002-1", "TS-001-2"].enumerated() {
                _ = try log.recordActivity(Activity(id: "", kind: index == 1 ? .activity : .volunteerService, title: "义诊", service: "clinic",
                                                    date: C.at(Double(index) * 24), location: Position(x: 119.8, y: 35.9),
                                                    microGrid: GridCode(grid)!, villageCode: "TS-V1", organiser: "卫生院", attendance: 20))
            }
            let own = try log.activities(EventFilter(grid: GridCode("TS-001")!))
            #expect(own.map(\.id) == ["AC-000001", "AC-000003"], "\(name)")
            #expect(try log.activities(EventFilter(raisedFrom: C.at(24))).map(\.id) == ["AC-000002", "AC-000003"], "\(name)")
            #expect(throws: EventLogError.self) {
                try log.recordActivity(Activity(id: "", kind: .activity, title: " ", service: "show", date: C.start, location: Position(x: 0, y: 0),
                                                microGrid: GridCode("TS-001-1")!, villageCode: "TS-V1", organiser: "x", attendance: 1))
            }
        }
    }
}
