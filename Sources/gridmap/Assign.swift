import ArgumentParser
import CSV
import Foundation
import GeoJSON
import GridMapCore

/// `gridmap assign`: puts each row of a resident ledger on a micro-grid through its address.
struct Assign: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Match a ledger's addresses to homes and put each row on a micro-grid.",
        discussion: """
            Reads a CSV with a header ("-" for standard input), finds the address column by \
            name (address or 地址, or --address-column) and writes every row in input order \
            with six columns added: home, microgrid, grid, match (exact, normalized, fuzzy, \
            ambiguous, unmatched, or outside for an address in another town), confidence (0–1) and reason (the home's address when it \
            was not written exactly, the candidates of an ambiguous row, why a row is \
            unmatched or outside the town). Rows stream, so a ledger of any size runs in \
            bounded memory.

            Addresses are matched to the homes' addresses exactly, then after normalising \
            (full-width digits, Chinese numerals, # for 号, town and province/city/district \
            prefixes, 村/庄/屯 variants), then by edit distance on the village name. A report \
            goes to standard error, or to --report FILE: its first line counts the rows by \
            outcome (matched by method, ambiguous, unmatched, outside the town, bad; they add \
            up to the rows), then each ambiguous row with its candidates, each unmatched row \
            with its reason, and each row outside the town: an address in another town \
            (六汪镇东河村12号) or a home that lies in no micro-grid. The ledger is RFC 4180 CSV \
            (a quoted field may hold commas and line breaks). A row with too few fields or a \
            quote out of place is reported as FILE:LINE (the line the row starts on) and \
            written with empty added columns.

            Exit status: 0 when every row matched a home inside the town, 1 otherwise, 2 when \
            nothing could start.

            Examples:
              gridmap assign geodata/dacun-ledger.csv > assigned.csv
              gridmap assign ledger.csv --address-column 住址 --report report.txt > assigned.csv
              cat ledger.csv | gridmap assign - --db dacun.sqlite
            """)

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The ledger: a CSV with a header row (\"-\" for standard input).", valueName: "ledger"))
    var ledger: String

    @Option(name: .customLong("address-column"), help: ArgumentHelp("The column holding the address (default: address or 地址).", valueName: "name"))
    var addressColumn: String?

    @Option(help: ArgumentHelp("Write the report to this file instead of standard error.", valueName: "file"))
    var report: String?

    func run() throws {
        // Homes and the locate index are all it needs: no residents, no nearest indexes.
        let town = try TownAtlas(data: TownAtlas.load(store, .features).data, indexing: [])
        let assigner = HomeAssigner(matcher: AddressMatcher(town.data), data: town.data, atlas: town.atlas)
        let tally: AssignTally
        do {
            tally = try LedgerStream(path: ledger, addressColumn: addressColumn, assigner: assigner).run()
        } catch let error as LedgerStream.SetupError {
            StandardError.write("gridmap assign: \(error)")
            throw ExitCode(2)
        }
        let text = tally.report(source: ledger == "-" ? "<stdin>" : ledger)
        if let report {
            do {
                try AtomicFile.write(to: URL(fileURLWithPath: report)) { try Data(text.utf8).write(to: $0) }
            } catch {
                StandardError.write("gridmap assign: cannot write the report \(report): \(error.localizedDescription)")
                throw ExitCode(2)
            }
        } else {
            StandardError.write(text)
        }
        if !tally.allAssigned { throw ExitCode(1) }
    }
}

/// A matched home's micro-grid and grid, looked up once per home and kept, since a ledger
/// names the same home for every member of a household.
final class HomeAssigner {
    let matcher: AddressMatcher
    private let atlas: Atlas
    private let locations: [String: Position]
    /// Per home id, its address as the map has it.
    private let addresses: [String: String]
    /// Per home id, its "microgrid,grid" fields, or nil when it lies in no micro-grid.
    private var fieldsOfHome: [String: String?] = [:]

