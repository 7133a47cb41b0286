import CSV
import Foundation
import GeoJSON

/// Reading the CSV files of a town folder: residents.csv, team.csv and point layers given as CSV.
extension FolderReader {
    // MARK: CSV files

    /// The records of a CSV file after its header, with the header's column positions; nil when
    /// the file is missing (allowed) or unusable.
    func readCSV(_ file: String, required: [String], optional: [String]) -> (records: [CSVRow], column: [String: Int])? {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(file).path) else {
            return nil
        }
        var records: [CSVRow] = [], malformed = 0
        for row in CSVRecordReader.rows(in: Array(data)) {
            if let csvProblem = row.problem {
                problem(.syntax, file, line: row.line, csvProblem.description)
                malformed += 1
            } else {
                records.append(row)
            }
        }
        guard let header = records.first else {
            problem(.syntax, file, line: 1, "no header line (expected \((required + optional).joined(separator: ",")))")
            return nil
        }
        var column: [String: Int] = [:]
        for (position, name) in header.fields.enumerated() {
            if column[name] != nil {
                problem(.syntax, file, line: header.line, "column \"\(name)\" appears twice in the header")
            }
            column[name] = column[name] ?? position
        }
        let missing = required.filter { column[$0] == nil }
        if !missing.isEmpty {
            problem(.syntax, file, line: header.line, "header lacks the column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) (expected \((required + optional).joined(separator: ",")))")
            return nil
        }
        featureCounts[file] = records.count - 1 + malformed
        var rows: [CSVRow] = []
        for record in records.dropFirst() {
            guard record.fields.count == header.fields.count else {
                problem(.syntax, file, line: record.line, "\(record.fields.count) field\(record.fields.count == 1 ? "" : "s"), but the header has \(header.fields.count)")
                continue
            }
            rows.append(record)
        }
        return (rows, column)
    }

    /// A point layer given as CSV (`wells.csv`): columns `id`, `name` and either `lon`,`lat`
    /// (degrees, in the layer's CRS or else WGS84) or `x`,`y` (in the CRS named by --crs or the
    /// manifest, which must then be given); every other column becomes a property (numbers as
    /// numbers, empty fields left out). The index of a row is its position among the data rows;
    /// broken rows are reported with their line.
    func readPointCSV(_ file: String, defaultCRS: String?) -> [(index: Int, feature: Feature)]? {
        guard let (records, column) = readCSV(file, required: ["id", "name"], optional: ["lon", "lat", "x", "y", "…"]) else {
            problem(.file, file, "cannot be read")
            incomplete.insert(file)
            return nil
        }
        let geographic = column["lon"] != nil && column["lat"] != nil
        guard geographic || (column["x"] != nil && column["y"] != nil) else {
            problem(.syntax, file, line: 1, "a point layer needs lon,lat columns (degrees) or x,y columns (with --crs)")
            incomplete.insert(file)
            return nil
        }
        if !geographic, defaultCRS.map(TownFolder.isWGS84) ?? true {
            problem(.crs, file, line: 1, "x,y columns need their projected CRS: pass --crs (e.g. EPSG:4549) or set the manifest's crs; WGS84 points go in lon,lat columns")
            incomplete.insert(file)
            return nil
        }
        let (xColumn, yColumn) = geographic ? (column["lon"]!, column["lat"]!) : (column["x"]!, column["y"]!)
        let header = column.sorted { $0.value < $1.value }.map(\.key)
        var features: [(index: Int, feature: Feature)] = []
        for (index, record) in records.enumerated() {
            guard let x = CSVNumber.parse(record.fields[xColumn]), let y = CSVNumber.parse(record.fields[yColumn]) else {
                problem(.geometry, file, line: record.line, "the coordinates \"\(record.fields[xColumn])\", \"\(record.fields[yColumn])\" are not numbers")
                continue
            }
            if geographic, defaultCRS.map(TownFolder.isWGS84) ?? true, !(-180...180).contains(x) || !(-90...90).contains(y) {
                problem(.geometry, file, line: record.line, "(\(x), \(y)) is not a longitude/latitude")
                continue
            }
            var properties = JSONObject()
            for (position, name) in header.enumerated() where ![xColumn, yColumn, column["id"]].contains(position) {
                let field = record.fields[position]
                if field.isEmpty { continue }
                properties[name] = JSONNumber(text: field).map(JSONValue.number) ?? .string(field)
            }
            let id = record.fields[column["id"]!]
            features.append((index, Feature(id: id.isEmpty ? nil : .string(id), geometry: .point(Position(x: x, y: y)), properties: properties)))
        }
        guard let crs = defaultCRS, case .success(let info) = crsInfo(crs), let transformer = info.transformer else {
            return features
        }
        var transformed: [(index: Int, feature: Feature)] = []
        for (index, var feature) in features {
            do {
                feature.geometry = try transformer.transform(feature.geometry!)
                transformed.append((index, feature))
            } catch {
                problem(.crs, file, index, path: "geometry", "\(error)")
            }
        }
        return transformed
    }

    /// The residents, each with its line; ids, names and homes are the validator's rules.
    func readResidents() -> ReadItems<Resident> {
        let file = TownFolder.residentsFile
        guard let (records, column) = readCSV(file, required: ["id", "name", "home"], optional: ["categories", "phone", "birthYear"]) else {
            incomplete.insert(file)
            return ReadItems()
        }
        var residents = ReadItems<Resident>()
        residents.items.reserveCapacity(records.count)
        residents.places.reserveCapacity(records.count)
        for record in records {
            func field(_ name: String) -> String { column[name].map { record.fields[$0] } ?? "" }
            var ok = true
            var categories: [ResidentCategory] = []
            for raw in field("categories").split(separator: ";", omittingEmptySubsequences: true) {
                // Trimmed only when needed: Foundation's trimming bridges through NSString.
                let text = raw.first!.isWhitespace || raw.last!.isWhitespace ? raw.trimmingCharacters(in: .whitespaces) : String(raw)
                if text.isEmpty { continue }
                if let category = ResidentCategory(rawValue: text) {
                    categories.append(category)
                } else {
                    problem(.property, file, line: record.line, "category \"\(text)\" is not a category name (lower-case letters, digits, hyphens, e.g. party-member)")
                    ok = false
                }
            }
            var birthYear: Int?
            let yearText = field("birthYear")
            if !yearText.isEmpty {
                if let year = Int(yearText), (1850...2200).contains(year) {
                    birthYear = year
                } else {
                    problem(.property, file, line: record.line, "birthYear \"\(yearText)\" is not a year")
                    ok = false
                }
            }
            // A resident with an unreadable field is still checked, so that all its problems
            // show at once; the read problem already keeps the folder from being returned.
            let phone = field("phone")
            residents.append(Resident(id: field("id"), name: field("name"), homeID: field("home"),
                                      categories: ok ? categories : [], phone: phone.isEmpty ? nil : phone,
                                      birthYear: birthYear),
                             at: Place(file: file, line: record.line))
        }
        return residents
    }

    /// The team, each member with its line; whether its grid exists is the validator's rule.
    func readTeam() -> ReadItems<TeamMember> {
        let file = TownFolder.teamFile
        guard let (records, column) = readCSV(file, required: ["grid", "role", "name"], optional: ["unit", "phone"]) else {
            incomplete.insert(file)
            return ReadItems()
        }
        var team = ReadItems<TeamMember>()
        for record in records {
            func field(_ name: String) -> String { column[name].map { record.fields[$0] } ?? "" }
            let gridText = field("grid"), roleText = field("role"), name = field("name")
            let gridCode = GridCode(gridText)
            if gridCode == nil {
                problem(.code, file, line: record.line, "malformed grid code \"\(gridText)\" (expected TOWN-GGG, e.g. DC-017)")
            }
            let role = TeamRole(rawValue: roleText)
            if role == nil {
                problem(.property, file, line: record.line, "role \"\(roleText)\" is not one of \(TeamRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let unit = field("unit"), phone = field("phone")
            if let gridCode, let role {
                team.append(TeamMember(gridCode: gridCode, role: role, name: name,
                                       unit: unit.isEmpty ? nil : unit, phone: phone.isEmpty ? nil : phone),
                            at: Place(file: file, line: record.line))
            }
        }
        return team
    }
}
