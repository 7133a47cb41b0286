import CPROJ

/// Facts about the PROJ library GridMap is linked with, for reports and benchmarks (speed and
/// results can change between PROJ releases).
public enum PROJLibrary {
    /// PROJ's release number, e.g. "9.1.1" (`proj_info().version`).
    public static var version: String {
        String(cString: proj_info().version)
    }
}
