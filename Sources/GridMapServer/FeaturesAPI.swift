import Foundation
import GeoJSON
import GridMapApp
import Hummingbird

extension GridMapServer {
    /// The routes of OGC API – Features, Part 1 Core (conformance classes core, geojson, html,
    /// oas30): the landing page `/`, `/conformance`, `/api` (the OpenAPI document of the whole
    /// server), `/collections`, `/collections/{id}`, its `items` and `items/{featureId}`, and its
    /// `queryables`. Every answer in JSON (GeoJSON for features) or HTML, chosen by `f=json|html`,
    /// else by the Accept header (JSON unless HTML is preferred).
    ///
    /// What exists and what each viewer sees is ``FeatureCollections``' (GridMapApp); these routes
    /// parse, ask it with the request's viewer, note any personal data handed out, and write.
    static func addFeatureRoutes(to router: Router<ServerContext>, _ services: ServerServices) {
        // Made once, when the router is: the town's layers are read and indexed here.
        let made = Result { () throws(JobError) in try FeatureCollections(service: services.town) }
        let api = FeaturesAPI(made: made, townName: services.town.name)

        router.get("/") { request, context in try api.landingPage(request, context) }
        router.get("conformance") { request, context in try api.conformance(request, context) }
        router.get("api") { request, context in try api.openAPI(request, context) }
        router.get("collections") { request, context in try api.collections(request, context) }
        router.get("collections/:collectionId") { request, context in try api.collection(request, context) }
        router.get("collections/:collectionId/queryables") { request, context in try api.queryables(request, context) }
        router.get("collections/:collectionId/items") { request, context in try api.items(request, context) }
        router.get("collections/:collectionId/items/:featureId") { request, context in try api.item(request, context) }
    }
}

/// The answers of the features routes: JSON and HTML of one request each.
struct FeaturesAPI: Sendable {
    let made: Result<FeatureCollections, JobError>
    let townName: String

    static let geoJSON = "application/geo+json"
    static let json = "application/json"
    static let html = "text/html; charset=utf-8"
    static let openAPIType = "application/vnd.oai.openapi+json;version=3.0"
    static let conformanceClasses = [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    ]

    var featureCollections: FeatureCollections {
        get throws(JobError) { try made.get() }
    }

    // MARK: Routes

    func landingPage(_ request: Request, _ context: ServerContext) throws -> Response {
        let here = FeaturesRequest(request)
        let format = try here.format()
        let links: [[String: Any]] = [
            here.link("/", rel: "self", type: format.mediaType, title: "This document"),
            here.link("/", rel: "alternate", type: format.other.mediaType, title: "This document as \(format.other.name)", f: format.other),
            here.link("/api", rel: "service-desc", type: Self.openAPIType, title: "The API definition (OpenAPI 3.0)"),
            here.link("/conformance", rel: "conformance", type: Self.json, title: "Conformance classes"),
            here.link("/collections", rel: "data", type: Self.json, title: "The collections"),
        ]
        let title = "\(townName) GridMap"
        let description = "The grid map of \(townName) as OGC API – Features: grids, micro-grids, villages, every feature layer, events and activities (and residents, for those signed in who may see them)."
        switch format {
        case .json:
            return try Self.jsonResponse(["title": title, "description": description, "links": links], type: Self.json)
        case .html:
            return Self.htmlResponse(FeaturesHTML.landing(title: title, description: description, here: here))
        }
    }

    func conformance(_ request: Request, _ context: ServerContext) throws -> Response {
        let here = FeaturesRequest(request)
        switch try here.format() {
        case .json: return try Self.jsonResponse(["conformsTo": Self.conformanceClasses], type: Self.json)
        case .html: return Self.htmlResponse(FeaturesHTML.conformance(Self.conformanceClasses, here: here))
        }
    }

    func openAPI(_ request: Request, _ context: ServerContext) throws -> Response {
        let here = FeaturesRequest(request)
        if let f = request.uri.queryParameters["f"], f != "json" {
            throw JobError.invalidRequest("f=\(f): the API definition is served as JSON only (f=json).")
        }
        let document = OpenAPIDocument.document(serverURL: here.base, title: "\(townName) GridMap", collections: try featureCollections)
        return try Self.jsonResponse(document, type: Self.openAPIType)
    }

    func collections(_ request: Request, _ context: ServerContext) throws -> Response {
        let here = FeaturesRequest(request)
        let format = try here.format()
        let list = try featureCollections.collections(for: context.viewer)
        switch format {
        case .json:
            let body: [String: Any] = [
                "links": [
                    here.link("/collections", rel: "self", type: Self.json, title: "The collections"),
                    here.link("/collections", rel: "alternate", type: "text/html", title: "The collections as HTML", f: .html),
                ],
                "collections": list.map { collectionJSON($0, here) },
            ]
            return try Self.jsonResponse(body, type: Self.json)
        case .html:
            return Self.htmlResponse(FeaturesHTML.collections(list, here: here))
        }
    }

