import GridMapCore
import Foundation
import GeoJSON
import GridMapApp

/// The features API's HTML pages: plain, made here without a framework or script, each linking
/// to its JSON and back up the tree. Every value written into a page goes through ``Markup.escape(_:)``.
enum FeaturesHTML {
    static func page(title: String, here: FeaturesRequest, trail: [(String, String)], json: String, body: String) -> String {
        let crumbs = trail.map { "<a href=\"\(Markup.escape($0.1))\">\(Markup.escape($0.0))</a>" }.joined(separator: " › ")
        return """
            <!doctype html>
            <html lang="zh-Hans">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Markup.escape(title))</title>
            <style>
            body { font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif; margin: 1em; max-width: 70em; }
            table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
            nav { margin-bottom: 1em; }
            </style>
            </head>
            <body>
            <nav>\(crumbs) · <a href="\(Markup.escape(json))">JSON</a></nav>
            <h1>\(Markup.escape(title))</h1>
            \(body)
            </body>
            </html>

            """
    }

    static func landing(title: String, description: String, here: FeaturesRequest) -> String {
        page(title: title, here: here, trail: [("首页 Home", here.url("/", ["f": "html"]))], json: here.url("/", ["f": "json"]), body: """
            <p>\(Markup.escape(description))</p>
            <ul>
            <li><a href="\(Markup.escape(here.url("/collections", ["f": "html"])))">集合 Collections</a></li>
            <li><a href="\(Markup.escape(here.url("/conformance", ["f": "html"])))">Conformance</a></li>
            <li><a href="\(Markup.escape(here.url("/api")))">API definition (OpenAPI 3.0, JSON)</a></li>
            </ul>
            """)
    }

    static func conformance(_ classes: [String], here: FeaturesRequest) -> String {
        page(title: "Conformance", here: here, trail: home(here), json: here.url("/conformance", ["f": "json"]),
             body: "<ul>\n" + classes.map { "<li>\(Markup.escape($0))</li>" }.joined(separator: "\n") + "\n</ul>")
    }

    static func collections(_ list: [CollectionDescription], here: FeaturesRequest) -> String {
        let rows = list.map { description in
            "<tr><td><a href=\"\(Markup.escape(here.url("/collections/\(description.id)", ["f": "html"])))\">\(Markup.escape(description.id))</a></td>"
                + "<td>\(Markup.escape(description.title))</td><td>\(Markup.escape(description.description))</td></tr>"
        }
        return page(title: "集合 Collections", here: here, trail: home(here), json: here.url("/collections", ["f": "json"]),
                    body: "<table>\n<tr><th>id</th><th>title</th><th>description</th></tr>\n" + rows.joined(separator: "\n") + "\n</table>")
    }

    static func collection(_ description: CollectionDescription, here: FeaturesRequest) -> String {
        let path = "/collections/\(description.id)"
        var body = "<p>\(Markup.escape(description.description))</p>\n"
        body += "<p><a href=\"\(Markup.escape(here.url(path + "/items", ["f": "html"])))\">Items</a> · "
        body += "<a href=\"\(Markup.escape(here.url(path + "/items", ["f": "json"])))\">Items as GeoJSON</a></p>\n"
        if let box = description.bbox {
            body += "<p>Extent (CRS84): \(box.map { String($0) }.joined(separator: ", "))</p>\n"
        }
        let filters = description.queryables.map { "<li><code>\(Markup.escape($0.name))</code>: \(Markup.escape($0.title))</li>" }
        body += filters.isEmpty ? "<p>No property filters.</p>" : "<p>Filters:</p>\n<ul>\n" + filters.joined(separator: "\n") + "\n</ul>"
        return page(title: description.title, here: here, trail: home(here) + [("集合 Collections", here.url("/collections", ["f": "html"]))],
                    json: here.url(path, ["f": "json"]), body: body)
    }

    static func items(_ page: ItemPage, of description: CollectionDescription, query: ItemQuery, links: [[String: Any]], here: FeaturesRequest) -> String {
        let path = "/collections/\(description.id)"
        var columns: [String] = []
        for feature in page.features {
            for member in feature.properties ?? [:] where !columns.contains(member.key) { columns.append(member.key) }
        }
        var body = "<p>\(page.numberMatched) matched; items \(page.features.isEmpty ? 0 : query.offset + 1)–\(query.offset + page.features.count).</p>\n"
        let paging = links.compactMap { link -> String? in
            guard let rel = link["rel"] as? String, rel == "prev" || rel == "next", let href = link["href"] as? String else { return nil }
            return "<a rel=\"\(rel)\" href=\"\(Markup.escape(href))\">\(rel == "prev" ? "‹ previous" : "next ›")</a>"
        }
        if !paging.isEmpty { body += "<p>" + paging.joined(separator: " · ") + "</p>\n" }
        body += "<table>\n<tr><th>id</th><th>geometry</th>" + columns.map { "<th>\(Markup.escape($0))</th>" }.joined() + "</tr>\n"
        for feature in page.features {
            let id = feature.id.map(text) ?? ""
            body += "<tr><td><a href=\"\(Markup.escape(here.url(path + "/items/" + FeaturesRequest.escapePath(id), ["f": "html"])))\">\(Markup.escape(id))</a></td>"
            body += "<td>\(Markup.escape(feature.geometry?.typeName ?? "none"))</td>"
            body += columns.map { "<td>\(Markup.escape(feature.properties?[$0].map(text) ?? ""))</td>" }.joined() + "</tr>\n"
        }
        body += "</table>"
        let json = links.first { $0["rel"] as? String == "alternate" }?["href"] as? String ?? here.url(path + "/items")
        return self.page(title: description.title, here: here,
                         trail: home(here) + [("集合 Collections", here.url("/collections", ["f": "html"])), (description.title, here.url(path, ["f": "html"]))],
                         json: json, body: body)
    }

    static func item(_ feature: Feature, of description: CollectionDescription, here: FeaturesRequest) -> String {
        let path = "/collections/\(description.id)"
        let id = feature.id.map(text) ?? ""
        var body = "<table>\n<tr><th>geometry</th><td>\(Markup.escape(feature.geometry?.typeName ?? "none"))"
        if case .point(let p)? = feature.geometry { body += " \(p.x), \(p.y)" }
        body += "</td></tr>\n"
        for member in feature.properties ?? [:] {
            body += "<tr><th>\(Markup.escape(member.key))</th><td>\(Markup.escape(text(member.value)))</td></tr>\n"
        }
        body += "</table>"
        return page(title: "\(description.title): \(id)", here: here,
                    trail: home(here) + [("集合 Collections", here.url("/collections", ["f": "html"])), (description.title, here.url(path, ["f": "html"])),
                                         ("items", here.url(path + "/items", ["f": "html"]))],
                    json: here.url(path + "/items/" + FeaturesRequest.escapePath(id), ["f": "json"]), body: body)
    }

    private static func home(_ here: FeaturesRequest) -> [(String, String)] { [("首页 Home", here.url("/", ["f": "html"]))] }

    private static func text(_ id: FeatureID) -> String {
        switch id {
        case .string(let text): text
        case .number(let number): number.text
        }
    }

    /// A property value as a reader reads it: strings bare, lists joined, the rest as JSON.
    private static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .number(let number): number.text
        case .bool(let flag): flag ? "true" : "false"
        case .null: ""
        case .array(let values): values.map(text).joined(separator: ", ")
        case .object(let object): object.map { "\($0.key): \(text($0.value))" }.joined(separator: "; ")
        }
    }
}
