import ByteOutput
import CSV
import Foundation
import GeoJSON
import GridMapCore

/// `assign`: each row of a resident ledger written back verbatim, in input order, with
/// `home,microgrid,grid,match,confidence,reason` appended, the address matched to a home
/// (``AddressMatcher``) and the home put on its micro-grid. Rows stream a block at a time, so
/// memory stays flat on any ledger; every row lands in exactly one outcome of the ``AssignTally``.
public final class AssignLedgerJob {
    /// Header names taken for the address when no option names one.
    public static let address = CSVColumn("address", aliases: ["address", "地址"], option: "--address-column")
    public static let addedColumns = ["home", "microgrid", "grid", "match", "confidence", "reason"]

    private let assigner: HomeAssigner

    /// Matches against the homes of `data`; `atlas` locates them (its nearest indexes are not used).
    public init(data: TownData, atlas: Atlas) {
        assigner = HomeAssigner(matcher: AddressMatcher(data), data: data, atlas: atlas)
    }

    /// Streams `table` to `sink`, the address taken from `addressColumn` (nil: by name), each bad
    /// row told to `badRow` as it is met (it is in the tally too).
    public func run(_ table: CSVTable, addressColumn: String? = nil, to sink: any ByteSink,
                    badRow: (CSVBadRow) -> Void) throws(JobError) -> AssignTally {
        let column: Int
        do throws(CSVTableError) {
            column = try table.column(Self.address, named: addressColumn)
        } catch {
            throw JobError(error)
        }
        let writer = CSVRowWriter(sink: sink)
        writer.writeHeader(of: table, appending: Self.addedColumns)
        var tally = AssignTally()
        while let rows = try JobError.reading(table) {
            for record in rows.records {
                writer.copy(record, of: rows)
                let added: String
                if let problem = rows.problem(record, reaching: column) {
                    tally.bad.append(.init(line: record.line, address: "", reason: problem))
                    badRow(table.badRow(record, problem))
                    added = ",,,,,\(CSVField.escaped(problem))"
                } else {
                    added = assign(rows.value(column, of: record), line: record.line, to: &tally)
                }
                writer.output.append(utf8: added)
                writer.endRow()
                tally.rows += 1
            }
            try JobError.writing { () throws(OutputError) in try writer.flush() }
        }
        return tally
    }

    /// The added fields of one address, with its outcome counted in `tally`.
    private func assign(_ address: String, line: Int, to tally: inout AssignTally) -> String {
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
                tally.outside.append(.init(line: line, address: address, reason: reason))
            }
            return "\(CSVField.escaped(home)),\(grids),\(method.rawValue),\(AssignTally.format(confidence)),\(CSVField.escaped(reason))"
        case .ambiguous(let candidates):
            tally.ambiguous.append(.init(line: line, address: address, candidates: candidates))
            let reason = "could be " + AssignTally.listed(candidates)
            return ",,,ambiguous,\(AssignTally.format(candidates[0].confidence)),\(CSVField.escaped(reason))"
        case .unmatched(let reason):
            if case .otherTown = reason {
                tally.outside.append(.init(line: line, address: address, reason: reason.description))
                return ",,,outside,,\(CSVField.escaped(reason.description))"
            }
            tally.unmatched.append(.init(line: line, address: address, reason: reason.description))
            return ",,,unmatched,,\(CSVField.escaped(reason.description))"
        }
    }
}

/// A matched home's micro-grid and grid, looked up once per home and kept, since a ledger names
/// the same home for every member of a household.
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
public struct AssignTally: Sendable {
    /// A row that was not assigned: its line, its address and why.
    public struct Unassigned: Sendable, Hashable {
        public var line: Int
        public var address: String
        public var reason: String
    }

    /// An address that fits several homes equally: its line, the address and the candidates.
    public struct Ambiguous: Sendable {
        public var line: Int
        public var address: String
        public var candidates: [AddressCandidate]
    }

    public var rows = 0
    public var matched: [AddressMatchMethod: Int] = [:]
    public var ambiguous: [Ambiguous] = []
    public var unmatched: [Unassigned] = []
    /// An address in another town, or a home in no micro-grid.
    public var outside: [Unassigned] = []
    /// Rows that could not be read (their address is empty).
    public var bad: [Unassigned] = []

    public init() {}

    /// Whether every row matched a home inside the town.
    public var allAssigned: Bool { ambiguous.isEmpty && unmatched.isEmpty && outside.isEmpty && bad.isEmpty }

    /// The report: a line of counts by outcome (they add up to the rows), then each ambiguous,
    /// unmatched, outside and bad row as `SOURCE:LINE`.
    public func report(source: String) -> String {
        let counts = AddressMatchMethod.allCases.map { "\($0.rawValue) \(matched[$0, default: 0])" }.joined(separator: ", ")
        var lines = ["gridmap assign: \(rows) rows; matched \(matched.values.reduce(0, +)) (\(counts)); "
            + "ambiguous \(ambiguous.count), unmatched \(unmatched.count), outside the town \(outside.count), bad \(bad.count)"]
        /// A titled list of rows, when there are any.
        func section(_ title: String, _ entries: [(line: Int, text: String)]) {
            guard !entries.isEmpty else { return }
            lines.append(title)
            lines += entries.map { "  \(source):\($0.line): \($0.text)" }
        }
        section("ambiguous:", ambiguous.map { ($0.line, "\($0.address) → \(Self.listed($0.candidates))") })
        section("unmatched:", unmatched.map { ($0.line, "\($0.address) → \($0.reason)") })
        section("outside the town (another town, or a home in no micro-grid):", outside.map { ($0.line, "\($0.address) → \($0.reason)") })
        section("bad rows:", bad.map { ($0.line, $0.reason) })
        return lines.joined(separator: "\n")
    }

    static func format(_ confidence: Double) -> String { String(format: "%.2f", confidence) }

    /// "home-12 大村镇东河村12号 (0.95); home-13 大村镇东河庄12号 (0.95)".
    static func listed(_ candidates: [AddressCandidate]) -> String {
        candidates.map { "\($0.homeID) \($0.address) (\(format($0.confidence)))" }.joined(separator: "; ")
    }
}
