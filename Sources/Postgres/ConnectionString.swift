import CLibPQ

/// What libpq reads in a connection string (a `postgres://` URI or `key=value` pairs), and the
/// same string with a parameter added: how a store finds whether it was given several servers.
public enum ConnectionString {
    /// The value of `keyword` (`host`, `port`, `target_session_attrs`, …) as libpq parses
    /// `conninfo`; nil when it is not set. A string libpq cannot parse is an error with its reason.
    public static func value(_ keyword: String, in conninfo: String) throws(PostgresError) -> String? {
        var message: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &message) else {
            let reason = message.map { String(cString: $0) } ?? "libpq could not parse it"
            if let message { PQfreemem(message) }
            throw PostgresError(sqlState: nil, message: "not a PostgreSQL connection string: \(reason.trimmingWhitespace)")
        }
        defer { PQconninfoFree(options) }
        var option = options
        while let name = option.pointee.keyword {
            if String(cString: name) == keyword { return option.pointee.val.map { String(cString: $0) } }
            option += 1
        }
        return nil
    }

    /// The servers `conninfo` names: libpq takes a comma-separated list of hosts and tries them
    /// in turn (one primary and its hot standbys, say).
    public static func hostCount(_ conninfo: String) throws(PostgresError) -> Int {
        var hosts = try value("host", in: conninfo)
        if hosts == nil { hosts = try value("hostaddr", in: conninfo) }
        guard let hosts else { return 1 }
        return hosts.split(separator: ",", omittingEmptySubsequences: false).count
    }

    /// `conninfo` with `keyword=value` added, in its own form: a URI query parameter, or one more
    /// `key=value` pair. `value` must need no quoting or escaping (the keywords' values do not).
    public static func adding(_ keyword: String, _ value: String, to conninfo: String) -> String {
        if conninfo.hasPrefix("postgres://") || conninfo.hasPrefix("postgresql://") {
            return conninfo + (conninfo.contains("?") ? "&" : "?") + "\(keyword)=\(value)"
        }
        return conninfo + " \(keyword)=\(value)"
    }

    /// `conninfo` whose sessions work in `schemas` (`search_path`, set by the `options` keyword,
    /// which replaces any the connection string had). The schema names must be plain lower-case
    /// identifiers (letters, digits, `_`), which need no quoting.
    public static func searchingSchemas(_ schemas: [String], in conninfo: String) -> String {
        let isURI = conninfo.hasPrefix("postgres://") || conninfo.hasPrefix("postgresql://")
        let path = schemas.joined(separator: isURI ? "%2C" : ",")
        return adding("options", isURI ? "-csearch_path%3D\(path)" : "-csearch_path=\(path)", to: conninfo)
    }
}
