import Foundation
import GridMapApp
import GridMapCore
import GeoJSON
import GridStore
import Synchronization
import Testing

/// A clock the tests move by hand.
final class TestClock: Sendable {
    private let time = Mutex(Date(timeIntervalSince1970: 1_780_000_000))
    var now: Date { time.withLock { $0 } }
    func advance(minutes: Double) { time.withLock { $0 = $0.addingTimeInterval(minutes * 60) } }
    var read: @Sendable () -> Date { { self.now } }
}

/// Accounts over an empty in-memory store (or `store`), bcrypt at its cheapest cost so that the
/// tests run quickly; the rules do not depend on the cost.
func testAccounts(_ store: any TownStore = InMemoryTownStore(), desk: EventDesk? = nil, clock: TestClock = TestClock()) -> Accounts {
    Accounts(store: store, desk: desk, passwordCost: 4, clock: clock.read)
}

@Suite("Accounts: users, passwords and roles")
struct AccountsUserTests {
    static let password = "correct horse battery"

    @Test("an office account is added with a bcrypt hash, never the password, and listed with whom it acts as")
    func addsAnOfficeAccount() throws {
        let store = InMemoryTownStore()
        let accounts = testAccounts(store)
        let user = try accounts.add(name: "admin", role: "office", actingAs: nil, password: Self.password)
        #expect(user.role == .office && user.actingAs == "office/admin" && !user.disabled)
        let stored = try #require(try store.accountBook.account(named: "admin"))
        #expect(stored.passwordHash.hasPrefix("$2b$04$") && !stored.passwordHash.contains(Self.password))
        #expect(try accounts.users().map(\.name) == ["admin"])
        #expect(throws: JobError.conflict("There is an account admin already.")) {
            try accounts.add(name: "admin", role: "resident", actingAs: nil, password: Self.password)
        }
    }

    @Test("a password shorter than 10 characters, longer than bcrypt reads, or the account's name is refused and nothing is added")
    func passwordRules() throws {
        let accounts = testAccounts()
        for password in ["short", "123456789", "Zhang.Wei1", String(repeating: "长", count: 25)] {
            #expect(throws: JobError.self, "\(password)") { try accounts.add(name: "zhang.wei1", role: "office", actingAs: nil, password: password) }
        }
        #expect(try accounts.users().isEmpty)
        try accounts.add(name: "zhang.wei1", role: "office", actingAs: nil, password: "十个字的密码不算太短吧")
    }

    @Test("roles are read as office, department:CODE, grid-worker:GRID or resident; other spellings are refused with the choices")
    func roles() throws {
        #expect(try AccountRole(parsing: "department:water") == .department("water"))
        #expect(try AccountRole(parsing: "grid-worker:DC-017") == .gridWorker(GridCode("DC-017")!))
        #expect(try AccountRole(parsing: "resident").disclosureRole == .public)
        #expect(try AccountRole(parsing: "department:water").disclosureRole == .department("water"))
        for text in ["admin", "department:nowhere", "grid-worker:DC-017-2", "grid-worker:"] {
            #expect(throws: JobError.self, "\(text)") { try AccountRole(parsing: text) }
        }
    }

    @Test("a grid worker acts as a member of their grid's team, named or by role; another grid's member, or none, is refused")
    func gridWorkerActsAsTeamMember() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let accounts = testAccounts(town.store, desk: try EventDesk(store: town.store))
        let zhao = try accounts.add(name: "zhao", role: "grid-worker:TT-001", actingAs: "liaison", password: Self.password)
        #expect(zhao.actingAs == "TT-001/赵联络员")
        #expect(try accounts.add(name: "li", role: "grid-worker:TT-001", actingAs: "李网格长", password: Self.password).actingAs == "TT-001/李网格长")
        #expect(throws: JobError.self) { try accounts.add(name: "x", role: "grid-worker:TT-001", actingAs: nil, password: Self.password) }
        #expect(throws: JobError.self) { try accounts.add(name: "x", role: "grid-worker:TT-002", actingAs: "TT-001/liaison", password: Self.password) }
        #expect(throws: JobError.self) { try accounts.add(name: "x", role: "grid-worker:TT-002", actingAs: "liaison", password: Self.password) }
        #expect(throws: JobError.self) { try accounts.add(name: "x", role: "resident", actingAs: "someone", password: Self.password) }
        let signedIn = try accounts.signIn(name: "zhao", password: Self.password, address: nil, as: .session)
        let viewer = try #require(try accounts.authenticate(signedIn.secret, as: .session)).viewer
        #expect(viewer == Viewer(account: "zhao", role: .gridWorker(GridCode("TT-001")!), actor: .teamMember(grid: GridCode("TT-001")!, role: .liaison, name: "赵联络员")))
    }

    @Test("a department's account sees no resident by grid and acts as its person at the department's desk")
    func departmentViewer() throws {
        let accounts = testAccounts()
        try accounts.add(name: "zhou", role: "department:water", actingAs: "周工", password: Self.password)
        let signedIn = try accounts.signIn(name: "zhou", password: Self.password, address: nil, as: .token)
        let viewer = try #require(try accounts.authenticate(signedIn.secret, as: .token)).viewer
        #expect(viewer.actor == .department(code: "water", person: "周工"))
        #expect(!viewer.disclosure.seesResidents(inGrid: GridCode("DC-017")!) && !viewer.disclosure.seesEveryone)
        #expect(throws: JobError.self) { try viewer.disclosure.residentArea(nil, instead: "ask the office") }
    }
}

