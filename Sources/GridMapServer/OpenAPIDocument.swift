import GridMapApp

/// The OpenAPI 3.0 document of the whole server, served at `/api`: assembled from parts, one per
/// API file, so that each part describes its own routes beside them.
///
/// **How a part joins.** Each API file (AccountsAPI, Open311API, JobsAPI, EventsAPI, RegisterAPI, WebMap)
/// defines, in its own `extension GridMapServer`, a function named after it that returns its
/// paths as an OpenAPI Paths Object — path → Path Item, JSON-compatible values only (String,
/// Int, Double, Bool, arrays and `[String: Any]` dictionaries):
///
///     static func open311OpenAPIPaths() -> [String: Any]
///
/// and adds a call to it in ``parts(_:)``. Schemas may be written inline, or refer to the shared
/// ones in ``components``: `#/components/schemas/Problem` (an RFC 9457 problem document) and
/// `#/components/responses/Problem` (any error answer).
enum OpenAPIDocument {
    /// Every part's paths, merged (a path two parts name is a mistake the tests catch).
    static func parts(_ collections: FeatureCollections) -> [[String: Any]] {
        [shellOpenAPIPaths(), GridMapServer.featuresOpenAPIPaths(collections), GridMapServer.accountsOpenAPIPaths(),
         GridMapServer.open311OpenAPIPaths(), GridMapServer.eventsOpenAPIPaths(), GridMapServer.jobsOpenAPIPaths(),
         GridMapServer.registerOpenAPIPaths(), GridMapServer.districtOpenAPIPaths()]
    }

    /// The document, its server at `serverURL`.
    static func document(serverURL: String, title: String, collections: FeatureCollections) -> [String: Any] {
        var paths: [String: Any] = [:]
        for part in parts(collections) { paths.merge(part) { first, _ in first } }
        return [
            "openapi": "3.0.3",
            "info": [
                "title": title, "version": "1.0.0",
                "description": "GridMap's town over HTTP: OGC API – Features (Part 1, Core), and the town's other services. Errors are RFC 9457 problem documents.",
                "license": ["name": "see the GridMap repository"],
            ],
            "servers": [["url": serverURL]],
            "paths": paths,
            "components": components,
        ]
    }

