import Foundation
import GeoJSON
import GridMapCore

/// The register's history (docs/LEDGERS.md): every change to a resident, a home or a team
/// member kept as an entry (``RegisterChange``) and applied to the stored register in the same
/// transaction, so that every read of the town sees today's register and the history tells how
/// it came to be. A requirement of every ``TownStore``.
///
/// The latest import starts the register: its records begin on the import's day, or on the
/// day the town's manifest names as `registerSince` (a register imported as it stood on an
/// earlier day). The entries of earlier imports stay in the store, but belong to the register
/// those imports started, not to this one.
public protocol RegisterLog: Sendable {
    /// The day the current register's records begin; nil before the first import.
    func registerStart() throws(RegisterError) -> RegisterDay?

    /// Checks `requests` by ``RegisterRules`` against the register as it is, then keeps them and
    /// applies them, all in one transaction: all are recorded or none
    /// (``RegisterError/refused(_:)`` lists every problem). `time` is when they are recorded.
    func recordChanges(_ requests: [RegisterChangeRequest], at time: Date) throws(RegisterError) -> [RegisterChange]

    /// The current register's entries `filter` selects, in recording order.
    func registerChanges(_ filter: RegisterFilter) throws(RegisterError) -> [RegisterChange]

    /// How the register at the end of `day` differs from today's: each subject changed after
    /// the day with its value then (``RegisterPast``), read from the changes after the day only.
    func registerPast(asOf day: RegisterDay) throws(RegisterError) -> RegisterPast
}

/// Why the register did not record a batch; nothing of it was kept.
public enum RegisterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rules refused changes (each named with its place in the batch).
    case refused(RegisterRefusal)
    /// No town has been imported: the register has not begun.
    case noTown
    /// The store failed.
    case store(StoreError)

    public var description: String {
        switch self {
        case .refused(let refusal): refusal.description
        case .noTown: "no town has been imported: the register begins with an import"
        case .store(let error): error.description
        }
    }
}

extension RegisterError {
    /// Runs `body`, turning the rules' refusal into ``refused(_:)``, a store error into
    /// ``store(_:)`` and anything else into a database failure while `operation`.
    static func wrapping<T>(_ operation: String, _ body: () throws -> T) throws(RegisterError) -> T {
        do {
            return try body()
        } catch let error as RegisterError {
            throw error
        } catch let refusal as RegisterRefusal {
            throw .refused(refusal)
        } catch let error as StoreError {
            throw .store(error)
        } catch {
            throw .store(.database(operation: operation, reason: "\(error)"))
        }
    }

    /// The start day of a register imported at `importedAt` for `town`: its manifest's
    /// `registerSince` when that is a day no later than the import, else the import's day.
    static func startDay(importedAt: Date, town: Town) -> RegisterDay {
        let imported = RegisterDay(importedAt)
        if let text = town.manifestMembers["registerSince"]?.stringValue, let day = RegisterDay(text), day <= imported {
            return day
        }
        return imported
    }
}

/// A register value as the store keeps it: JSON text, one object per value, exactly reversible.
/// A resident `{"resident":{…}}`, a team member `{"teamMember":{…}}`, a home
/// `{"home":{"id","name","properties","geometry","microGrid","point"}}` with its geometry as
/// GeoJSON text.
enum RegisterRecordText {
    static func encode(_ record: RegisterRecord?) throws -> String? {
        guard let record else { return nil }
        let object: JSONObject
        switch record {
        case .resident(let resident):
            var fields: [JSONObject.Member] = [
                ("id", .string(resident.id)), ("name", .string(resident.name)), ("home", .string(resident.homeID)),
                ("categories", .array(resident.categories.map { .string($0.rawValue) })),
            ]
            if let phone = resident.phone { fields.append(("phone", .string(phone))) }
            if let year = resident.birthYear { fields.append(("birthYear", .number(JSONNumber(year)))) }
            object = JSONObject([("resident", .object(JSONObject(fields)))])
        case .teamMember(let member):
            var fields: [JSONObject.Member] = [
                ("grid", .string(member.gridCode.description)), ("role", .string(member.role.rawValue)), ("name", .string(member.name)),
            ]
            if let unit = member.unit { fields.append(("unit", .string(unit))) }
            if let phone = member.phone { fields.append(("phone", .string(phone))) }
            object = JSONObject([("teamMember", .object(JSONObject(fields)))])
        case .home(let home):
            var fields: [JSONObject.Member] = [
                ("id", .string(home.feature.id)), ("name", .string(home.feature.name)),
                ("properties", .object(home.feature.properties)),
                ("geometry", .string(try GeoJSONWriter.string(home.feature.geometry, options: .init(coordinatePrecision: nil, correctsWinding: false)))),
            ]
            if let code = home.microGrid { fields.append(("microGrid", .string(code.description))) }
            if let point = home.point { fields.append(("point", .array([.number(JSONNumber(point.x)), .number(JSONNumber(point.y))]))) }
            object = JSONObject([("home", .object(JSONObject(fields)))])
        }
        return try PropertiesText.encode(object)
    }