    func collection(_ request: Request, _ context: ServerContext) throws -> Response {
        let here = FeaturesRequest(request)
        let format = try here.format()
        let description = try featureCollections.collection(try here.collectionID(context), for: context.viewer)
        switch format {
        case .json: return try Self.jsonResponse(collectionJSON(description, here), type: Self.json)
        case .html: return Self.htmlResponse(FeaturesHTML.collection(description, here: here))
        }
    }

    /// The collection's property filters as a JSON Schema (OGC API – Features Part 3's shape).
    func queryables(_ request: Request, _ context: ServerContext) throws -> Response {
        let here = FeaturesRequest(request)
        let description = try featureCollections.collection(try here.collectionID(context), for: context.viewer)
        var properties: [String: Any] = [:]
        for queryable in description.queryables {
            properties[queryable.name] = ["title": queryable.title, "type": "string"]
        }
        let body: [String: Any] = [
            "$schema": "https://json-schema.org/draft/2019-09/schema",
            "$id": here.base + "/collections/\(description.id)/queryables",
            "type": "object", "title": description.title, "properties": properties,
        ]
        return try Self.jsonResponse(body, type: "application/schema+json")
    }

    func items(_ request: Request, _ context: ServerContext) throws -> Response {
        let here = FeaturesRequest(request)
        let format = try here.format()
        let id = try here.collectionID(context)
        let parameters = try FeatureParameters.parameters(of: request)
        let query = try FeatureParameters.itemQuery(parameters)
        let description = try featureCollections.collection(id, for: context.viewer)
        let page = try featureCollections.items(id, query, for: context.viewer)
        if let personal = page.personalData { context.note.readPersonalData(personal) }

        let path = "/collections/\(id)/items"
        var links: [[String: Any]] = [
            here.link(path, rel: "self", type: format.featureType, title: "This page", parameters: parameters),
            here.link(path, rel: "alternate", type: format.other.featureType, title: "This page as \(format.other.name)", parameters: parameters, f: format.other),
            here.link("/collections/\(id)", rel: "collection", type: Self.json, title: description.title),
        ]
        if query.offset + page.features.count < page.numberMatched {
            var next = parameters
            next["offset"] = String(query.offset + query.limit)
            links.append(here.link(path, rel: "next", type: format.featureType, title: "The next page", parameters: next))
        }
        if query.offset > 0 {
            var previous = parameters
            previous["offset"] = String(max(0, query.offset - query.limit))
            links.append(here.link(path, rel: "prev", type: format.featureType, title: "The previous page", parameters: previous))
        }
        switch format {
        case .json:
            let members: JSONObject = [
                "numberMatched": .number(JSONNumber(page.numberMatched)),
                "numberReturned": .number(JSONNumber(page.features.count)),
                "timeStamp": .string(Date().formatted(.iso8601)),
                "links": Self.jsonValue(links),
            ]
            let bytes = try GeoJSONWriter.encode(FeatureCollection(features: page.features, foreignMembers: members))
            return Self.bytesResponse(bytes, type: Self.geoJSON)
        case .html:
            return Self.htmlResponse(FeaturesHTML.items(page, of: description, query: query, links: links, here: here))
        }
    }

    func item(_ request: Request, _ context: ServerContext) throws -> Response {
        let here = FeaturesRequest(request)
        let format = try here.format()
        let id = try here.collectionID(context)
        guard let featureID = context.parameters.get("featureId")?.removingPercentEncoding else {
            throw JobError.invalidRequest("Name a feature: /collections/\(id)/items/{featureId}.")
        }
        let description = try featureCollections.collection(id, for: context.viewer)
        let found = try featureCollections.item(id, featureID: featureID, for: context.viewer)
        if let personal = found.personalData { context.note.readPersonalData(personal) }
        let path = "/collections/\(id)/items/\(FeaturesRequest.escapePath(featureID))"
        let links: [[String: Any]] = [
            here.link(path, rel: "self", type: format.featureType, title: "This feature"),
            here.link(path, rel: "alternate", type: format.other.featureType, title: "This feature as \(format.other.name)", f: format.other),
            here.link("/collections/\(id)", rel: "collection", type: Self.json, title: description.title),
        ]
        switch format {
        case .json:
            var feature = found.feature
            feature.foreignMembers["links"] = Self.jsonValue(links)
            return Self.bytesResponse(try GeoJSONWriter.encode(feature), type: Self.geoJSON)
        case .html:
            return Self.htmlResponse(FeaturesHTML.item(found.feature, of: description, here: here))
        }
    }

    // MARK: Documents

