/// The OpenAPI 3.0 paths of the Open311, events and jobs routes, for the `/api` document
/// (assembled by FeaturesAPI's `OpenAPIDocument`): JSON-compatible dictionaries.
extension GridMapServer {
    /// A parameter: name, where (`query` or `path`), whether required, schema type, description.
    typealias APIParameter = (name: String, location: String, required: Bool, type: String, description: String)

    /// An answer: its description and content types, each with the schema its body keeps — a
    /// problem document (RFC 9457) for `application/problem+json`, a JSON object (or, with
    /// `list`, an array) for the other JSON types, text or bytes for the rest.
    struct APIAnswer {
        var description: String
        var types: [String]
        var list = false

        init(_ description: String, _ types: [String], list: Bool = false) {
            (self.description, self.types, self.list) = (description, types, list)
        }

        var document: [String: Any] {
            ["description": description, "content": Dictionary(uniqueKeysWithValues: types.map { type -> (String, Any) in
                let schema: [String: Any] = switch type {
                case "application/problem+json": ["$ref": "#/components/schemas/Problem"]
                case let json where json.hasSuffix("json"): ["type": list ? "array" : "object"]
                case "image/png": ["type": "string", "format": "binary"]
                default: ["type": "string"]
                }
                return (type, ["schema": schema])
            })]
        }
    }

    /// One operation: its summary, parameters, request body types and answers by status. Every
    /// operation also documents the answers any route may give: 400 (a parameter or body it
    /// cannot take), 401 (a bad or expired bearer token), 403 (a write signed in by the cookie
    /// without its CSRF value; a role refused), 413 (a body past the limit); `{…}` paths 404.
    static func apiOperation(_ summary: String, tag: String, _ parameters: [APIParameter] = [], body: [String] = [],
                             answers: [String: APIAnswer]) -> [String: Any] {
        var operation: [String: Any] = [
            "summary": summary, "tags": [tag],
            "parameters": parameters.map { parameter -> [String: Any] in
                ["name": parameter.name, "in": parameter.location, "required": parameter.required || parameter.location == "path",
                 "description": parameter.description, "schema": ["type": parameter.type]]
            },
        ]
        if !body.isEmpty {
            operation["requestBody"] = ["required": true, "content": Dictionary(uniqueKeysWithValues: body.map { ($0, ["schema": ["type": $0.contains("json") ? "object" : "string"]]) })]
        }
        var responses = answers.mapValues(\.document)
        var common = [("400", "A parameter or body the job cannot take"), ("401", "A bearer token that is unknown, expired or revoked"),
                      ("403", "Not for this viewer, or a cookie-signed write without X-CSRF-Token"), ("413", "The body is larger than the server's limit")]
        if parameters.contains(where: { $0.location == "path" }) { common.append(("404", "Nothing at this path")) }
        for (status, description) in common where responses[status] == nil {
            responses[status] = APIAnswer(description, ["application/problem+json"]).document
        }
        operation["responses"] = responses
        return operation
    }

