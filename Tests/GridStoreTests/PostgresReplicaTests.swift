import Foundation
import GridMapCore
import Postgres
import PostgresTesting
import Testing
@testable import GridStore

/// A primary with a hot standby (PostgreSQL streaming replication, two local clusters on unix
/// sockets) behind one store: the town's reads are served while either server is down, and
/// writes go to the primary only.
@Suite("The PostgreSQL store on a primary and a hot standby")
struct PostgresReplicaTests {
    @Test("with the primary stopped the standby answers the town's reads and an import is refused; with the standby stopped the primary answers them")
    func readsSurviveEitherServerStopping() throws {
        let pair = try TestPostgres.startPair()
        defer { try? TestPostgres.stop(pair.uri) }
        let store = try PostgresTownStore(uri: pair.uri)
        try store.importTown(SyntheticTown.data, source: "synthetic")
        // The standby shows the import once it has replayed it (a standby lags by its replication lag).
        try Self.waitForReplay(primary: pair.primary, standby: pair.standby)
        let summary = try store.summary()
        let residents = try store.residents()
        #expect(summary.residents > 0)

        try TestPostgres.pause(pair.primary)
        #expect(try store.summary() == summary)
        #expect(try store.residents() == residents)
        #expect(throws: StoreError.self) { try store.importTown(SyntheticTown.data, source: "while the primary is down") }
        try TestPostgres.resume(pair.primary)

        try TestPostgres.pause(pair.standby)
        #expect(try store.summary() == summary)
        #expect(try store.residents() == residents)
        try TestPostgres.resume(pair.standby)
    }

    @Test("a store given a primary and a standby writes on the primary and reads the town from the standby")
    func readsGoToTheStandby() throws {
        let pair = try TestPostgres.startPair()
        defer { try? TestPostgres.stop(pair.uri) }
        let store = try PostgresTownStore(uri: pair.uri)
        #expect(try store.pool.withConnection { try $0.isStandby() } == false)
        #expect(try store.townReads.withConnection { try $0.isStandby() } == true)
        // One server, or a list whose choice the user made, is used as given, for both.
        let single = try PostgresTownStore(uri: try TestPostgres.freshSchema())
        #expect(single.pool === single.townReads)
    }

    /// Waits until the standby has replayed everything the primary has written (at most 30 s).
    static func waitForReplay(primary: String, standby: String) throws {
        let row = try PostgresConnection("host=\(primary) port=5432 user=postgres dbname=postgres").query("SELECT pg_current_wal_lsn()::text")[0]
        let written = try row.required(0, row.string)
        let replica = try PostgresConnection("host=\(standby) port=5432 user=postgres dbname=postgres")
        for _ in 0..<300 {
            if try replica.query("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", [written])[0].boolean(0) == true { return }
            usleep(100_000)
        }
        Issue.record("the standby did not replay the primary's writes within 30 s")
    }
}
