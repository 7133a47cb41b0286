import Foundation
import GridMapCore
import GridStore
import HummingbirdBcrypt

/// An account's role on the server, as `gridmap user add --role` spells it.
public enum AccountRole: Sendable, Hashable, CustomStringConvertible {
    /// The town office: everything.
    case office
    /// A department of the event catalogue, by code: its own whistles, no resident by grid.
    case department(String)
    /// The grid worker of one grid: that grid's residents and team; acts as a member of its team.
    case gridWorker(GridCode)
    /// A resident: what the public sees; may report a problem.
    case resident

    /// `office`, `department:CODE`, `grid-worker:GRID` or `resident`; a department's code is
    /// checked against `catalogue`.
    public init(parsing text: String, catalogue: EventCatalogue = .standard) throws(JobError) {
        switch text {
        case "office": self = .office
        case "resident": self = .resident
        case let text where text.hasPrefix("department:"):
            let code = String(text.dropFirst("department:".count))
            guard catalogue.department(code) != nil else {
                throw .invalidRequest("--role \(text): no department '\(code)'; departments: \(catalogue.departments.map(\.code).joined(separator: ", ")).")
            }
            self = .department(code)
        case let text where text.hasPrefix("grid-worker:"):
            guard case .gridWorker(let grid) = try RequestParsing.role(text) else { throw .invalidRequest("--role \(text): not a grid worker's role.") }
            self = .gridWorker(grid)
        default:
            throw .invalidRequest("Unknown role '\(text)': use office, department:CODE, grid-worker:GRID or resident.")
        }
    }

    public var description: String {
        switch self {
        case .office: "office"
        case .department(let code): "department:\(code)"
        case .gridWorker(let grid): "grid-worker:\(grid)"
        case .resident: "resident"
        }
    }

    /// The role by which ``Disclosure`` discloses personal data to the account: a resident sees
    /// what the public sees.
    public var disclosureRole: ResidentRole {
        switch self {
        case .office: .office
        case .department(let code): .department(code)
        case .gridWorker(let grid): .gridWorker(grid)
        case .resident: .public
        }
    }
}

/// An account as the command line lists it and the server describes it (never its password hash).
public struct UserAccount: Sendable, Hashable {
    public var name: String
    public var role: AccountRole
    /// Whom the account acts as in the event flow (`DC-017/王五`, `department:water/周工`,
    /// `office/张三`); nil for a resident, who reports through the public channel.
    public var actingAs: String?
    public var disabled: Bool
    public var created: Date
    public var passwordChanged: Date
}

/// The server's accounts: adding them, their passwords, signing in and out, who a session or
/// token stands for, and the audit log. The store keeps them (``AccountBook``); the rules live
/// here:
/// - Passwords are hashed with bcrypt (HummingbirdBcrypt), cost ``defaultPasswordCost``; a
///   password has at least ``minimumPasswordLength`` characters, at most
///   ``maximumPasswordBytes`` bytes of UTF-8 (bcrypt reads no further), and is not the account's
///   name.
/// - Secrets (a session's cookie, a bearer token) are 32 random bytes, handed out once; the store
///   keeps their SHA-256. A session expires after ``sessionIdleLifetime`` without use, a token
///   ``tokenLifetime`` after it was made.
/// - Sign-in is throttled (``SignInThrottle``) and never says whether a name exists.
/// - Changing a password or disabling an account ends its sessions and tokens at once.
public struct Accounts: Sendable {
    let book: any AccountBook
    /// The town's desk, to check and resolve whom an account acts as (a grid team's member); nil
    /// when the store holds no town yet.
    let desk: EventDesk?
    let clock: @Sendable () -> Date
    let passwordCost: UInt8

    public static let defaultPasswordCost: UInt8 = 12
    public static let minimumPasswordLength = 10
    public static let maximumPasswordBytes = 72
    /// A session ends after 12 hours without a request.
    public static let sessionIdleLifetime: TimeInterval = 12 * 3600
    /// A bearer token ends 30 days after it was made.
    public static let tokenLifetime: TimeInterval = 30 * 86400