    public static func jobsOpenAPIPaths() -> [String: Any] {
        let point: [APIParameter] = [("lon", "query", true, "number", "WGS84 longitude"), ("lat", "query", true, "number", "WGS84 latitude")]
        let trip: [APIParameter] = [
            ("profile", "query", false, "string", "walk, bicycle, ebike or car"), ("workers", "query", false, "integer", "workers sharing the stops"),
            ("end", "query", false, "string", "end here instead of returning"), ("open", "query", false, "boolean", "end at the last stop"),
            ("service_min", "query", false, "number", "minutes at each stop"), ("max_stops", "query", false, "integer", "stops per worker"),
            ("max_minutes", "query", false, "number", "minutes per worker"), ("start_time", "query", false, "string", "HH:MM"),
            ("time_budget", "query", false, "number", "seconds of local search (at most 10)"),
        ]
        let map: [APIParameter] = [("grid", "query", false, "string", "one grid's sheet"), ("layers", "query", false, "string", "comma-separated layer names"),
                                   ("page", "query", false, "string", "a4, a3, …"), ("title", "query", false, "string", "title block")]
        let tag = "jobs"
        return [
            "/jobs/locate": [
                "get": apiOperation("The micro-grid, grid, village and public team of a point", tag: tag, point, answers: ["200": APIAnswer("The place", ["application/json"])]),
                "post": apiOperation("Locate a batch: CSV (microgrid,grid columns added) or GeoJSON points (micro_grid, grid properties added)", tag: tag,
                                     [("x_column", "query", false, "string", "CSV longitude column"), ("y_column", "query", false, "string", "CSV latitude column"),
                                      ("crs", "query", false, "string", "CSV coordinates' CRS"), ("bad_rows", "query", false, "string", "refuse (default) or keep")],
                                     body: ["text/csv", "application/geo+json"],
                                     answers: ["200": APIAnswer("The batch, row for row", ["text/csv", "application/geo+json"]),
                                               "422": APIAnswer("Bad rows, each with its line", ["application/problem+json"])]),
            ],
            "/jobs/nearest": ["get": apiOperation("The features of a kind nearest a point", tag: tag,
                                                  [("kind", "query", true, "string", "kind or layer name")] + point
                                                  + [("k", "query", false, "integer", "how many (1–1000)"), ("max_distance", "query", false, "number", "metres"),
                                                     ("by", "query", false, "string", "line or road"), ("same_grid", "query", false, "boolean", "only in the point's grid")],
                                                  answers: ["200": APIAnswer("Nearest first", ["application/json"])])],
            "/jobs/select": ["get": apiOperation("Residents by category and area, as the viewer's role may see them", tag: tag,
                                                 [("category", "query", false, "string", "comma-separated"), ("grid", "query", false, "string", "grid code"),
                                                  ("micro_grid", "query", false, "string", "micro-grid code"), ("village", "query", false, "string", "village code"),
                                                  ("around", "query", false, "string", "lon,lat"), ("radius", "query", false, "number", "metres"),
                                                  ("f", "query", false, "string", "csv or geojson")],
                                                 answers: ["200": APIAnswer("The residents", ["text/csv", "application/geo+json"])])],
            "/jobs/counts": ["get": apiOperation("Residents per category and grid, small counts suppressed for the roles that do not see them", tag: tag,
                                                 [("category", "query", false, "string", "comma-separated")], answers: ["200": APIAnswer("The table", ["text/csv"])])],
            "/jobs/assign": ["post": apiOperation("Match a ledger's addresses to homes and micro-grids", tag: tag,
                                                  [("address_column", "query", false, "string", "the address column")], body: ["text/csv"],
                                                  answers: ["200": APIAnswer("The ledger with home, microgrid, grid, match, confidence, reason", ["text/csv"])])],
            "/jobs/tour": ["post": apiOperation("Plan visiting order along the roads (CSV id,lon,lat[,service_min])", tag: tag,
                                                [("start", "query", false, "string", "the first stop's id")] + trip, body: ["text/csv"],
                                                answers: ["200": APIAnswer("One LineString per worker", ["application/geo+json"])])],
            "/jobs/route": ["get": apiOperation("Plan an outreach route to the homes of residents of some categories", tag: tag,
                                                [("category", "query", true, "string", "comma-separated"), ("grid", "query", false, "string", "repeatable"),
                                                 ("micro_grid", "query", false, "string", "micro-grid code"), ("village", "query", false, "string", "village code"),
                                                 ("start", "query", false, "string", "a feature id"), ("own_grid", "query", false, "boolean", "each grid's own team")] + trip,
                                                answers: ["200": APIAnswer("One LineString per worker", ["application/geo+json"])])],
            "/jobs/map.svg": ["get": apiOperation("The town's grid map", tag: tag, map, answers: ["200": APIAnswer("SVG", ["image/svg+xml"])])],
            "/jobs/map.png": ["get": apiOperation("The town's grid map as PNG", tag: tag, map + [("dpi", "query", false, "integer", "36–600")],
                                                  answers: ["200": APIAnswer("PNG", ["image/png"])])],
        ]
    }
}
