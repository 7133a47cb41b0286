import Foundation
import GridMapApp
import Hummingbird

/// The files the web map is made of: its page, script and style, compiled into the server (Swift
/// string constants, so that the one `gridmap` executable is the whole server, with no resource
/// bundle to lose when it is copied elsewhere), and Leaflet, which GridMap does not ship: it is
/// Debian's `libjs-leaflet`, read once when the server starts from
/// `/usr/share/javascript/leaflet`. Nothing is fetched from the internet, by the server or the page.
///
/// When Leaflet is missing the server still starts (every API works without it), and the map's
/// page and Leaflet's files answer 503 with a problem document naming the package to install.
struct WebMapAssets: Sendable {
    /// Where Debian's libjs-leaflet puts Leaflet.
    static let debianLeaflet = "/usr/share/javascript/leaflet"

    /// One file as served: its bytes and media type.
    struct File: Sendable {
        var body: ByteBuffer
        var contentType: String
    }

    /// Leaflet's script, style and the images its style names (`images/layers.png`, …), by the
    /// path under `/map/assets/`; or why they could not be read.
    let leaflet: Result<[String: File], ProblemDocument>

    /// The page's own files, by the path under `/map/assets/`.
    static let ownFiles: [String: File] = [
        "gridmap.js": File(body: ByteBuffer(string: WebMapScript.source), contentType: "text/javascript; charset=utf-8"),
        "gridmap.css": File(body: ByteBuffer(string: WebMapStyle.source), contentType: "text/css; charset=utf-8"),
        "icon.svg": File(body: ByteBuffer(string: icon), contentType: "image/svg+xml"),
    ]

    /// The page's icon (a browser asks for one; without it every visit logs a failed load): four
    /// cells in the map's colours.
    static let icon = ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="2" fill="#1f3f66"/><path d="M2 2h5v5H2zM9 2h5v5H9zM2 9h5v5H2zM9 9h5v5H9z" fill="#dfe9f5"/></svg>"##

    /// Reads Leaflet from `directory` (Debian's by default).
    init(leafletDirectory directory: String = debianLeaflet) {
        leaflet = Self.readLeaflet(from: directory)
    }

    /// The file at `path` under `/map/assets/`, a 404 problem if there is none, or 503 if it is
    /// Leaflet's and Leaflet is missing.
    func file(_ path: String) throws(ProblemDocument) -> File {
        if let own = Self.ownFiles[path] { return own }
        let files = try leaflet.get()
        guard let file = files[path] else {
            throw ProblemDocument(status: .notFound, detail: "The web map has no file \(path).")
        }
        return file
    }

    /// Throws the 503 problem when Leaflet is missing: the page without it would be a blank map.
    func checkLeaflet() throws(ProblemDocument) {
        _ = try leaflet.get()
    }

    private static func readLeaflet(from directory: String) -> Result<[String: File], ProblemDocument> {
        let folder = URL(fileURLWithPath: directory)
        var files: [String: File] = [:]
        for (name, type) in [("leaflet.js", "text/javascript; charset=utf-8"), ("leaflet.css", "text/css; charset=utf-8")] {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else {
                return .failure(ProblemDocument(
                    status: .serviceUnavailable,
                    detail: "The web map needs Leaflet from Debian's libjs-leaflet package, and \(directory)/\(name) cannot be read: install it (apt-get install libjs-leaflet, or tools/setup) and restart gridmap serve."))
            }
            files[name] = File(body: ByteBuffer(bytes: data), contentType: type)
        }
        // The images Leaflet's style refers to (the layer switcher's icon, the default marker).
        let images = folder.appendingPathComponent("images")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: images.path)) ?? []
        for name in names where name.hasSuffix(".png") {
            if let data = FileManager.default.contents(atPath: images.appendingPathComponent(name).path) {
                files["images/\(name)"] = File(body: ByteBuffer(bytes: data), contentType: "image/png")
            }
        }
        return .success(files)
    }
}