@Suite("Accounts: signing in, sessions, tokens and the throttle")
struct AccountsSignInTests {
    static let password = AccountsUserTests.password

    static func withAdmin(_ clock: TestClock = TestClock()) throws -> (Accounts, InMemoryTownStore) {
        let store = InMemoryTownStore()
        let accounts = testAccounts(store, clock: clock)
        try accounts.add(name: "admin", role: "office", actingAs: "张主任", password: password)
        return (accounts, store)
    }

    @Test("the store keeps only the SHA-256 of a secret: the secret itself finds nothing there")
    func onlyDigestsAreStored() throws {
        let (accounts, store) = try Self.withAdmin()
        let signedIn = try accounts.signIn(name: "admin", password: Self.password, address: nil, as: .session)
        #expect(try store.accountBook.credential(digest: signedIn.secret) == nil)
        let digest = try #require(try accounts.authenticate(signedIn.secret, as: .session)).viewer.account
        #expect(digest == "admin")
        #expect(signedIn.secret.count == 43 && signedIn.csrf?.count == 43, "32 random bytes, base64url")
    }

    @Test("a wrong password and an unknown name get the same refusal")
    func refusalSaysNothingAboutNames() throws {
        let (accounts, _) = try Self.withAdmin()
        #expect(throws: SignInError.refused) { try accounts.signIn(name: "admin", password: "wrong password!", address: nil, as: .session) }
        #expect(throws: SignInError.refused) { try accounts.signIn(name: "nobody", password: Self.password, address: nil, as: .session) }
    }

    @Test("a session ends after 12 hours without use and lives on while used; a token ends 30 days after it was made, used or not")
    func expiry() throws {
        let clock = TestClock()
        let (accounts, _) = try Self.withAdmin(clock)
        let session = try accounts.signIn(name: "admin", password: Self.password, address: nil, as: .session)
        let token = try accounts.signIn(name: "admin", password: Self.password, address: nil, as: .token)
        #expect(session.expires == clock.now.addingTimeInterval(12 * 3600) && token.expires == clock.now.addingTimeInterval(30 * 86400))
        for _ in 0..<3 {
            clock.advance(minutes: 11 * 60)
            #expect(try accounts.authenticate(session.secret, as: .session) != nil, "used every 11 hours, it lives on")
        }
        clock.advance(minutes: 12 * 60 + 1)
        #expect(try accounts.authenticate(session.secret, as: .session) == nil, "12 hours idle")
        clock.advance(minutes: (30 * 24 - 45) * 60 - 2)
        #expect(try accounts.authenticate(token.secret, as: .token) != nil, "a minute before its 30 days")
        clock.advance(minutes: 2)
        #expect(try accounts.authenticate(token.secret, as: .token) == nil, "30 days after it was made")
    }

    @Test("a session's secret is no bearer token, nor a token's a session")
    func kindsDoNotMix() throws {
        let (accounts, _) = try Self.withAdmin()
        let session = try accounts.signIn(name: "admin", password: Self.password, address: nil, as: .session)
        let token = try accounts.signIn(name: "admin", password: Self.password, address: nil, as: .token)
        #expect(try accounts.authenticate(session.secret, as: .token) == nil)
        #expect(try accounts.authenticate(token.secret, as: .session) == nil)
        #expect(try accounts.authenticate("made-up", as: .token) == nil)
    }

