import Postgres
import Testing

@Suite("A PostgreSQL connection string, as libpq reads it")
struct ConnectionStringTests {
    @Test("the servers a URI or key=value string names are counted, one when it names none")
    func hostCount() throws {
        #expect(try ConnectionString.hostCount("postgresql:///gridmap?host=/run/a,/run/b&port=5432,5433") == 2)
        #expect(try ConnectionString.hostCount("postgres://db1.example,db2.example,db3.example/gridmap") == 3)
        #expect(try ConnectionString.hostCount("host=/run/a dbname=gridmap") == 1)
        #expect(try ConnectionString.hostCount("dbname=gridmap") == 1)
    }

    @Test("a parameter is added in the string's own form, and libpq reads it back")
    func adding() throws {
        for conninfo in ["postgresql:///gridmap", "postgresql:///gridmap?host=/run/a", "host=/run/a dbname=gridmap"] {
            let added = ConnectionString.adding("target_session_attrs", "read-write", to: conninfo)
            #expect(try ConnectionString.value("target_session_attrs", in: added) == "read-write")
            #expect(try ConnectionString.value("dbname", in: added) == "gridmap")
        }
    }

    @Test("a string libpq cannot parse is an error with libpq's reason")
    func unparsable() {
        #expect(throws: PostgresError.self) { try ConnectionString.value("host", in: "host='/run/a") }
        #expect(throws: PostgresError.self) { try ConnectionString.value("host", in: "no_such_keyword=1") }
    }
}