    /// The accounts of `store`. `desk` checks grid workers' team members (``TownService`` has
    /// one); `passwordCost` is bcrypt's (the tests use less); `clock` says what time it is.
    public init(store: any TownStore, desk: EventDesk? = nil, passwordCost: UInt8 = defaultPasswordCost,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        book = store.accountBook
        self.desk = desk
        self.passwordCost = passwordCost
        self.clock = clock
    }

    /// The accounts of the town `service` serves.
    public init(service: TownService, passwordCost: UInt8 = defaultPasswordCost, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.init(store: service.store, desk: service.desk, passwordCost: passwordCost, clock: clock)
    }

    /// The accounts of the store `stores` names, for the command line; grid workers' team
    /// members are checked against the town the store holds.
    public init(stores: TownStores) throws(JobError) {
        let store = try stores.open()
        let holdsTown = try asJobError { try store.info().imports > 0 }
        self.init(store: store, desk: holdsTown ? try EventDesk(store: store) : nil)
    }

    // MARK: - Users

    /// Checks what ``add(name:role:actingAs:password:)`` would check but the password: the name
    /// (and that it is free), the role and whom the account acts as.
    public func check(name: String, role text: String, actingAs: String?) throws(JobError) {
        _ = try checked(name: name, role: text, actingAs: actingAs)
    }

    /// The role and whom the account acts as, checked with its name.
    private func checked(name: String, role text: String, actingAs: String?) throws(JobError) -> (role: AccountRole, actingAs: String?) {
        try Self.checkName(name)
        if try booked({ () throws(AccountBookError) in try book.account(named: name) }) != nil {
            throw .conflict("There is an account \(name) already.")
        }
        let role = try AccountRole(parsing: text, catalogue: desk?.catalogue ?? .standard)
        return (role, try actingAsText(for: role, name: name, given: actingAs))
    }

    /// Adds an account. `role` as ``AccountRole/init(parsing:catalogue:)`` reads it; `actingAs`
    /// names whom it acts as: for a grid worker, a member of the grid's team (`王五`, `liaison`,
    /// or `DC-017/王五`), required; for a department or the office, the person (default: the
    /// account's name); a resident acts as nobody.
    @discardableResult
    public func add(name: String, role text: String, actingAs: String?, password: String) throws(JobError) -> UserAccount {
        let (role, actor) = try checked(name: name, role: text, actingAs: actingAs)
        try Self.checkPassword(password, name: name)
        let now = clock()
        let account = StoredAccount(name: name, role: role.description, actingAs: actor, passwordHash: hash(password),
                                    created: now, passwordChanged: now)
        try booked { () throws(AccountBookError) in try book.addAccount(account) }
        return try Self.user(account)
    }

    /// Sets a new password; the account's sessions and tokens end.
    public func changePassword(of name: String, to password: String) throws(JobError) {
        var account = try stored(name)
        try Self.checkPassword(password, name: name)
        account.passwordHash = hash(password)
        account.passwordChanged = clock()
        try booked { () throws(AccountBookError) in try book.updateAccount(account) }
    }

    /// Disables an account: it signs in no more, and its sessions and tokens end at once.
    public func disable(_ name: String) throws(JobError) {
        var account = try stored(name)
        account.disabled = true
        try booked { () throws(AccountBookError) in try book.updateAccount(account) }
    }

    /// The account called `name`.
    public func user(named name: String) throws(JobError) -> UserAccount {
        try Self.user(try stored(name))
    }

    /// Every account, by name.
    public func users() throws(JobError) -> [UserAccount] {
        try booked { () throws(AccountBookError) in try book.accounts() }.map { account throws(JobError) in try Self.user(account) }
    }

    // MARK: - Rules

    /// Names are 1 to 64 letters, digits and `.`, `_`, `-`, `@`: nothing that needs quoting in a
    /// log line, a header or a command.
    static func checkName(_ name: String) throws(JobError) {
        guard (1...64).contains(name.count), name.allSatisfy({ $0.isLetter || $0.isNumber || ".-_@".contains($0) }) else {
            throw .invalidRequest("Account name '\(name)': use 1 to 64 letters, digits and . _ - @.")
        }
    }

