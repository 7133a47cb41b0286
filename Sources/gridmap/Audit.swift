import ArgumentParser
import Foundation
import GridMapApp

/// `gridmap audit list`: the server's audit log — every write request and every answer that
/// carried personal data, with who asked, when, from where, and what went out.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The server's audit log: every write and every read of personal data.",
        subcommands: [AuditList.self])
}

struct AuditList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the audit log, oldest first: time (UTC), account (- for the public), address, method and path, status, personal data.",
        discussion: """
            One entry a line, tab-separated; the personal data an answer carried follows, \
            each read separated by "; ".

            Examples:
              gridmap audit list
              gridmap audit list --since 2026-06-30
              gridmap audit list --since "2026-06-30 08:00"
            """)

    @Option(help: ArgumentHelp("Only entries at or after this time (2026-06-30, 2026-06-30 08:30 in the town's zone, or ISO 8601).", valueName: "time"))
    var since: String?

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if let since { _ = try validating { () throws(JobError) in try EventTimes.parse(since, option: "--since") } }
    }

    func run() throws {
        let since = try self.since.map { text throws(JobError) in try EventTimes.parse(text, option: "--since") }
        let records = try Accounts(stores: store.stores).auditRecords(since: since)
        try StandardOutput.write(lines: records.map { record in
            [record.at.formatted(.iso8601), record.account ?? "-", record.address ?? "-", "\(record.method) \(record.path)",
             String(record.status), record.personalData.joined(separator: "; ")].joined(separator: "\t")
        })
    }
}