    static func decode(_ text: String?, place: String) throws(StoreError) -> RegisterRecord? {
        guard let text else { return nil }
        let object = try PropertiesText.decode(text, place: place, column: "record")
        func bad(_ what: String) -> StoreError { .corrupt("\(place): \(what)") }
        func string(_ fields: JSONObject, _ key: String) throws(StoreError) -> String {
            guard let value = fields[key]?.stringValue else { throw bad("no text '\(key)'") }
            return value
        }
        func code(_ text: String) throws(StoreError) -> GridCode {
            guard let code = GridCode(text) else { throw bad("'\(text)' is not a grid code") }
            return code
        }
        if let fields = object["resident"]?.objectValue {
            var categories: [ResidentCategory] = []
            for value in fields["categories"]?.arrayValue ?? [] {
                guard let category = value.stringValue.flatMap(ResidentCategory.init(rawValue:)) else { throw bad("a category is not a name") }
                categories.append(category)
            }
            return .resident(Resident(id: try string(fields, "id"), name: try string(fields, "name"), homeID: try string(fields, "home"),
                                      categories: categories, phone: fields["phone"]?.stringValue,
                                      birthYear: fields["birthYear"]?.int64Value.map { Int($0) }))
        }
        if let fields = object["teamMember"]?.objectValue {
            guard let role = TeamRole(rawValue: try string(fields, "role")) else { throw bad("an unknown team role") }
            return .teamMember(TeamMember(gridCode: try code(try string(fields, "grid")), role: role, name: try string(fields, "name"),
                                          unit: fields["unit"]?.stringValue, phone: fields["phone"]?.stringValue))
        }
        if let fields = object["home"]?.objectValue {
            let geometry: Geometry
            do {
                guard case .geometry(let read) = try GeoJSONReader.read(string: try string(fields, "geometry")) else { throw bad("geometry") }
                geometry = read
            } catch let error as StoreError {
                throw error
            } catch {
                throw bad("its geometry does not read: \(error)")
            }
            var point: Position?
            if let pair = fields["point"]?.arrayValue, pair.count == 2, let x = pair[0].doubleValue, let y = pair[1].doubleValue {
                point = Position(x: x, y: y)
            }
            let feature = MapFeature(id: try string(fields, "id"), kind: .home, name: try string(fields, "name"), geometry: geometry,
                                     properties: fields["properties"]?.objectValue ?? JSONObject())
            return .home(HomeRecord(feature: feature, microGrid: try fields["microGrid"]?.stringValue.map(code), point: point))
        }
        throw bad("not a register value")
    }

    /// The subject `kind` and `key` name, as the history stores them.
    static func subject(kind: String, key: String, place: String) throws(StoreError) -> RegisterSubject {
        switch RegisterSubjectKind(rawValue: kind) {
        case .resident?: return .resident(key)
        case .home?: return .home(key)
        case .teamMember?:
            guard let slash = key.firstIndex(of: "/"), let grid = GridCode(String(key[..<slash])) else {
                throw .corrupt("\(place): '\(key)' does not name a team member")
            }
            return .teamMember(grid: grid, name: String(key[key.index(after: slash)...]))
        case nil: throw .corrupt("\(place): '\(kind)' is not a kind of register subject")
        }
    }
}
