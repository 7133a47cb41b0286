import CPROJ
public enum PROJPlaceholder { public static func v() -> String { String(cString: proj_info().version) } }