    init(matcher: AddressMatcher, data: TownData, atlas: Atlas) {
        self.matcher = matcher
        self.atlas = atlas
        var locations: [String: Position] = [:], addresses: [String: String] = [:]
        for feature in data.features where feature.kind == .home {
            if case .point(let position) = feature.geometry { locations[feature.id] = position }
            addresses[feature.id] = feature.properties["address"]?.stringValue
        }
        self.locations = locations
        self.addresses = addresses
    }

    /// The home's address as the map has it ("" when it has none).
    func address(ofHome id: String) -> String { addresses[id] ?? "" }

    /// "microgrid,grid" of the home, or nil when it is outside every micro-grid.
    func gridFields(ofHome id: String) -> String? {
        if let known = fieldsOfHome[id] { return known }
        var fields: String?
        if let position = locations[id], let index = atlas.microGridIndex(longitude: position.x, latitude: position.y) {
            let microGrid = atlas.microGrids[index]
            fields = "\(microGrid.code),\(microGrid.gridCode)"
        }
        fieldsOfHome[id] = fields
        return fields
    }
}

/// What `assign` counts and remembers for its report. Each row lands in exactly one outcome:
/// matched inside the town (by method), ambiguous, unmatched, outside the town, or bad.
struct AssignTally {
    var rows = 0
    var matched: [AddressMatchMethod: Int] = [:]
    /// (line, address, candidates).
    var ambiguous: [(Int, String, [AddressCandidate])] = []
    /// (line, address, reason).
    var unmatched: [(Int, String, String)] = []
    /// (line, address, reason): an address in another town, or a home in no micro-grid.
    var outside: [(Int, String, String)] = []
    /// (line, problem).
    var bad: [(Int, String)] = []

    var allAssigned: Bool { ambiguous.isEmpty && unmatched.isEmpty && outside.isEmpty && bad.isEmpty }

    func report(source: String) -> String {
        let counts = AddressMatchMethod.allCases.map { "\($0.rawValue) \(matched[$0, default: 0])" }.joined(separator: ", ")
        var lines = ["gridmap assign: \(rows) rows; matched \(matched.values.reduce(0, +)) (\(counts)); "
            + "ambiguous \(ambiguous.count), unmatched \(unmatched.count), outside the town \(outside.count), bad \(bad.count)"]
        if !ambiguous.isEmpty {
            lines.append("ambiguous:")
            for (line, address, candidates) in ambiguous {
                lines.append("  \(source):\(line): \(address) → \(AssignTally.listed(candidates))")
            }
        }
        if !unmatched.isEmpty {
            lines.append("unmatched:")
            lines += unmatched.map { "  \(source):\($0.0): \($0.1) → \($0.2)" }
        }
        if !outside.isEmpty {
            lines.append("outside the town (another town, or a home in no micro-grid):")
            lines += outside.map { "  \(source):\($0.0): \($0.1) → \($0.2)" }
        }
        if !bad.isEmpty {
            lines.append("bad rows:")
            lines += bad.map { "  \(source):\($0.0): \($0.1)" }
        }
        return lines.joined(separator: "\n")
    }

    static func format(_ confidence: Double) -> String { String(format: "%.2f", confidence) }

    /// "home-12 大村镇东河村12号 (0.95); home-13 大村镇东河庄12号 (0.95)".
    static func listed(_ candidates: [AddressCandidate]) -> String {
        candidates.map { "\($0.homeID) \($0.address) (\(format($0.confidence)))" }.joined(separator: "; ")
    }
}

/// Streams a ledger through the matcher: each row written back verbatim, in input order, with
/// `home,microgrid,grid,match,confidence,reason` appended (the line break itself as LF); read
/// and written a block of records at a time so memory stays flat.
final class LedgerStream {
    static let addressNames = ["address", "地址"]
    static let addedColumns = "home,microgrid,grid,match,confidence,reason"

    /// A problem that stops the stream before any row is read (exit status 2).
    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    private let reader: CSVRecordReader
    private let sourceName: String
    private let addressColumn: String?
    private let assigner: HomeAssigner
    private var output = OutputBuffer()
    private var tally = AssignTally()

