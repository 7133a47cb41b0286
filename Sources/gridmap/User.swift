import ArgumentParser
import Foundation
import GridMapApp

/// `gridmap user add | passwd | disable | list`: the accounts `gridmap serve` signs people in
/// with, kept in the store beside the town. Passwords are read from standard input (one line) or,
/// at a terminal, typed twice without echo: never from the command line, where other users'
/// `ps` would see them.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "The server's accounts: add, passwd, disable, list.",
        discussion: """
            Accounts live in the store (--db) beside the town; `gridmap serve` signs them in. \
            Roles: office (everything), department:CODE (its whistles; no resident by grid), \
            grid-worker:GRID (that grid's residents; acts as a member of its team, --as), \
            resident (what the public sees; may report a problem). Passwords have at least 10 \
            characters and are not the account's name; they are stored as bcrypt hashes.

            Examples:
              gridmap user add admin --role office
              printf '%s\\n' "$PASSWORD" | gridmap user add liu --role grid-worker:DC-017 --as liaison
              gridmap user add zhou --role department:water --as 周工
              gridmap user passwd liu
              gridmap user disable liu
              gridmap user list
            """,
        subcommands: [UserAdd.self, UserPasswd.self, UserDisable.self, UserList.self])
}

struct UserAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add an account; its password is read from standard input or typed at the prompt.")

    @Argument(help: ArgumentHelp("The account's name: 1 to 64 letters, digits and . _ - @.", valueName: "name"))
    var name: String

    @Option(help: ArgumentHelp("office, department:CODE, grid-worker:GRID or resident.", valueName: "role"))
    var role: String

    @Option(name: .customLong("as"), help: ArgumentHelp(
        "Whom the account acts as in the event flow: for a grid worker a member of the grid's team (NAME or ROLE, e.g. liaison; required); for a department or the office the person (default: the account's name).",
        valueName: "person"))
    var actingAs: String?

    @OptionGroup var store: StoreOptions

    func validate() throws {
        _ = try validating { () throws(JobError) in try AccountRole(parsing: role) }
    }

    func run() throws {
        let accounts = try Accounts(stores: store.stores)
        // The role and the team member are checked before the password is asked for.
        try accounts.check(name: name, role: role, actingAs: actingAs)
        let user = try accounts.add(name: name, role: role, actingAs: actingAs, password: try PasswordInput.read(confirming: true))
        try StandardOutput.write(lines: ["added \(UserText.line(user))"])
    }
}

struct UserPasswd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passwd",
        abstract: "Set an account's password (read from standard input or typed at the prompt); its sessions and tokens end.")

    @OptionGroup var account: AccountOptions

    func run() throws {
        let accounts = try account.accounts
        _ = try accounts.user(named: account.name)
        try accounts.changePassword(of: account.name, to: try PasswordInput.read(confirming: true))
        try StandardOutput.write(lines: ["changed the password of \(account.name); its sessions and tokens have ended"])
    }
}

struct UserDisable: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable",
        abstract: "Disable an account: it signs in no more, and its sessions and tokens end at once.")

    @OptionGroup var account: AccountOptions

    func run() throws {
        try account.accounts.disable(account.name)
        try StandardOutput.write(lines: ["disabled \(account.name); its sessions and tokens have ended"])
    }
}

struct UserList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the accounts: name, role, whom each acts as, state, when made and when its password last changed.")

    @OptionGroup var store: StoreOptions

    func run() throws {
        let users = try Accounts(stores: store.stores).users()
        try StandardOutput.write(lines: users.isEmpty ? ["no accounts yet: gridmap user add NAME --role office"] : users.map(UserText.line))
    }
}

/// The account `passwd` and `disable` change, and the store it is in.
struct AccountOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The account.", valueName: "name"))
    var name: String

    @OptionGroup var store: StoreOptions

    var accounts: Accounts {
        get throws(JobError) { try Accounts(stores: store.stores) }
    }
}

/// How the user commands print an account: one line, tab-separated, so that it can be cut.
enum UserText {
    static func line(_ user: UserAccount) -> String {
        [user.name, user.role.description, user.actingAs ?? "-", user.disabled ? "disabled" : "active",
         "created \(EventTimes.text(user.created))", "password changed \(EventTimes.text(user.passwordChanged))"].joined(separator: "\t")
    }
}
