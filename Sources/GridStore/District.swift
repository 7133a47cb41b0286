import Foundation
import GeoJSON
import PROJ
import GridMapCore

/// One town of a district as its catalogue lists it.
public struct DistrictTown: Hashable, Sendable {
    /// The town's short code, the prefix of its grid codes ("DC"): unique in the district.
    public var code: String
    /// The national administrative division code (行政区划代码) of the town, e.g. "370211110",
    /// when its data gives one (the manifest's `divisionCode`).
    public var divisionCode: String?
    public var name: String
    public var latinName: String
    /// The town's working CRS, in which its areas and distances are measured.
    public var workingCRS: CRSDefinition
    /// The town's boundary, WGS84.
    public var boundary: Geometry

    public init(code: String, divisionCode: String?, name: String, latinName: String, workingCRS: CRSDefinition, boundary: Geometry) {
        self.code = code
        self.divisionCode = divisionCode
        self.name = name
        self.latinName = latinName
        self.workingCRS = workingCRS
        self.boundary = boundary
    }

    /// The catalogue's entry for an imported `town` (its manifest's `divisionCode`, if any).
    public init(_ town: Town) {
        var division: String?
        if case .string(let text)? = town.manifestMembers["divisionCode"] { division = text }
        self.init(code: town.code, divisionCode: division, name: town.name, latinName: town.latinName,
                  workingCRS: town.workingCRS, boundary: town.boundary)
    }
}

/// What a district says of itself: its name and national division code (e.g. "370211"), each
/// optional.
public struct DistrictDetails: Hashable, Sendable {
    public var name: String?
    public var latinName: String?
    public var divisionCode: String?

    public init(name: String? = nil, latinName: String? = nil, divisionCode: String? = nil) {
        self.name = name
        self.latinName = latinName
        self.divisionCode = divisionCode
    }
}

/// A store of many towns: a catalogue of the district's towns, and one ordinary town store per
/// town (an SQLite file each, or a PostgreSQL schema each), so that everything GridMap does
/// within one town works unchanged on a district's town (docs/SCALING.md, "Many towns").
///
/// The catalogue is written after a town's import has committed into the town's own store:
/// a town appears in the district once its data is complete, and an import that fails leaves the
/// catalogue as it was.
public protocol DistrictStore: Sendable {
    /// The district's folder or database (without a password), for messages.
    var location: String { get }
    func details() throws(StoreError) -> DistrictDetails
    /// Sets the details given (nil ones stay as they are).
    func setDetails(_ details: DistrictDetails) throws(StoreError)
    /// The towns, in code order.
    func towns() throws(StoreError) -> [DistrictTown]
    /// The store of the catalogue's town `code` (``StoreError/notFound(_:)`` when the catalogue
    /// has no such town).
    func openTown(_ code: String, access: SQLiteTownStore.Access) throws(StoreError) -> any TownStore
    /// The store town `code` is imported into: its store when the catalogue has it, else a new,
    /// empty one (made now, and listed only by ``record(_:)``).
    func storeForImport(of code: String) throws(StoreError) -> any TownStore
    /// Adds `town` to the catalogue, or updates its entry.
    func record(_ town: DistrictTown) throws(StoreError)
    /// Every town's residents, residents by category and events by category, read at once
    /// (PostgreSQL: one query per figure over the district's partitioned tables).
    func townCounts() throws(StoreError) -> [String: DistrictTownCounts]
}

/// One town's figures as the district reads them for all towns at once.
public struct DistrictTownCounts: Hashable, Sendable {
    public var residents = 0
    /// A resident with several categories counts once in each (category names as stored).
    public var residentsByCategory: [String: Int] = [:]
    public var eventsByCategory: [String: Int] = [:]

    public init(residents: Int = 0, residentsByCategory: [String: Int] = [:], eventsByCategory: [String: Int] = [:]) {
        self.residents = residents
        self.residentsByCategory = residentsByCategory
        self.eventsByCategory = eventsByCategory
    }
}

/// The SQL of ``DistrictStore/townCounts()``, the same on both databases: `town` is the
/// partitions' `town_code` column over the district's parents, or the town's code as a literal
/// over one town's own tables. Each gives (town, category or NULL, count) rows.
enum DistrictCountsSQL {
    static func statements(town: String, prefix: String = "") -> [(sql: String, figure: Figure)] {
        [("SELECT \(town), NULL, count(*) FROM \(prefix)residents GROUP BY 1", .residents),
         ("SELECT \(town), category, count(*) FROM \(prefix)resident_categories GROUP BY 1, 2", .residentCategory),
         ("SELECT \(town), category, count(*) FROM \(prefix)event_state GROUP BY 1, 2", .eventCategory)]
    }

    enum Figure { case residents, residentCategory, eventCategory }

    /// Adds one row's count to `counts`.
    static func add(_ figure: Figure, town: String, category: String?, count: Int, to counts: inout [String: DistrictTownCounts]) {
        switch figure {
        case .residents: counts[town, default: .init()].residents += count
        case .residentCategory: counts[town, default: .init()].residentsByCategory[category ?? "", default: 0] += count
        case .eventCategory: counts[town, default: .init()].eventsByCategory[category ?? "", default: 0] += count
        }
    }
}

extension DistrictStore {
    /// The town `code`, or nil.
    public func town(_ code: String) throws(StoreError) -> DistrictTown? {
        try towns().first { $0.code == code }
    }
}

/// Town codes as the district uses them in file and schema names: upper-case ASCII letters, as
/// grid codes require.
enum DistrictNames {
    static func checked(_ code: String) throws(StoreError) -> String {
        guard !code.isEmpty, code.count <= 16, code.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
            throw .notFound("town \"\(code)\": a town code is 1 to 16 upper-case letters A–Z, like DC")
        }
        return code
    }
}
