extension GridMapServer {
    public static func open311OpenAPIPaths() -> [String: Any] {
        let format: APIParameter = ("format", "path", true, "string", "json or xml")
        let errors: [String: (String, [String])] = ["400": ("Open311 error list", ["application/json", "text/xml"]),
                                                    "404": ("Open311 error list", ["application/json", "text/xml"])]
        let types = ["application/json", "text/xml"]
        let tag = "open311"
        return [
            "/open311/v2/discovery.{format}": ["get": apiOperation("GeoReport v2 discovery", tag: tag, [format], answers: ["200": ("Discovery", types)])],
            "/open311/v2/services.{format}": ["get": apiOperation("The event catalogue as services", tag: tag, [format], answers: ["200": ("Services", types)])],
            "/open311/v2/services/{code}.{format}": ["get": apiOperation("A service's definition (no attributes)", tag: tag,
                                                                          [("code", "path", true, "string", "category code"), format],
                                                                          answers: errors.merging(["200": ("Definition", types)]) { $1 })],
            "/open311/v2/requests.{format}": [
                "get": apiOperation("Reports, the latest first", tag: tag,
                                    [format, ("service_request_id", "query", false, "string", "comma-separated ids"),
                                     ("service_code", "query", false, "string", "comma-separated"), ("start_date", "query", false, "string", "W3C time"),
                                     ("end_date", "query", false, "string", "W3C time"), ("status", "query", false, "string", "open or closed"),
                                     ("grid", "query", false, "string", "GridMap: grid code"), ("micro_grid", "query", false, "string", "GridMap: micro-grid code"),
                                     ("state", "query", false, "string", "GridMap: the flow's state"), ("limit", "query", false, "integer", "GridMap: 1–1000")],
                                    answers: errors.merging(["200": ("Requests", types)]) { $1 }),
                "post": apiOperation("Report a problem at a point (raised by the grid's liaison)", tag: tag, [format],
                                     body: ["application/x-www-form-urlencoded"], answers: errors.merging(["201": ("The new request with its grid and team", types)]) { $1 }),
            ],
            "/open311/v2/requests/{id}.{format}": ["get": apiOperation("One request", tag: tag, [("id", "path", true, "string", "event id"), format],
                                                                       answers: errors.merging(["200": ("The request", types)]) { $1 })],
        ]
    }
}
