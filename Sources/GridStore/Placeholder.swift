import GRDB
public enum GridStorePlaceholder { public static func version() throws -> String { try DatabaseQueue().read { try String.fetchOne($0, sql: "select sqlite_version()")! } } }