    /// Shared schemas, parameters and responses.
    static var components: [String: Any] { [
        "schemas": [
            "Problem": [
                "type": "object", "description": "An RFC 9457 problem document.",
                "required": ["type", "title", "status"],
                "properties": [
                    "type": ["type": "string"], "title": ["type": "string"], "status": ["type": "integer"],
                    "detail": ["type": "string"], "errors": ["type": "array", "items": ["type": "string"]],
                ],
            ],
            "Link": [
                "type": "object", "required": ["href", "rel"],
                "properties": ["href": ["type": "string"], "rel": ["type": "string"], "type": ["type": "string"], "title": ["type": "string"]],
            ],
            "FeatureCollection": [
                "type": "object", "required": ["type", "features"],
                "properties": [
                    "type": ["type": "string", "enum": ["FeatureCollection"]],
                    "features": ["type": "array", "items": ["$ref": "#/components/schemas/Feature"]],
                    "numberMatched": ["type": "integer", "minimum": 0], "numberReturned": ["type": "integer", "minimum": 0],
                    "timeStamp": ["type": "string", "format": "date-time"],
                    "links": ["type": "array", "items": ["$ref": "#/components/schemas/Link"]],
                ],
            ],
            "Feature": [
                "type": "object", "required": ["type", "geometry", "properties"],
                "properties": [
                    "type": ["type": "string", "enum": ["Feature"]], "id": ["oneOf": [["type": "string"], ["type": "integer"]]],
                    "geometry": ["type": "object", "nullable": true], "properties": ["type": "object", "nullable": true],
                    "links": ["type": "array", "items": ["$ref": "#/components/schemas/Link"]],
                ],
            ],
        ],
        "parameters": [
            "f": ["name": "f", "in": "query", "required": false, "description": "The answer's format (else the Accept header decides).",
                  "schema": ["type": "string", "enum": ["json", "html"]], "style": "form", "explode": false],
            "collectionId": ["name": "collectionId", "in": "path", "required": true, "schema": ["type": "string"]],
            "featureId": ["name": "featureId", "in": "path", "required": true, "schema": ["type": "string"]],
            "bbox": ["name": "bbox", "in": "query", "required": false, "style": "form", "explode": false,
                     "description": "west,south,east,north in CRS84 (six numbers with elevations are accepted; they are ignored).",
                     "schema": ["type": "array", "minItems": 4, "maxItems": 6, "items": ["type": "number"]]],
            "bbox-crs": ["name": "bbox-crs", "in": "query", "required": false,
                         "schema": ["type": "string", "format": "uri", "enum": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"]]],
            "limit": ["name": "limit", "in": "query", "required": false, "style": "form", "explode": false,
                      "description": "Items per page; more than the maximum is served as the maximum.",
                      "schema": ["type": "integer", "minimum": 1, "maximum": FeatureCollections.maximumLimit, "default": FeatureCollections.defaultLimit]],
            "offset": ["name": "offset", "in": "query", "required": false, "description": "Matching items to skip.",
                       "schema": ["type": "integer", "minimum": 0, "default": 0]],
            "datetime": ["name": "datetime", "in": "query", "required": false, "style": "form", "explode": false,
                         "description": "A time, a date (the whole day, Asia/Shanghai) or an interval start/end with .. for an open end (events: the time raised; activities: their date).",
                         "schema": ["type": "string"]],
        ],
        "responses": [
            "Problem": ["description": "An error (RFC 9457).", "content": ["application/problem+json": ["schema": ["$ref": "#/components/schemas/Problem"]]]],
        ],
    ] }

    /// The shell's own path (`/healthz`, GridMapServer's Health).
    static func shellOpenAPIPaths() -> [String: Any] {
        ["/healthz": ["get": [
            "summary": "Whether the server can read its store", "operationId": "health", "tags": ["Server"],
            "responses": ["200": ["description": "The town's code and name.", "content": ["application/json": ["schema": [
                "type": "object", "properties": ["status": ["type": "string"], "town": ["type": "string"], "name": ["type": "string"]],
            ]]]]],
        ]]]
    }
}

extension GridMapServer {
    /// OGC API – Features' paths: the generic ones, and each collection's items with its own
    /// property filters (so that clients such as GDAL see what each may be filtered by).
    static func featuresOpenAPIPaths(_ collections: FeatureCollections) -> [String: Any] {
        func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/parameters/\(name)"] }
        let problem: [String: Any] = ["$ref": "#/components/responses/Problem"]
        func answer(_ description: String, _ types: [String: [String: Any]]) -> [String: Any] {
            ["200": ["description": description, "content": types], "400": problem, "403": problem, "404": problem, "500": problem]
        }
        let json: [String: Any] = ["schema": ["type": "object"]]
        let html: [String: Any] = ["schema": ["type": "string"]]
        let features: [String: Any] = ["schema": ["$ref": "#/components/schemas/FeatureCollection"]]
        let feature: [String: Any] = ["schema": ["$ref": "#/components/schemas/Feature"]]
        func get(_ id: String, _ summary: String, _ parameters: [[String: Any]], _ responses: [String: Any]) -> [String: Any] {
            ["get": ["summary": summary, "operationId": id, "tags": ["OGC API – Features"], "parameters": parameters, "responses": responses]]
        }
        let itemParameters = ["bbox", "bbox-crs", "limit", "offset", "f"].map(ref)
        var paths: [String: Any] = [
            "/": get("landingPage", "The landing page", [ref("f")], answer("Links to the API, conformance and collections.", ["application/json": json, "text/html": html])),
            "/conformance": get("conformance", "The conformance classes", [ref("f")], answer("The classes.", ["application/json": json, "text/html": html])),
            "/api": get("api", "This API definition", [["name": "f", "in": "query", "required": false, "schema": ["type": "string", "enum": ["json"]]]],
                        answer("The OpenAPI 3.0 document.", [FeaturesAPI.openAPIType: json])),
            "/collections": get("collections", "The collections the viewer may read", [ref("f")], answer("The collections.", ["application/json": json, "text/html": html])),
            "/collections/{collectionId}": get("collection", "One collection", [ref("collectionId"), ref("f")],
                                               answer("The collection.", ["application/json": json, "text/html": html])),
            "/collections/{collectionId}/queryables": get("queryables", "What a collection's items may be filtered by", [ref("collectionId")],
                                                          answer("A JSON Schema of the filters.", ["application/schema+json": json])),
            "/collections/{collectionId}/items": get("items", "A page of a collection's items", [ref("collectionId")] + itemParameters + [ref("datetime")],
                                                     answer("The items.", [FeaturesAPI.geoJSON: features, "text/html": html])),
            "/collections/{collectionId}/items/{featureId}": get("item", "One item", [ref("collectionId"), ref("featureId"), ref("f")],
                                                                 answer("The item.", [FeaturesAPI.geoJSON: feature, "text/html": html])),
        ]
        // Each collection's items, with its own filters, as pygeoapi and pg_featureserv list them.
        for description in collections.allCollections {
            let filters: [[String: Any]] = description.queryables.map { queryable in
                ["name": queryable.name, "in": "query", "required": false, "description": queryable.title, "schema": ["type": "string"]]
            }
            let parameters = itemParameters + (description.hasTime ? [ref("datetime")] : []) + filters
            let operation = "items-" + description.id
            paths["/collections/\(description.id)/items"] = get(operation, "\(description.title): a page of items", parameters,
                                                                  answer("The items.", [FeaturesAPI.geoJSON: features, "text/html": html]))
        }
        return paths
    }
}