    @Test("disabling an account or changing its password ends its sessions and tokens at once, and a disabled account signs in no more")
    func disableAndPasswdEndCredentials() throws {
        let (accounts, _) = try Self.withAdmin()
        try accounts.add(name: "wang", role: "resident", actingAs: nil, password: Self.password)
        let before = try accounts.signIn(name: "wang", password: Self.password, address: nil, as: .token)
        try accounts.changePassword(of: "wang", to: "another long password")
        #expect(try accounts.authenticate(before.secret, as: .token) == nil)
        #expect(throws: SignInError.refused) { try accounts.signIn(name: "wang", password: Self.password, address: nil, as: .token) }
        let session = try accounts.signIn(name: "wang", password: "another long password", address: nil, as: .session)
        let admin = try accounts.signIn(name: "admin", password: Self.password, address: nil, as: .session)
        try accounts.disable("wang")
        #expect(try accounts.authenticate(session.secret, as: .session) == nil)
        #expect(try accounts.authenticate(admin.secret, as: .session) != nil, "another account's session stays")
        #expect(throws: SignInError.refused) { try accounts.signIn(name: "wang", password: "another long password", address: nil, as: .session) }
        #expect(try accounts.users().first { $0.name == "wang" }?.disabled == true)
        #expect(throws: JobError.notFound("There is no account ghost.")) { try accounts.disable("ghost") }
    }

    @Test("after 5 failures for a name within 15 minutes, even the right password is refused for 15 minutes with the seconds to wait")
    func throttleByName() throws {
        let clock = TestClock()
        let (accounts, _) = try Self.withAdmin(clock)
        for attempt in 0..<5 {
            #expect(throws: SignInError.refused) { try accounts.signIn(name: "admin", password: "guess \(attempt) guess", address: "10.0.0.\(attempt)", as: .session) }
            clock.advance(minutes: 2)
        }
        // The fifth failure was 2 minutes ago: 13 minutes left.
        #expect(throws: SignInError.throttled(retryAfter: 13 * 60)) {
            try accounts.signIn(name: "admin", password: Self.password, address: "10.0.0.9", as: .session)
        }
        clock.advance(minutes: 12)
        #expect(throws: SignInError.throttled(retryAfter: 60)) { try accounts.signIn(name: "admin", password: Self.password, address: nil, as: .session) }
        clock.advance(minutes: 1)
        #expect(try accounts.signIn(name: "admin", password: Self.password, address: nil, as: .session).account.name == "admin")
    }

    @Test("failures spread over more than 15 minutes lock nothing; a success clears the name's count")
    func slowFailuresDoNotLock() throws {
        let clock = TestClock()
        let (accounts, _) = try Self.withAdmin(clock)
        for _ in 0..<8 {
            #expect(throws: SignInError.refused) { try accounts.signIn(name: "admin", password: "not the password", address: nil, as: .session) }
            clock.advance(minutes: 4)
        }
        _ = try accounts.signIn(name: "admin", password: Self.password, address: nil, as: .session)
        for _ in 0..<4 {
            #expect(throws: SignInError.refused) { try accounts.signIn(name: "admin", password: "not the password", address: nil, as: .session) }
        }
        _ = try accounts.signIn(name: "admin", password: Self.password, address: nil, as: .session)
    }

    @Test("after 5 failures from one address, whatever the names, that address is refused; another address is not")
    func throttleByAddress() throws {
        let (accounts, _) = try Self.withAdmin()
        for name in ["a", "b", "c", "d", "e"] {
            #expect(throws: SignInError.refused) { try accounts.signIn(name: name, password: "whatever it is", address: "192.0.2.7", as: .session) }
        }
        #expect(throws: SignInError.throttled(retryAfter: 15 * 60)) { try accounts.signIn(name: "admin", password: Self.password, address: "192.0.2.7", as: .session) }
        #expect(try accounts.signIn(name: "admin", password: Self.password, address: "192.0.2.8", as: .session).account.name == "admin")
    }

    @Test("a session accepts its own CSRF value only; a token has none")
    func csrf() throws {
        let (accounts, _) = try Self.withAdmin()
        let session = try accounts.signIn(name: "admin", password: Self.password, address: nil, as: .session)
        let authentication = try #require(try accounts.authenticate(session.secret, as: .session))
        #expect(authentication.accepts(csrf: session.csrf))
        #expect(!authentication.accepts(csrf: nil) && !authentication.accepts(csrf: "x") && !authentication.accepts(csrf: String(session.csrf!.dropLast()) + (session.csrf!.hasSuffix("A") ? "B" : "A")))
        let token = try accounts.signIn(name: "admin", password: Self.password, address: nil, as: .token)
        #expect(try !#require(try accounts.authenticate(token.secret, as: .token)).accepts(csrf: token.secret))
    }

    @Test("signing out ends the credential once")
    func signOut() throws {
        let (accounts, _) = try Self.withAdmin()
        let token = try accounts.signIn(name: "admin", password: Self.password, address: nil, as: .token)
        #expect(try accounts.signOut(token.secret))
        #expect(try !accounts.signOut(token.secret))
        #expect(try accounts.authenticate(token.secret, as: .token) == nil)
    }

    @Test("the audit log reads back what was recorded, in order, from a time on")
    func audit() throws {
        let clock = TestClock()
        let (accounts, _) = try Self.withAdmin(clock)
        try accounts.audit(account: "admin", address: "10.0.0.1", method: "GET", path: "/collections/residents/items", status: 200,
                           personalData: ["residents of DC-017: 212"])
        let start = clock.now
        clock.advance(minutes: 1)
        try accounts.audit(account: nil, address: nil, method: "POST", path: "/auth/login", status: 401, personalData: [])
        #expect(try accounts.auditRecords(since: nil).map(\.path) == ["/collections/residents/items", "/auth/login"])
        #expect(try accounts.auditRecords(since: start.addingTimeInterval(1)).map(\.status) == [401])
        #expect(try accounts.auditRecords(since: nil).first?.personalData == ["residents of DC-017: 212"])
    }
}

