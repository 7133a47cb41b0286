import CSV
import Foundation
import GeoJSON

/// Reading the CSV files of a town folder: residents.csv, team.csv and point layers given as CSV,
/// each through a ``CSVTable`` a block of rows at a time. Problems are reported with the line
/// their record starts on; the rules of town data are the validator's.
extension FolderReader {
    /// Opens `file` with its header checked: no name twice, the `required` columns present.
    /// Columns are found by name, case-insensitively; `expected` lists the columns in messages.
    /// Nil when the file is absent (allowed: nothing is reported) or cannot be used (reported,
    /// with the syntax problems of its rows, so that one run names them all). A file that is
    /// there but cannot be read (a directory, a device, a dangling link, no permission) is
    /// reported, never taken for an absent one.
    func openCSV(_ file: String, required: [String], optional: [String], expected: String? = nil) -> TownCSV? {
        let expected = expected ?? (required + optional).joined(separator: ",")
        guard checkReadable(file, required: false) else { return nil }
        let table: CSVTable
        do {
            table = try CSVTable(path: directory.appendingPathComponent(file).path)
        } catch {
            switch error.kind {
            case .empty: problem(.syntax, file, line: 1, "no header line (expected \(expected))")
            default: problem(.file, file, error.message)
            }
            return nil
        }
        if let headerProblem = table.headerProblem {
            problem(.syntax, file, line: table.headerLine, headerProblem.description)
            readRows(table, file, width: nil) { _, _ in }
            return nil
        }
        var seen = Set<String>()
        for name in table.header where !seen.insert(name.lowercased()).inserted {
            problem(.syntax, file, line: table.headerLine, "column \"\(name)\" appears twice in the header")
        }
        var column: [String: Int] = [:]
        for name in required + optional {
            column[name] = table.optionalColumn(CSVColumn(name, aliases: [name]))
        }
        let missing = required.filter { column[$0] == nil }
        if !missing.isEmpty {
            problem(.syntax, file, line: table.headerLine, "header lacks the column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) (expected \(expected))")
            readRows(table, file, width: nil) { _, _ in }
            return nil
        }
        return TownCSV(file: file, table: table, column: column)
    }

    /// Hands each data row of `csv` to `body` with its line and its fields' values; a row that
    /// is not well-formed UTF-8 CSV, or whose field count differs from the header's, is reported
    /// instead. The rows, good or bad, are counted for the manifest.
    func forEachRow(_ csv: TownCSV, _ body: (_ line: Int, _ fields: [String]) -> Void) {
        featureCounts[csv.file] = readRows(csv.table, csv.file, width: csv.table.header.count, body)
    }

    /// Reads `table`'s data rows, reporting each that is not well-formed UTF-8 CSV or (given
    /// `width`) has another number of fields, and hands the others to `body`. Returns how many
    /// data rows there were.
    @discardableResult
    private func readRows(_ table: CSVTable, _ file: String, width: Int?, _ body: (_ line: Int, _ fields: [String]) -> Void) -> Int {
        var count = 0
        do {
            while let rows = try table.nextRows() {
                count += rows.records.count
                for record in rows.records {
                    switch rows.validatedValues(of: record) {
                    case .failure(let csvProblem):
                        problem(.syntax, file, line: record.line, csvProblem.description)
                    case .success(let fields):
                        guard let width else { continue }
                        guard fields.count == width else {
                            problem(.syntax, file, line: record.line, "\(fields.count) field\(fields.count == 1 ? "" : "s"), but the header has \(width)")
                            continue
                        }
                        body(record.line, fields)
                    }
                }
            }
        } catch {
            problem(.file, file, error.message)
            incomplete.insert(file)
        }
        return count
    }

    /// A point layer given as CSV (`wells.csv`): columns `id`, `name` and either `lon`,`lat`
    /// (degrees, in the layer's CRS or else WGS84) or `x`,`y` (in the CRS named by --crs or the
    /// manifest, which must then be given); every other column becomes a property (numbers as
    /// numbers, empty fields left out). The index of a row is its position among the well-formed
    /// data rows; broken rows are reported with their line.
    func readPointCSV<Item>(_ file: String, defaultCRS: String?, into items: inout ReadItems<Item>,
                            _ convert: (_ index: Int, _ feature: Feature) -> Item?) {
        guard let csv = openCSV(file, required: ["id", "name"], optional: ["lon", "lat", "x", "y"], expected: "id,name,lon,lat,x,y,…"),
              let idColumn = csv.column["id"], let nameColumn = csv.column["name"] else {
            // openCSV has said why (a layer file is listed, so it is there).
            incomplete.insert(file)
            return
        }
        let headerLine = csv.table.headerLine
        let xColumn: Int, yColumn: Int, geographic: Bool
        if let lon = csv.column["lon"], let lat = csv.column["lat"] {
            (xColumn, yColumn, geographic) = (lon, lat, true)
        } else if let x = csv.column["x"], let y = csv.column["y"] {
            (xColumn, yColumn, geographic) = (x, y, false)
        } else {
            problem(.syntax, file, line: headerLine, "a point layer needs lon,lat columns (degrees) or x,y columns (with --crs)")
            return skipPointCSV(csv)
        }
        let inWGS84 = defaultCRS.map(TownFolder.isWGS84) ?? true
        if !geographic, inWGS84 {
            problem(.crs, file, line: headerLine, "x,y columns need their projected CRS: pass --crs (e.g. EPSG:4549) or set the manifest's crs; WGS84 points go in lon,lat columns")
            return skipPointCSV(csv)
        }
        var transformer: Projection?
        if let crs = defaultCRS, case .success(let info) = crsInfo(crs) { transformer = info.transformer }
        var index = 0
        forEachRow(csv) { line, fields in
            defer { index += 1 }
            guard let x = CSVNumber.parse(fields[xColumn]), let y = CSVNumber.parse(fields[yColumn]) else {
                problem(.geometry, file, line: line, "the coordinates \"\(fields[xColumn])\", \"\(fields[yColumn])\" are not numbers")
                return
            }
            if geographic, inWGS84, !(-180...180).contains(x) || !(-90...90).contains(y) {
                problem(.geometry, file, line: line, "(\(x), \(y)) is not a longitude/latitude")
                return
            }
            var geometry = Geometry.point(Position(x: x, y: y))
            if let transformer {
                do {
                    geometry = try transformer.transform(geometry)
                } catch {
                    problem(.crs, file, index, path: "geometry", "\(error)")
                    return
                }
            }
            var properties = JSONObject()
            for (position, name) in csv.table.header.enumerated() where ![xColumn, yColumn, idColumn].contains(position) {
                let field = fields[position]
                if field.isEmpty { continue }
                // The name is the feature's "name" property whatever the case of its header.
                properties[position == nameColumn ? "name" : name] = JSONNumber(text: field).map(JSONValue.number) ?? .string(field)
            }
            let id = fields[idColumn]
            if let item = convert(index, Feature(id: id.isEmpty ? nil : .string(id), geometry: geometry, properties: properties)) {
                items.append(item, at: Place(file: file, featureIndex: index))
            }
        }
    }

