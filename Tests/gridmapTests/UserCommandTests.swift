import Foundation
import Testing

/// A password as a script pipes it in: one line.
private let password = "correct horse battery\n"

@Suite("gridmap user and gridmap audit")
struct UserCommandTests {
    /// Runs `gridmap user …` on a workspace's store, the password (or anything) on standard input.
    struct User {
        let work: TownCommandsTests.Workspace

        func callAsFunction(_ arguments: [String], stdin: String = password) throws -> CommandResult {
            try GridMapExecutable.run(["user"] + arguments + ["--db", work.db], stdin: stdin)
        }
    }
    @Test("user add reads the password from standard input and lists the account; a taken name, a short password or a bad role is refused (exit 64) and adds nothing")
    func addAndList() throws {
        let work = try TownCommandsTests.Workspace.withTinyTown()
        defer { work.remove() }
        let user = User(work: work)
        let added = try user(["add", "admin", "--role", "office"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.hasPrefix("added admin\toffice\toffice/admin\tactive\tcreated "))
        let worker = try user(["add", "zhao", "--role", "grid-worker:TT-001", "--as", "liaison"])
        #expect(worker.stdout.hasPrefix("added zhao\tgrid-worker:TT-001\tTT-001/赵联络员\tactive"), "\(worker.stderr)")

        let refusals: [([String], String, String)] = [
            (["add", "admin", "--role", "resident"], password, "There is an account admin already."),
            (["add", "li", "--role", "office"], "short\n", "at least 10 characters"),
            (["add", "li", "--role", "office"], "", "No password on standard input"),
            (["add", "li", "--role", "mayor"], password, "Unknown role 'mayor'"),
            (["add", "li", "--role", "grid-worker:TT-002", "--as", "liaison"], password, "TT-002's team has no liaison"),
            (["add", "li", "--role", "grid-worker:TT-001"], password, "say --as NAME"),
        ]
        for (arguments, stdin, message) in refusals {
            let refused = try user(arguments, stdin: stdin)
            #expect(refused.status == 64, "\(arguments)")
            #expect(refused.stderr.contains(message), "\(arguments): \(refused.stderr)")
        }
        let list = try user(["list"])
        #expect(list.status == 0)
        #expect(list.stdout.split(separator: "\n").map { $0.split(separator: "\t").prefix(4).joined(separator: " ") }
                == ["admin office office/admin active", "zhao grid-worker:TT-001 TT-001/赵联络员 active"])
    }

    @Test("user passwd and user disable change the account; a missing account is refused")
    func passwdAndDisable() throws {
        let work = try TownCommandsTests.Workspace.withTinyTown()
        defer { work.remove() }
        let user = User(work: work)
        #expect(try user(["add", "wang", "--role", "resident"]).status == 0)
        let passwd = try user(["passwd", "wang"], stdin: "a brand new password\n")
        #expect(passwd.status == 0, "\(passwd.stderr)")
        #expect(passwd.stdout.contains("changed the password of wang"))
        #expect(try user(["passwd", "wang"], stdin: "wang\n").status == 64)
        let disabled = try user(["disable", "wang"])
        #expect(disabled.status == 0 && disabled.stdout.contains("disabled wang"))
        #expect(try user(["list"]).stdout.contains("wang\tresident\t-\tdisabled"))
        let missing = try user(["disable", "ghost"])
        #expect(missing.status == 64 && missing.stderr.contains("There is no account ghost."))
    }

    @Test("audit list of a store the server never wrote to is empty, and --since wants a time")
    func auditList() throws {
        let work = try TownCommandsTests.Workspace.withTinyTown()
        defer { work.remove() }
        let empty = try GridMapExecutable.run(["audit", "list", "--since", "2026-06-30", "--db", work.db])
        #expect(empty.status == 0 && empty.stdout.isEmpty, "\(empty.stderr)")
        let bad = try GridMapExecutable.run(["audit", "list", "--since", "yesterday", "--db", work.db])
        #expect(bad.status == 64)
    }
}
