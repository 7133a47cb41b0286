import Foundation
import GridStore

/// One line of the audit log (who, when, what), as the application layer hands it out.
public typealias AuditRecord = AuditEntry

extension Accounts {
    /// Appends to the audit log what `account` (nil: the public) asked from `address` — a
    /// write, or a read whose answer carried `personalData` — and the answer's status, dated now.
    public func audit(account: String?, address: String?, method: String, path: String, status: Int, personalData: [String]) throws(JobError) {
        let entry = AuditEntry(at: clock(), account: account, address: address, method: method, path: path, status: status, personalData: personalData)
        try booked { () throws(AccountBookError) in try book.appendAudit(entry) }
    }

    /// The audit log's entries since `time` (all when nil), oldest first.
    public func auditRecords(since time: Date?) throws(JobError) -> [AuditRecord] {
        try booked { () throws(AccountBookError) in try book.auditEntries(since: time) }
    }
}