@Suite("An account's role through the application layer")
struct AccountRoleDisclosureTests {
    @Test("a grid worker of DC-017 asking for residents of DC-018, by grid, village, polygon or radius, gets nothing personal of DC-018")
    func gridWorkerSeesNoOtherGrid() throws {
        let geodata = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../geodata").standardized
        let store = InMemoryTownStore()
        try TownTransfer.importFolder(geodata.appendingPathComponent("dacun"), crs: nil, into: store)
        let accounts = testAccounts(store, desk: try EventDesk(store: store))
        try accounts.add(name: "wang", role: "grid-worker:DC-017", actingAs: "liaison", password: AccountsUserTests.password)
        let signedIn = try accounts.signIn(name: "wang", password: AccountsUserTests.password, address: nil, as: .token)
        let viewer = try #require(try accounts.authenticate(signedIn.secret, as: .token)).viewer
        let selection = try ResidentSelection(store: store)
        let dc018 = GridCode("DC-018")!
        let grid018 = try #require(selection.data.grids.first { $0.code == dc018 })
        #expect(throws: JobError.self) { try selection.residents(of: [], in: .code(.grid(dc018)), as: viewer.role) }
        #expect(throws: JobError.self) { try selection.residents(of: [], in: .code(.microGrid(dc018.microGrid(1)!)), as: viewer.role) }
        let office = try selection.residents(of: [], in: .within([grid018.geometry], source: "DC-018"), as: .office)
        #expect(!office.isEmpty, "DC-018 has residents for the office")
        let center = try #require(office.first?.location)
        let answers = [
            try selection.residents(of: [], in: .within([grid018.geometry], source: "DC-018"), as: viewer.role),
            try selection.residents(of: [], in: .around(Position(x: center.x, y: center.y), radius: 2000), as: viewer.role),
            try selection.residents(of: [], in: .village(grid018.villageCode), as: viewer.role),
            try selection.residents(of: [], in: .town, as: viewer.role),
        ]
        for answer in answers {
            #expect(answer.allSatisfy { $0.grid == GridCode("DC-017")! }, "only DC-017's residents, never DC-018's")
        }
        #expect(answers.last?.isEmpty == false, "a town-wide request answers with the worker's own grid")
    }
}
