import Foundation

extension TownFolder {
    /// What a folder that a town folder is about to be written to holds now: what writing there
    /// would replace.
    public enum Target: Sendable, Hashable {
        /// Nothing there yet.
        case absent
        /// An empty folder.
        case empty
        /// A town folder whose manifest says `"personalDataMasked": true`: an export for
        /// reading, not a town (it cannot be imported), so replacing it loses nothing.
        case maskedExport
        /// A town folder with names and phones in full — an importable town, such as the folder
        /// a store was imported from; `residents` is its manifest's count, when it gives one.
        case fullTown(residents: Int?)
        /// Not a town folder: a file, a folder of other things, or a manifest that is not a
        /// town's. `what` says what is there, in words.
        case foreign(what: String)
    }

    /// The names in a town folder that are the town itself (and are replaced when it is
    /// rewritten): the manifest, every GeoJSON layer, residents.csv, team.csv and any point layer
    /// given as CSV. Anything else (a README, .gitattributes) is the folder owner's and is kept.
    static func isTownFile(_ name: String) -> Bool {
        name == manifestFile || name.hasSuffix(".geojson") || name.hasSuffix(".csv")
    }

    /// Looks at `directory` (symbolic links followed) to tell what writing a town folder there
    /// would replace. Reads only the directory listing and manifest.json.
    public static func target(at directory: URL) -> Target {
        let path = directory.path
        var status = stat()
        guard stat(path, &status) == 0 else {
            return errno == ENOENT ? .absent : .foreign(what: "something that cannot be examined (\(String(cString: strerror(errno))))")
        }
        guard status.st_mode & S_IFMT == S_IFDIR else { return .foreign(what: "a file, not a folder") }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        } catch {
            return .foreign(what: "a folder whose contents cannot be listed (\(FileError.describe(error)))")
        }
        if names.isEmpty { return .empty }
        guard names.contains(manifestFile) else { return .foreign(what: "a folder that is not a town folder (no \(manifestFile)); it holds \(listed(names))") }
        let manifestPath = directory.appendingPathComponent(manifestFile).path
        guard let bytes = FileManager.default.contents(atPath: manifestPath) else {
            return .foreign(what: "a folder whose \(manifestFile) cannot be read")
        }
        guard let manifest = (try? JSONSerialization.jsonObject(with: bytes)) as? [String: Any],
              (manifest["format"] as? String).map({ $0 == formatName }) ?? (manifest["code"] != nil && manifest["workingCRS"] != nil)
        else {
            return .foreign(what: "a folder whose \(manifestFile) is not a town folder's manifest; it holds \(listed(names))")
        }
        if manifest["personalDataMasked"] as? Bool == true { return .maskedExport }
        return .fullTown(residents: (manifest["counts"] as? [String: Any])?["residents"] as? Int)
    }

    /// At most five names, then how many more: "a.txt, b.txt and 3 more".
    private static func listed(_ names: [String]) -> String {
        let shown = names.prefix(5).joined(separator: ", ")
        return names.count > 5 ? "\(shown) and \(names.count - 5) more" : shown
    }
}
