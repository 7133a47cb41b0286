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
    /// row told to `badRow` as it is met (it is in the report too). The report's rows are
    /// spooled as they come (``AssignReport``), so memory stays flat however many rows fail.
    public func run(_ table: CSVTable, addressColumn: String? = nil, to sink: any ByteSink,
                    badRow: (CSVBadRow) -> Void) throws(JobError) -> AssignReport {
        let column: Int
        do throws(CSVTableError) {
            column = try table.column(Self.address, named: addressColumn)
        } catch {
            throw JobError(error)
        }
        let writer = CSVRowWriter(sink: sink)
        writer.writeHeader(of: table, appending: Self.addedColumns)
        let report = AssignReport(source: table.name)
        while let rows = try JobError.reading(table) {
            try JobError.writing { () throws(OutputError) in
                for record in rows.records {
                    writer.copy(record, of: rows)
                    let added: String
                    if let problem = rows.problem(record, reaching: column) {
                        try report.add(.bad, line: record.line, problem)
                        badRow(table.badRow(record, problem))
                        added = ",,,,,\(CSVField.escaped(problem))"
                    } else {
                        added = try assign(rows.value(column, of: record), line: record.line, to: report)
                    }
                    writer.output.append(utf8: added)
                    writer.endRow()
                    report.tally.rows += 1
                }
                try writer.flush()
            }
        }
        return report
    }

    /// The added fields of one address, with its outcome added to `report`.
    private func assign(_ address: String, line: Int, to report: AssignReport) throws(OutputError) -> String {
        switch assigner.matcher.match(address) {
        case .matched(let home, let method, let confidence):
            let grids: String, reason: String
            if let found = assigner.gridFields(ofHome: home) {
                report.tally.matched[method, default: 0] += 1
                grids = found
                reason = method == .exact ? "" : "read as \(assigner.address(ofHome: home))"
            } else {
                grids = ","
                reason = "\(home) lies in no micro-grid"
                try report.add(.outside, line: line, "\(address) → \(reason)")
            }
            return "\(CSVField.escaped(home)),\(grids),\(method.rawValue),\(AssignReport.format(confidence)),\(CSVField.escaped(reason))"
        case .ambiguous(let candidates):
            try report.add(.ambiguous, line: line, "\(address) → \(AssignReport.listed(candidates))")
            let reason = "could be " + AssignReport.listed(candidates)
            return ",,,ambiguous,\(AssignReport.format(candidates[0].confidence)),\(CSVField.escaped(reason))"
        case .unmatched(let reason):
            if case .otherTown = reason {
                try report.add(.outside, line: line, "\(address) → \(reason.description)")
                return ",,,outside,,\(CSVField.escaped(reason.description))"
            }
            try report.add(.unmatched, line: line, "\(address) → \(reason.description)")
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

/// What `assign` counts. Each row lands in exactly one outcome: matched inside the town (by
/// method), ambiguous, unmatched, outside the town, or bad.
public struct AssignTally: Sendable, Hashable {
    public var rows = 0
    public var matched: [AddressMatchMethod: Int] = [:]
    public var ambiguous = 0
    public var unmatched = 0
    /// An address in another town, or a home in no micro-grid.
    public var outside = 0
    /// Rows that could not be read.
    public var bad = 0

    public init() {}

    /// Whether every row matched a home inside the town.
    public var allAssigned: Bool { ambiguous == 0 && unmatched == 0 && outside == 0 && bad == 0 }

    /// The report's first line: the counts by outcome (they add up to the rows).
    public var summary: String {
        let counts = AddressMatchMethod.allCases.map { "\($0.rawValue) \(matched[$0, default: 0])" }.joined(separator: ", ")
        return "gridmap assign: \(rows) rows; matched \(matched.values.reduce(0, +)) (\(counts)); "
            + "ambiguous \(ambiguous), unmatched \(unmatched), outside the town \(outside), bad \(bad)"
    }
}

/// The outcome of `assign`: the ``AssignTally`` and the report, which lists each row that was
/// not assigned as `SOURCE:LINE` under its outcome. The listed rows are spooled as they come
/// (``ReportSpool``: memory, then an unlinked 0600 temporary file), never held, so a ledger of
/// a million unmatched rows costs the same memory as one of ten.
public final class AssignReport {
    /// The report's sections, in the order they are written.
    enum Section: CaseIterable {
        case ambiguous, unmatched, outside, bad

        var title: String {
            switch self {
            case .ambiguous: "ambiguous:"
            case .unmatched: "unmatched:"
            case .outside: "outside the town (another town, or a home in no micro-grid):"
            case .bad: "bad rows:"
            }
        }
    }

    public internal(set) var tally = AssignTally()
    /// The ledger's name in the listed rows.
    let source: String
    private var spools: [Section: ReportSpool] = [:]

    init(source: String) { self.source = source }

    /// Lists a row under `section` (and counts it): `  SOURCE:LINE: text`.
    func add(_ section: Section, line: Int, _ text: String) throws(OutputError) {
        switch section {
        case .ambiguous: tally.ambiguous += 1
        case .unmatched: tally.unmatched += 1
        case .outside: tally.outside += 1
        case .bad: tally.bad += 1
        }
        let spool = spools[section] ?? ReportSpool()
        spools[section] = spool
        try spool.append("  \(source):\(line): \(text)\n")
    }

    /// Writes the report to `sink`: the tally's summary, then each section that lists any row
    /// (its title, then its rows in input order), every line ending in a line break.
    public func write(to sink: any ByteSink) throws(OutputError) {
        try sink.write(tally.summary + "\n")
        for section in Section.allCases {
            guard let spool = spools[section] else { continue }
            try sink.write(section.title + "\n")
            try spool.copy(to: sink)
        }
    }

    static func format(_ confidence: Double) -> String { String(format: "%.2f", confidence) }

    /// "home-12 大村镇东河村12号 (0.95); home-13 大村镇东河庄12号 (0.95)".
    static func listed(_ candidates: [AddressCandidate]) -> String {
        candidates.map { "\($0.homeID) \($0.address) (\(format($0.confidence)))" }.joined(separator: "; ")
    }
}
