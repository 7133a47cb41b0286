import CGEOS
public enum GEOSPlaceholder { public static func v() -> String { String(cString: GEOSversion()) } }