    /// Reports the broken rows of a point layer whose columns cannot be used, and gives it up.
    private func skipPointCSV(_ csv: TownCSV) {
        forEachRow(csv) { _, _ in }
        incomplete.insert(csv.file)
    }

    /// The residents, each with its line; ids, names and homes are the validator's rules.
    func readResidents() -> ReadItems<Resident> {
        let file = TownFolder.residentsFile
        guard let csv = openCSV(file, required: ["id", "name", "home"], optional: ["categories", "phone", "birthYear"]) else {
            incomplete.insert(file)
            return ReadItems()
        }
        let column = csv.column
        let (id, name, home) = (column["id"], column["name"], column["home"])
        let (categoriesColumn, phoneColumn, birthYearColumn) = (column["categories"], column["phone"], column["birthYear"])
        var residents = ReadItems<Resident>()
        forEachRow(csv) { line, fields in
            func field(_ position: Int?) -> String { position.map { fields[$0] } ?? "" }
            var ok = true
            var categories: [ResidentCategory] = []
            for raw in field(categoriesColumn).split(separator: ";", omittingEmptySubsequences: true) {
                // Trimmed only when needed: Foundation's trimming bridges through NSString.
                let text = raw.first!.isWhitespace || raw.last!.isWhitespace ? raw.trimmingCharacters(in: .whitespaces) : String(raw)
                if text.isEmpty { continue }
                if let category = ResidentCategory(rawValue: text) {
                    categories.append(category)
                } else {
                    problem(.property, file, line: line, "category \"\(text)\" is not a category name (lower-case letters, digits, hyphens, e.g. party-member)")
                    ok = false
                }
            }
            var birthYear: Int?
            let yearText = field(birthYearColumn)
            if !yearText.isEmpty {
                if let year = Int(yearText), (1850...2200).contains(year) {
                    birthYear = year
                } else {
                    problem(.property, file, line: line, "birthYear \"\(yearText)\" is not a year")
                    ok = false
                }
            }
            // A resident with an unreadable field is still checked, so that all its problems
            // show at once; the read problem already keeps the folder from being returned.
            let phone = field(phoneColumn)
            residents.append(Resident(id: field(id), name: field(name), homeID: field(home),
                                      categories: ok ? categories : [], phone: phone.isEmpty ? nil : phone,
                                      birthYear: birthYear),
                             at: Place(file: file, line: line))
        }
        return residents
    }

    /// The team, each member with its line; whether its grid exists is the validator's rule.
    func readTeam() -> ReadItems<TeamMember> {
        let file = TownFolder.teamFile
        guard let csv = openCSV(file, required: ["grid", "role", "name"], optional: ["unit", "phone"]) else {
            incomplete.insert(file)
            return ReadItems()
        }
        let column = csv.column
        let (grid, role, name) = (column["grid"], column["role"], column["name"])
        let (unitColumn, phoneColumn) = (column["unit"], column["phone"])
        var team = ReadItems<TeamMember>()
        forEachRow(csv) { line, fields in
            func field(_ position: Int?) -> String { position.map { fields[$0] } ?? "" }
            let gridText = field(grid), roleText = field(role), memberName = field(name)
            let gridCode = GridCode(gridText)
            if gridCode == nil {
                problem(.code, file, line: line, "malformed grid code \"\(gridText)\" (expected TOWN-GGG, e.g. DC-017)")
            }
            let teamRole = TeamRole(rawValue: roleText)
            if teamRole == nil {
                problem(.property, file, line: line, "role \"\(roleText)\" is not one of \(TeamRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let unit = field(unitColumn), phone = field(phoneColumn)
            if let gridCode, let teamRole {
                team.append(TeamMember(gridCode: gridCode, role: teamRole, name: memberName,
                                       unit: unit.isEmpty ? nil : unit, phone: phone.isEmpty ? nil : phone),
                            at: Place(file: file, line: line))
            }
        }
        return team
    }
}

/// A town CSV file opened by ``FolderReader/openCSV(_:required:optional:expected:)``: its table,
/// its header read and checked, and the position of each column asked for that the header has.
struct TownCSV {
    let file: String
    let table: CSVTable
    let column: [String: Int]
}
