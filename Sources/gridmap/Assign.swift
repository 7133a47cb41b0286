import ArgumentParser
import Foundation
import ByteOutput
import GridMapApp
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
            prefixes, 村/庄/屯 variants; for a street address in Latin script: street, house \
            number and letter, staircase and apartment, postcode and city, number before or \
            after the street), then by edit distance on the village or street name (a street \
            below similarity 0.8 is unmatched, its candidates listed; docs/ADDRESSES.md). A report \
            goes to standard error, or to --report FILE: its first line counts the rows by \
            outcome (matched by method, ambiguous, unmatched, outside the town, bad; they add \
            up to the rows), then each ambiguous row with its candidates, each unmatched row \
            with its reason, and each row outside the town: an address in another town \
            (六汪镇东河村12号) or a home that lies in no micro-grid. The ledger is RFC 4180 CSV \
            (a quoted field may hold commas and line breaks). A row with too few fields, a \
            quote out of place, a field longer than 64 KiB or a line longer than 1 MiB is \
            reported as FILE:LINE (the line the row starts on) and written with empty added \
            columns and its reason (a line with a quote out of place as one quoted field, \
            padded to the header's columns, so that the output stays well-formed; a line too \
            long to read as an empty one). The report's rows are kept in a temporary file \
            (0600, removed at once) until the end, so memory stays flat however many rows fail.

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
        let town = try LoadedTown(data: LoadedTown.data(from: store.stores.openWithTown(), .features), indexing: [])
        let job = AssignLedgerJob(data: town.data, atlas: town.atlas)
        let table = try openTable(ledger)
        let report = try job.run(table, addressColumn: addressColumn, to: FileSink.standardOutput(), badRow: reportBadRow)
        if let path = self.report {
            do {
                try AtomicFile.write(to: URL(fileURLWithPath: path), ownerOnly: true) { file in
                    try report.write(to: FileSink(path: file.path))
                }
            } catch {
                StandardError.write("gridmap assign: cannot write the report \(path): \((error as? OutputError)?.message ?? error.localizedDescription)")
                throw ExitCode(2)
            }
        } else {
            // Like every message, the report is best effort on standard error.
            try? report.write(to: FileSink.standardError())
        }
        if !report.tally.allAssigned { throw ExitCode(1) }
    }
}
