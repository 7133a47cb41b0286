import Foundation
import GRDB

/// Whole-table views for checks that compare a store's contents before and after an operation
/// (a rejected import must leave every row as it was).
extension SQLiteTownStore {
    /// Every table of the schema, including the import log.
    static let inspectedTables = StoreSchema.townTables + ["imports", "coverage_faults_accepted"]

    /// The rows of `table` in rowid order, each rendered as its column values joined by " | "
    /// (blobs as their bytes, so geometry differences show).
    func renderedRows(of table: String) throws -> [String] {
        precondition(Self.inspectedTables.contains(table), "not a store table: \(table)")
        return try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY rowid").map { row in
                row.databaseValues.map(Self.render).joined(separator: " | ")
            }
        }
    }

    private static func render(_ value: DatabaseValue) -> String {
        if case .blob(let data) = value.storage {
            return "x'" + data.map { String($0, radix: 16) }.joined(separator: ",") + "'"
        }
        return value.description
    }
}
