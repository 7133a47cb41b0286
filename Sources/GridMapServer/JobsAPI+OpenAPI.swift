/// The OpenAPI 3.0 paths of the Open311, events and jobs routes, for the `/api` document
/// (assembled by FeaturesAPI's `OpenAPIDocument`): JSON-compatible dictionaries.
extension GridMapServer {
    /// A parameter: name, where (`query` or `path`), whether required, schema type, description.
    typealias APIParameter = (name: String, location: String, required: Bool, type: String, description: String)

    /// One operation: its summary, parameters, request body types and answers (status → (description, content types)).
    static func apiOperation(_ summary: String, tag: String, _ parameters: [APIParameter] = [], body: [String] = [],
                             answers: [String: (String, [String])]) -> [String: Any] {
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
        var responses: [String: Any] = [:]
        for (status, (description, types)) in answers {
            responses[status] = ["description": description,
                                 "content": Dictionary(uniqueKeysWithValues: types.map { ($0, ["schema": ["type": $0.contains("json") && !$0.contains("problem") ? "object" : "string"]]) })]
        }
        for (status, description) in [("400", "A parameter or body the job cannot take"), ("413", "The body is larger than the server's limit")] where responses[status] == nil {
            responses[status] = ["description": description, "content": ["application/problem+json": ["schema": ["type": "object"]]]]
        }
        operation["responses"] = responses
        return operation
    }

    public static func jobsOpenAPIPaths() -> [String: Any] {
        let point: [APIParameter] = [("lon", "query", true, "number", "WGS84 longitude"), ("lat", "query", true, "number", "WGS84 latitude")]
        let trip: [APIParameter] = [
            ("profile", "query", false, "string", "walk, ebike or car"), ("workers", "query", false, "integer", "workers sharing the stops"),
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
                "get": apiOperation("The micro-grid, grid, village and public team of a point", tag: tag, point, answers: ["200": ("The place", ["application/json"])]),
                "post": apiOperation("Locate a batch: CSV (microgrid,grid columns added) or GeoJSON points (micro_grid, grid properties added)", tag: tag,
                                     [("x_column", "query", false, "string", "CSV longitude column"), ("y_column", "query", false, "string", "CSV latitude column"),
                                      ("crs", "query", false, "string", "CSV coordinates' CRS"), ("bad_rows", "query", false, "string", "refuse (default) or keep")],
                                     body: ["text/csv", "application/geo+json"],
                                     answers: ["200": ("The batch, row for row", ["text/csv", "application/geo+json"]),
                                               "422": ("Bad rows, each with its line", ["application/problem+json"])]),
            ],
            "/jobs/nearest": ["get": apiOperation("The features of a kind nearest a point", tag: tag,
                                                  [("kind", "query", true, "string", "kind or layer name")] + point
                                                  + [("k", "query", false, "integer", "how many (1–1000)"), ("max_distance", "query", false, "number", "metres"),
                                                     ("by", "query", false, "string", "line or road"), ("same_grid", "query", false, "boolean", "only in the point's grid")],
                                                  answers: ["200": ("Nearest first", ["application/json"])])],
            "/jobs/select": ["get": apiOperation("Residents by category and area, as the viewer's role may see them", tag: tag,
                                                 [("category", "query", false, "string", "comma-separated"), ("grid", "query", false, "string", "grid code"),
                                                  ("micro_grid", "query", false, "string", "micro-grid code"), ("village", "query", false, "string", "village code"),
                                                  ("around", "query", false, "string", "lon,lat"), ("radius", "query", false, "number", "metres"),
                                                  ("f", "query", false, "string", "csv or geojson")],
                                                 answers: ["200": ("The residents", ["text/csv", "application/geo+json"])])],
            "/jobs/counts": ["get": apiOperation("Residents per category and grid, small counts suppressed for the roles that do not see them", tag: tag,
                                                 [("category", "query", false, "string", "comma-separated")], answers: ["200": ("The table", ["text/csv"])])],
            "/jobs/assign": ["post": apiOperation("Match a ledger's addresses to homes and micro-grids", tag: tag,
                                                  [("address_column", "query", false, "string", "the address column")], body: ["text/csv"],
                                                  answers: ["200": ("The ledger with home, microgrid, grid, match, confidence, reason", ["text/csv"])])],
            "/jobs/tour": ["post": apiOperation("Plan visiting order along the roads (CSV id,lon,lat[,service_min])", tag: tag,
                                                [("start", "query", false, "string", "the first stop's id")] + trip, body: ["text/csv"],
                                                answers: ["200": ("One LineString per worker", ["application/geo+json"])])],
            "/jobs/route": ["get": apiOperation("Plan an outreach route to the homes of residents of some categories", tag: tag,
                                                [("category", "query", true, "string", "comma-separated"), ("grid", "query", false, "string", "repeatable"),
                                                 ("micro_grid", "query", false, "string", "micro-grid code"), ("village", "query", false, "string", "village code"),
                                                 ("start", "query", false, "string", "a feature id"), ("own_grid", "query", false, "boolean", "each grid's own team")] + trip,
                                                answers: ["200": ("One LineString per worker", ["application/geo+json"])])],
            "/jobs/map.svg": ["get": apiOperation("The town's grid map", tag: tag, map, answers: ["200": ("SVG", ["image/svg+xml"])])],
            "/jobs/map.png": ["get": apiOperation("The town's grid map as PNG", tag: tag, map + [("dpi", "query", false, "integer", "36–600")],
                                                  answers: ["200": ("PNG", ["image/png"])])],
        ]
    }
}
