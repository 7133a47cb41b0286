import Foundation
import GEOS
import GRDB
import GeoJSON
import GridMapCore
import PROJ

/// A district in a folder: `district.sqlite` holds the catalogue, and each town is an ordinary
/// SQLite town store in `towns/CODE.sqlite`. The folder is its owner's alone (0700) and every
/// file in it 0600, since the towns hold residents' personal data.
public final class SQLiteDistrict: DistrictStore {
    public let folder: String
    public let access: SQLiteTownStore.Access
    private let catalogue: DatabaseQueue
    public var location: String { folder }

    static let catalogueName = "district.sqlite"

    /// Whether `path` is a district's folder (one holding a catalogue).
    public static func isDistrict(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(catalogueName))
    }

    /// Opens the district in `folder`; with `creating`, makes the folder and an empty catalogue
    /// when they are missing (never in read-only access).
    public init(folder: String, access: SQLiteTownStore.Access = .readWrite, creating: Bool = false) throws(StoreError) {
        let path = (folder as NSString).appendingPathComponent(Self.catalogueName)
        self.folder = folder
        self.access = access
        do {
            if !Self.isDistrict(folder) {
                guard creating, access == .readWrite else { throw StoreError.cannotOpen(path: folder, reason: "it is not a district (no \(Self.catalogueName) in it)") }
                try FileManager.default.createDirectory(atPath: (folder as NSString).appendingPathComponent("towns"),
                                                        withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder)
                let created = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
                if created >= 0 { close(created) }
            }
            var configuration = Configuration()
            configuration.busyMode = .timeout(SQLiteTownStore.busyTimeout)
            configuration.readonly = access == .readOnly
            catalogue = try DatabaseQueue(path: path, configuration: configuration)
            if access == .readWrite {
                try catalogue.write { db in
                    try db.execute(sql: """
                        CREATE TABLE IF NOT EXISTS district (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                        CREATE TABLE IF NOT EXISTS towns (
                            code TEXT PRIMARY KEY, division_code TEXT, name TEXT NOT NULL, latin_name TEXT NOT NULL,
                            working_crs TEXT NOT NULL, boundary BLOB NOT NULL, recorded_at TEXT NOT NULL);
                        """)
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .cannotOpen(path: folder, reason: "\(error)")
        }
    }

    public func details() throws(StoreError) -> DistrictDetails {
        try StoreError.wrapping("reading the district's details from \(folder)") {
            let values = try catalogue.read { db in
                try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT key, value FROM district").map { ($0[0] as String, $0[1] as String) })
            }
            return DistrictDetails(name: values["name"], latinName: values["latinName"], divisionCode: values["divisionCode"])
        }
    }

    public func setDetails(_ details: DistrictDetails) throws(StoreError) {
        try StoreError.wrapping("writing the district's details in \(folder)") {
            try catalogue.write { db in
                for (key, value) in [("name", details.name), ("latinName", details.latinName), ("divisionCode", details.divisionCode)] {
                    guard let value else { continue }
                    try db.execute(sql: "INSERT INTO district (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                   arguments: [key, value])
                }
            }
        }
    }

    public func towns() throws(StoreError) -> [DistrictTown] {
        let rows = try StoreError.wrapping("reading the district's towns from \(folder)") {
            try catalogue.read { db in
                try Row.fetchAll(db, sql: "SELECT code, division_code, name, latin_name, working_crs, boundary FROM towns ORDER BY code")
            }
        }
        let context = GEOSContext()
        return try rows.map { row throws(StoreError) in
            let code: String = row[0]
            let boundary: Data = row[5]
            return try DistrictCatalogueRows.town(code: code, divisionCode: row[1], name: row[2], latinName: row[3], workingCRS: row[4],
                                                  boundary: [UInt8](boundary), place: "\(folder)/\(Self.catalogueName), town \(code)",
                                                  context: context)
        }
    }

    public func openTown(_ code: String, access: SQLiteTownStore.Access) throws(StoreError) -> any TownStore {
        guard try town(DistrictNames.checked(code)) != nil else { throw .notFound("town \(code) in the district \(folder)") }
        return try SQLiteTownStore(path: townPath(code), access: self.access == .readOnly ? .readOnly : access)
    }

    public func storeForImport(of code: String) throws(StoreError) -> any TownStore {
        guard access == .readWrite else { throw .importRefused("the district \(folder) is open read-only") }
        return try SQLiteTownStore(path: townPath(DistrictNames.checked(code)), access: .readWrite)
    }

    public func record(_ town: DistrictTown) throws(StoreError) {
        // The code names a file or schema and is written into SQL: only a plain town code will do.
        _ = try DistrictNames.checked(town.code)
        let wkb = try DistrictCatalogueRows.wkb(of: town)
        try StoreError.wrapping("recording town \(town.code) in the district \(folder)") {
            try catalogue.write { db in
                try db.execute(sql: """
                    INSERT INTO towns (code, division_code, name, latin_name, working_crs, boundary, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (code) DO UPDATE SET division_code = excluded.division_code, name = excluded.name,
                        latin_name = excluded.latin_name, working_crs = excluded.working_crs, boundary = excluded.boundary,
                        recorded_at = excluded.recorded_at
                    """, arguments: [town.code, town.divisionCode, town.name, town.latinName, town.workingCRS.description,
                                     Data(wkb), Date().formatted(.iso8601)])
            }
        }
    }

    /// Each town's figures from its own file (SQLite attaches too few databases at once for a
    /// district, so the towns are read one after another).
    public func townCounts() throws(StoreError) -> [String: DistrictTownCounts] {
        var counts: [String: DistrictTownCounts] = [:]
        for town in try towns() {
            let store = try SQLiteTownStore(path: townPath(town.code), access: .readOnly)
            try store.read("counting town \(town.code)'s residents and events") { db in
                for (sql, figure) in DistrictCountsSQL.statements(town: "'\(town.code)'") {
                    for row in try Row.fetchAll(db, sql: sql) {
                        DistrictCountsSQL.add(figure, town: town.code, category: row[1], count: row[2], to: &counts)
                    }
                }
            }
        }
        return counts
    }

    private func townPath(_ code: String) -> String {
        ((folder as NSString).appendingPathComponent("towns") as NSString).appendingPathComponent("\(code).sqlite")
    }
}

/// The catalogue's rows as both databases keep them: the boundary as GEOS's WKB.
enum DistrictCatalogueRows {
    static func wkb(of town: DistrictTown) throws(StoreError) -> [UInt8] {
        do {
            return try town.boundary.geosGeometry(in: GEOSContext()).wkb()
        } catch {
            throw .corrupt("the boundary of town \(town.code) cannot be written: \(error)")
        }
    }

    static func town(code: String, divisionCode: String?, name: String, latinName: String, workingCRS: String, boundary: [UInt8],
                     place: String, context: GEOSContext) throws(StoreError) -> DistrictTown {
        do {
            return DistrictTown(code: code, divisionCode: divisionCode, name: name, latinName: latinName, workingCRS: CRSDefinition(workingCRS),
                                boundary: try StoredGeometry.decode(boundary, in: context))
        } catch {
            throw .corrupt("\(place): the boundary is not WKB GEOS reads: \(error)")
        }
    }
}