    func collectionJSON(_ description: CollectionDescription, _ here: FeaturesRequest) -> [String: Any] {
        let path = "/collections/\(description.id)"
        var extent: [String: Any] = [:]
        if let box = description.bbox {
            extent["spatial"] = ["bbox": [box], "crs": FeatureParameters.crs84]
        }
        if description.hasTime {
            extent["temporal"] = ["interval": [[NSNull(), NSNull()]], "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"]
        }
        return [
            "id": description.id, "title": description.title, "description": description.description,
            "itemType": "feature", "crs": [FeatureParameters.crs84], "extent": extent,
            "links": [
                here.link(path, rel: "self", type: Self.json, title: description.title),
                here.link(path, rel: "alternate", type: "text/html", title: "\(description.title) as HTML", f: .html),
                here.link(path + "/items", rel: "items", type: Self.geoJSON, title: "The items as GeoJSON"),
                here.link(path + "/items", rel: "items", type: "text/html", title: "The items as HTML", f: .html),
                here.link(path + "/queryables", rel: "http://www.opengis.net/def/rel/ogc/1.0/queryables", type: "application/schema+json",
                          title: "What the items may be filtered by"),
            ],
        ]
    }

    // MARK: Responses

    static func jsonResponse(_ object: Any, type: String) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return bytesResponse(Array(data), type: type)
    }

    static func bytesResponse(_ bytes: [UInt8], type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func htmlResponse(_ page: String) -> Response {
        bytesResponse(Array(page.utf8), type: html)
    }

    /// Links (plain JSON objects of strings) as a GeoJSON foreign member.
    static func jsonValue(_ links: [[String: Any]]) -> JSONValue {
        .array(links.map { link in
            var object = JSONObject()
            for key in link.keys.sorted() { object[key] = (link[key] as? String).map(JSONValue.string) ?? .null }
            return .object(object)
        })
    }
}

/// The JSON and HTML of the answers.
enum FeaturesFormat {
    case json, html

    var mediaType: String {
        switch self {
        case .json: FeaturesAPI.json
        case .html: "text/html"
        }
    }
    /// The media type of features in this format (GeoJSON for JSON).
    var featureType: String { self == .json ? FeaturesAPI.geoJSON : "text/html" }
    var other: FeaturesFormat { self == .json ? .html : .json }
    var name: String { self == .json ? "JSON" : "HTML" }
    var parameter: String { self == .json ? "json" : "html" }
}

/// The request as the answers see it: the server's base URL (from the Host header, so links work
/// through any name the client used) and the format asked for.
struct FeaturesRequest {
    let request: Request
    let base: String

    init(_ request: Request) {
        self.request = request
        // (A TLS proxy in front passes the Host on; the scheme stays the server's own.)
        base = "http://\(request.head.authority ?? "127.0.0.1")"
    }

    /// `f=json|html` if given (`f=geojson` too), else the Accept header: HTML only when a browser
    /// prefers it (text/html ranked above every JSON type).
    func format() throws(JobError) -> FeaturesFormat {
        if let f = request.uri.queryParameters["f"] {
            switch f {
            case "json", "geojson": return .json
            case "html": return .html
            default: throw .invalidRequest("f=\(f): say f=json or f=html.")
            }
        }
        guard let accept = request.headers[.accept] else { return .json }
        var best: (format: FeaturesFormat, quality: Double)?
        for item in accept.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let media = parts.first?.lowercased() ?? ""
            let quality = parts.dropFirst().compactMap { $0.hasPrefix("q=") ? Double($0.dropFirst(2)) : nil }.first ?? 1
            let format: FeaturesFormat? = media == "text/html" ? .html : (media.hasSuffix("json") ? .json : nil)
            if let format, quality > (best?.quality ?? 0) { best = (format, quality) }
        }
        return best?.format ?? .json
    }

    func collectionID(_ context: ServerContext) throws(JobError) -> String {
        guard let id = context.parameters.get("collectionId")?.removingPercentEncoding else {
            throw .invalidRequest("Name a collection: /collections/{collectionId}.")
        }
        return id
    }

    /// A link object: absolute `href` to `path` with `parameters` (and `f` when given).
    func link(_ path: String, rel: String, type: String, title: String, parameters: [String: String] = [:], f: FeaturesFormat? = nil) -> [String: Any] {
        var query = parameters
        if let f { query["f"] = f.parameter }
        return ["href": url(path, query), "rel": rel, "type": type, "title": title]
    }

    /// `base` + `path` + the query, names sorted so that the same request gives the same links.
    func url(_ path: String, _ query: [String: String] = [:]) -> String {
        let pairs = query.keys.sorted().map { "\(Self.escapeQuery($0))=\(Self.escapeQuery(query[$0] ?? ""))" }
        return base + path + (pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&"))
    }

    static func escapeQuery(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    static func escapePath(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