    init(path: String, addressColumn: String?, assigner: HomeAssigner) throws {
        sourceName = path == "-" ? "<stdin>" : path
        guard let reader = CSVRecordReader(path: path) else {
            throw SetupError(description: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        self.reader = reader
        self.addressColumn = addressColumn
        self.assigner = assigner
    }

    func run() throws -> AssignTally {
        guard let first = try readBlock() else { throw SetupError(description: "\(sourceName) is empty: a header row is needed") }
        let header = first.records[0]
        let column = try addressIndex(in: first.values(of: header))
        output.append(first.bytes(of: header))
        output.appendComma()
        output.append(Self.addedColumns)
        output.appendNewline()
        assign(first.records.dropFirst(), of: first, column: column)
        while let block = try readBlock() {
            assign(block.records[...], of: block, column: column)
        }
        return tally
    }

    /// Writes each record of the block with its added fields.
    private func assign(_ records: ArraySlice<CSVRecord>, of block: CSVBlock, column: Int) {
        for record in records where !block.isBlank(record) {
            output.append(block.bytes(of: record))
            output.appendComma()
            output.append(assign(record, of: block, column: column))
            output.appendNewline()
            tally.rows += 1
        }
        output.writeToStandardOutput()
    }

    private func readBlock() throws -> CSVBlock? {
        do {
            return try reader.nextBlock()
        } catch {
            throw SetupError(description: "error reading \(sourceName): \(error)")
        }
    }

    private func addressIndex(in names: [String]) throws -> Int {
        let lowered = names.map { $0.lowercased() }
        if let addressColumn {
            guard let index = names.firstIndex(of: addressColumn) ?? lowered.firstIndex(of: addressColumn.lowercased()) else {
                throw SetupError(description: "\(sourceName): no column '\(addressColumn)' in the header (\(names.joined(separator: ",")))")
            }
            return index
        }
        for name in Self.addressNames {
            if let index = lowered.firstIndex(of: name) { return index }
        }
        throw SetupError(description: "\(sourceName): no address column in the header (\(names.joined(separator: ","))); "
            + "name one address or 地址, or give --address-column")
    }

    /// The added fields of one row, with the row counted in the tally.
    private func assign(_ record: CSVRecord, of block: CSVBlock, column: Int) -> String {
        let lineNumber = record.line
        guard record.problem == nil, record.fieldCount > column else {
            let problem = record.problem.map(\.description) ?? "expected at least \(column + 1) fields, found \(record.fieldCount)"
            tally.bad.append((lineNumber, problem))
            StandardError.write("\(sourceName):\(lineNumber): \(problem)")
            return ",,,,,\(CSVField.escaped(problem))"
        }
        let address = block.value(column, of: record)
        switch assigner.matcher.match(address) {
        case .matched(let home, let method, let confidence):
            let grids: String, reason: String
            if let found = assigner.gridFields(ofHome: home) {
                tally.matched[method, default: 0] += 1
                grids = found
                reason = method == .exact ? "" : "read as \(assigner.address(ofHome: home))"
            } else {
                grids = ","
                reason = "\(home) lies in no micro-grid"
                tally.outside.append((lineNumber, address, reason))
            }
            return "\(CSVField.escaped(home)),\(grids),\(method.rawValue),\(AssignTally.format(confidence)),\(CSVField.escaped(reason))"
        case .ambiguous(let candidates):
            tally.ambiguous.append((lineNumber, address, candidates))
            let reason = "could be " + AssignTally.listed(candidates)
            return ",,,ambiguous,\(AssignTally.format(candidates[0].confidence)),\(CSVField.escaped(reason))"
        case .unmatched(let reason):
            if case .otherTown = reason {
                tally.outside.append((lineNumber, address, reason.description))
                return ",,,outside,,\(CSVField.escaped(reason.description))"
            }
            tally.unmatched.append((lineNumber, address, reason.description))
            return ",,,unmatched,,\(CSVField.escaped(reason.description))"
        }
    }
}