    static func checkPassword(_ password: String, name: String) throws(JobError) {
        guard password.count >= minimumPasswordLength else {
            throw .invalidRequest("The password is too short: use at least \(minimumPasswordLength) characters.")
        }
        guard password.utf8.count <= maximumPasswordBytes else {
            throw .invalidRequest("The password is too long: bcrypt reads at most \(maximumPasswordBytes) bytes (UTF-8).")
        }
        guard !password.unicodeScalars.contains("\0") else { throw .invalidRequest("The password holds a NUL character.") }
        guard password.lowercased() != name.lowercased() else { throw .invalidRequest("The password may not be the account's name.") }
    }

    func hash(_ password: String) -> String { Bcrypt.hash(password, cost: passwordCost) }

    /// Whom an account of `role` acts as, checked, in the form ``actor(_:)`` reads back.
    func actingAsText(for role: AccountRole, name: String, given: String?) throws(JobError) -> String? {
        let person = given.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        switch role {
        case .office:
            return "office/\(person ?? name)"
        case .department(let code):
            return "department:\(code)/\(person ?? name)"
        case .resident:
            if let person { throw .invalidRequest("--as \(person): a resident acts as nobody; they report problems through the public channel.") }
            return nil
        case .gridWorker(let grid):
            guard let person else {
                throw .invalidRequest("A grid worker acts as a member of the grid's team: say --as NAME (or --as liaison) of \(grid)'s team.")
            }
            guard let desk else { throw .invalidRequest("--as \(person): the store holds no town yet, so \(grid)'s team cannot be checked; import the town first.") }
            let text = person.contains("/") ? person : "\(grid)/\(person)"
            guard case .teamMember(let own, _, let member) = try desk.actor(text), own == grid else {
                throw .invalidRequest("--as \(person): a grid worker of \(grid) acts as a member of \(grid)'s team, not \(text).")
            }
            return "\(grid)/\(member)"
        }
    }

    /// The actor `text` (``UserAccount/actingAs``) names; nil when the town no longer has that
    /// team member (a re-import changed the team): the account then sees, but acts as nobody.
    func actor(_ text: String?) -> EventActor? {
        guard let text else { return nil }
        if text.hasPrefix("office/") { return .office(person: String(text.dropFirst("office/".count))) }
        if text.hasPrefix("department:"), let slash = text.firstIndex(of: "/") {
            return .department(code: String(text[text.index(text.startIndex, offsetBy: "department:".count)..<slash]),
                               person: String(text[text.index(after: slash)...]))
        }
        return try? desk?.actor(text)
    }

    /// The viewer an account's requests are answered for.
    func viewer(_ account: UserAccount) -> Viewer {
        Viewer(account: account.name, role: account.role.disclosureRole, actor: actor(account.actingAs))
    }

    // MARK: - The store

    func stored(_ name: String) throws(JobError) -> StoredAccount {
        guard let account = try booked({ () throws(AccountBookError) in try book.account(named: name) }) else {
            throw .notFound("There is no account \(name).")
        }
        return account
    }

    static func user(_ account: StoredAccount) throws(JobError) -> UserAccount {
        let role: AccountRole
        do {
            role = try AccountRole(parsing: account.role)
        } catch {
            throw .failed(StoreError.corrupt("accounts, account \(account.name): role '\(account.role)' (\(error.message))"))
        }
        return UserAccount(name: account.name, role: role, actingAs: account.actingAs, disabled: account.disabled,
                           created: account.created, passwordChanged: account.passwordChanged)
    }

    /// Runs a book operation, its errors as ``JobError``s: a taken name is a conflict, an unknown
    /// one not found, the store's failures failed.
    func booked<T>(_ body: () throws(AccountBookError) -> T) throws(JobError) -> T {
        do {
            return try body()
        } catch {
            throw Self.jobError(error)
        }
    }

    static func jobError(_ error: AccountBookError) -> JobError {
        switch error {
        case .exists(let name): .conflict("There is an account \(name) already.")
        case .unknownAccount(let name): .notFound("There is no account \(name).")
        case .store(let error): .failed(error)
        }
    }
}
