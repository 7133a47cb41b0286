import Foundation
import Postgres
import PostgresTesting
import Testing

/// libpq through the Postgres module, against the tests' real server (``TestPostgres``).
@Suite("A PostgreSQL connection")
struct PostgresConnectionTests {
    private func connection() throws -> PostgresConnection {
        try PostgresConnection(TestPostgres.freshSchema())
    }

    @Test("parameters of every kind come back exactly, NULL as nil")
    func parametersRoundTrip() throws {
        let db = try connection()
        let doubles = [0.1, -1e-300, 1.0 / 3.0, 123456789.123456789, .infinity]
        for number in doubles {
            let row = try db.query("SELECT $1::float8", [number])[0]
            #expect(try row.double(0)?.bitPattern == number.bitPattern)
        }
        let row = try db.query("SELECT $1::text, $2::int8, $3::int4, $4::bytea, $5::boolean, $6::text",
                               ["大村 \"quoted\" \\ '", Int.min, -7, [UInt8](arrayLiteral: 0, 255, 92, 39), true, nil])[0]
        #expect(try row.string(0) == "大村 \"quoted\" \\ '")
        #expect(try row.integer(1) == Int.min)
        #expect(try row.integer(2) == -7)
        #expect(try row.bytes(3) == [0, 255, 92, 39])
        #expect(try row.boolean(4) == true)
        #expect(try row.string(5) == nil)
        #expect(row.isNull(5))
    }

    @Test("a column read as the wrong type is an error naming the column, not a wrong value")
    func wrongType() throws {
        let row = try connection().query("SELECT 42::int4 AS answer")[0]
        #expect(throws: PostgresError.self) { try row.string(0) }
        do {
            _ = try row.bytes(0)
        } catch {
            #expect(error.message.contains("answer"))
        }
    }

    @Test("a failing statement throws the server's SQLSTATE and message")
    func errorsCarrySQLState() throws {
        let db = try connection()
        try db.script("CREATE TABLE t (id text PRIMARY KEY)")
        try db.query("INSERT INTO t VALUES ($1)", ["a"])
        do {
            try db.query("INSERT INTO t VALUES ($1)", ["a"])
            Issue.record("a duplicate key was accepted")
        } catch {
            #expect(error.isUniqueViolation)
            #expect(error.sqlState == "23505")
            #expect(error.description.contains("duplicate key"))
        }
        #expect(throws: PostgresError.self) { try db.query("SELECT * FROM no_such_table") }
        // The connection is usable after an error outside a transaction.
        #expect(try db.query("SELECT count(*) FROM t")[0].integer(0) == 1)
    }

    @Test("a wrong address fails at connection with libpq's reason")
    func cannotConnect() {
        do {
            _ = try PostgresConnection("postgresql:///postgres?host=/nonexistent-gridmap-folder&port=1")
            Issue.record("connected to nothing")
        } catch {
            #expect(error.sqlState == nil)
            #expect(error.message.hasPrefix("cannot connect"))
        }
    }

    @Test("binary COPY loads every row exactly, and a copy that fails loads nothing")
    func copyRows() throws {
        let db = try connection()
        try db.script("CREATE TABLE c (n int8, x float8, s text, b bytea, k boolean)")
        let count = 30_000
        let loaded = try db.copy("COPY c FROM STDIN (FORMAT binary)") { writer in
            for n in 0..<count {
                try writer.beginRow(columns: 5)
                writer.add(n)
                writer.add(Double(n) / 7)
                writer.add(n % 2 == 0 ? "行 \(n)" : nil)
                writer.add(bytes: [UInt8(n % 256)])
                writer.add(n % 3 == 0)
            }
        }
        #expect(loaded == count)
        let row = try db.query("SELECT count(*), sum(n)::int8, max(x), count(s) FROM c")[0]
        #expect(try row.integer(0) == count)
        #expect(try row.integer(1) == count * (count - 1) / 2)
        #expect(try row.double(2) == Double(count - 1) / 7)
        #expect(try row.integer(3) == count / 2)
        #expect(try db.query("SELECT s, b FROM c WHERE n = 10")[0].string(0) == "行 10")

        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try db.transaction {
                try db.copy("COPY c FROM STDIN (FORMAT binary)") { writer in
                    try writer.beginRow(columns: 5)
                    writer.add(1); writer.add(1.0); writer.add("x"); writer.add(bytes: []); writer.add(false)
                    throw Stop()
                }
            }
        }
        #expect(try db.query("SELECT count(*) FROM c")[0].integer(0) == count)
        #expect(db.isIdle)
    }

    @Test("a transaction that throws is rolled back, one that returns is committed")
    func transactions() throws {
        let db = try connection()
        try db.script("CREATE TABLE t (n int8)")
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try db.transaction {
                try db.query("INSERT INTO t VALUES (1)")
                throw Stop()
            }
        }
        try db.transaction { try db.query("INSERT INTO t VALUES (2)") }
        #expect(try db.query("SELECT n FROM t").rows.map { try $0.integer(0) } == [2])
    }

    @Test("a pool lends each connection to one caller at a time, across threads")
    func poolAcrossThreads() throws {
        let pool = try PostgresPool(TestPostgres.freshSchema(), keep: 4)
        try pool.withConnection { try $0.script("CREATE TABLE hits (worker int8, n int8)") }
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for n in 0..<25 {
                try? pool.withConnection { db in
                    try db.transaction {
                        try db.query("INSERT INTO hits VALUES ($1, $2)", [worker, n])
                        // Each caller sees its own transaction's row: nobody else is on this connection.
                        #expect(try db.query("SELECT count(*) FROM hits WHERE worker = $1 AND n = $2", [worker, n])[0].integer(0) == 1)
                    }
                }
            }
        }
        #expect(try pool.withConnection { try $0.query("SELECT count(*) FROM hits")[0].integer(0) } == 200)
    }
}
