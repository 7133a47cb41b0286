import Foundation
import GEOS
import GeoJSON
import GridMapCore

/// The register in memory: the history beside the snapshot; a batch checked by
/// ``RegisterRules`` makes the town's next value, planned again by ``ImportPlanner`` (the same
/// rows as an import makes) and swapped in with the entries under the lock.
extension InMemoryTownStore {
    public func registerStart() throws(RegisterError) -> RegisterDay? {
        withState { state in
            guard let snapshot = state.snapshot, let last = state.log.last else { return nil }
            return RegisterError.startDay(importedAt: last.importedAt, town: snapshot.town.town)
        }
    }

    public func registerChanges(_ filter: RegisterFilter) throws(RegisterError) -> [RegisterChange] {
        withState { state in
            state.register.filter { $0.importIndex == state.log.count - 1 && filter.selects($0.change) }.map(\.change)
        }
    }

    public func registerPast(asOf day: RegisterDay) throws(RegisterError) -> RegisterPast {
        RegisterPast(day: day, history: try registerChanges(RegisterFilter(from: day)))
    }

    public func recordChanges(_ requests: [RegisterChangeRequest], at time: Date) throws(RegisterError) -> [RegisterChange] {
        try withState { (state: inout State) -> Result<[RegisterChange], RegisterError> in
            Result { () throws(RegisterError) in try Self.record(requests, at: time, &state) }
        }.get()
    }

    /// Checks and applies `requests` to `state` (a batch, or a survey visit with its changes);
    /// `state` changes only when it returns.
    static func record(_ requests: [RegisterChangeRequest], at time: Date, _ state: inout State) throws(RegisterError) -> [RegisterChange] {
        guard let snapshot = state.snapshot, let last = state.log.last else { throw .noTown }
        let importIndex = state.log.count - 1
        let history = state.register.filter { $0.importIndex == importIndex }.map(\.change)
        let first = (state.register.last?.change.sequence ?? 0) + 1
        let register = MemoryRegisterState(snapshot: snapshot, history: history,
                                           start: RegisterError.startDay(importedAt: last.importedAt, town: snapshot.town.town))
        let changes = try RegisterError.wrapping("recording register changes") {
            try RegisterRules.plan(requests, recordedAt: time, firstSequence: first, state: register)
        }
        var town = snapshot.town
        for change in changes { apply(change, to: &town) }
        let plan = try RegisterError.wrapping("planning the register's new rows") { () throws(StoreError) in
            try ImportPlanner.planOrReject(town, coverageFaults: snapshot.plan.coverageFaults)
        }
        state.snapshot = try RegisterError.wrapping("making the register's new rows") { () throws(StoreError) in try Snapshot(plan) }
        state.register += changes.map { (importIndex, $0) }
        return changes
    }

    private static func apply(_ change: RegisterChange, to town: inout TownData) {
        switch (change.subject, change.after) {
        case (.resident(let id), .resident(let resident)?):
            if let index = town.residents.firstIndex(where: { $0.id == id }) { town.residents[index] = resident } else { town.residents.append(resident) }
        case (.resident(let id), _):
            town.residents.removeAll { $0.id == id }
        case (.home(let id), .home(let home)?):
            if let index = town.features.firstIndex(where: { $0.id == id }) { town.features[index] = home.feature } else { town.features.append(home.feature) }
        case (.home(let id), _):
            town.features.removeAll { $0.id == id }
        case (.teamMember(let grid, let name), .teamMember(let member)?):
            if let index = town.team.firstIndex(where: { $0.gridCode == grid && $0.name == name }) { town.team[index] = member } else { town.team.append(member) }
        case (.teamMember(let grid, let name), _):
            if let index = town.team.firstIndex(where: { $0.gridCode == grid && $0.name == name }) { town.team.remove(at: index) }
        }
    }
}

/// The register as one in-memory snapshot and its history hold it.
private struct MemoryRegisterState: RegisterState {
    let snapshot: InMemoryTownStore.Snapshot
    let history: [RegisterChange]
    let start: RegisterDay

    func record(of subject: RegisterSubject) throws -> RegisterRecord? {
        let town = snapshot.town
        switch subject {
        case .resident(let id):
            return town.residents.first { $0.id == id }.map(RegisterRecord.resident)
        case .home(let id):
            guard let feature = town.features.first(where: { $0.id == id && $0.kind == .home }) else { return nil }
            let place = snapshot.places[id]
            return .home(HomeRecord(feature: feature, microGrid: place?.microGrid, point: place?.location))
        case .teamMember(let grid, let name):
            return town.team.first { $0.gridCode == grid && $0.name == name }.map(RegisterRecord.teamMember)
        }
    }

    func lastEffective(of subject: RegisterSubject) throws -> RegisterDay? {
        history.last { $0.subject == subject }?.effective
    }

    func addedOn(_ subject: RegisterSubject) throws -> RegisterDay? {
        history.last { $0.subject == subject && $0.action == .add }?.effective
    }

    func residents(livingIn home: String) throws -> [String] {
        snapshot.town.residents.filter { $0.homeID == home }.map(\.id)
    }

    func residents(recordedIn home: String, from day: RegisterDay) throws -> [String] {
        var found: Set<String> = []
        for change in history where change.effective >= day {
            for case .resident(let resident)? in [change.before, change.after] where resident.homeID == home { found.insert(resident.id) }
        }
        return found.sorted()
    }

    func hasGrid(_ code: GridCode) throws -> Bool { snapshot.town.grids.contains { $0.code == code } }

    func hasFeature(_ id: String) throws -> Bool { snapshot.places[id] != nil }

    func place(of home: MapFeature) throws -> (microGrid: GridCode?, point: Position?) {
        let row: ImportPlan.FeatureRow
        do {
            row = try snapshot.plan.rowMaker.row(home, try home.geometry.geosGeometry(in: GEOSContext()))
        } catch let refusal as TownValidator.RowRefusal {
            throw RegisterRefusal(problems: [RegisterProblem(index: 0, subject: .home(home.id), message: refusal.message)])
        }
        return (row.microGrid, row.representativePoint.map { Position(x: $0.x, y: $0.y) })
    }
}
