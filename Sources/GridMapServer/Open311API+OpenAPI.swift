extension GridMapServer {
    public static func open311OpenAPIPaths() -> [String: Any] {
        let format: APIParameter = ("format", "path", true, "string", "json or xml")
        // Open311's own error list in JSON or XML; a format the server does not speak is not
        // routed at all, and gets the server's problem document.
        let errorTypes = ["application/json", "text/xml", "application/problem+json"]
        let errors: [String: APIAnswer] = ["400": APIAnswer("Open311 error list", errorTypes, list: true),
                                           "404": APIAnswer("Open311 error list", errorTypes, list: true),
                                           "413": APIAnswer("Open311 error list", errorTypes, list: true)]
        let types = ["application/json", "text/xml"]
        let tag = "open311"
        return [
            "/open311/v2/discovery.{format}": ["get": apiOperation("GeoReport v2 discovery", tag: tag, [format], answers: errors.merging(["200": APIAnswer("Discovery", types)]) { $1 })],
            "/open311/v2/services.{format}": ["get": apiOperation("The event catalogue as services", tag: tag, [format], answers: errors.merging(["200": APIAnswer("Services", types, list: true)]) { $1 })],
            "/open311/v2/services/{code}.{format}": ["get": apiOperation("A service's definition (no attributes)", tag: tag,
                                                                          [("code", "path", true, "string", "category code"), format],
                                                                          answers: errors.merging(["200": APIAnswer("Definition", types)]) { $1 })],
            "/open311/v2/requests.{format}": [
                "get": apiOperation("Reports, the latest first", tag: tag,
                                    [format, ("service_request_id", "query", false, "string", "comma-separated ids"),
                                     ("service_code", "query", false, "string", "comma-separated"), ("start_date", "query", false, "string", "W3C time"),
                                     ("end_date", "query", false, "string", "W3C time"), ("status", "query", false, "string", "open or closed"),
                                     ("grid", "query", false, "string", "GridMap: grid code"), ("micro_grid", "query", false, "string", "GridMap: micro-grid code"),
                                     ("state", "query", false, "string", "GridMap: the flow's state"), ("limit", "query", false, "integer", "GridMap: 1–1000")],
                                    answers: errors.merging(["200": APIAnswer("Requests", types, list: true)]) { $1 }),
                "post": apiOperation("Report a problem at a point (raised by the grid's liaison)", tag: tag, [format],
                                     body: ["application/x-www-form-urlencoded"], answers: errors.merging(["201": APIAnswer("The new request with its grid and team", types, list: true)]) { $1 }),
            ],
            "/open311/v2/requests/{id}.{format}": ["get": apiOperation("One request", tag: tag, [("id", "path", true, "string", "event id"), format],
                                                                       answers: errors.merging(["200": APIAnswer("The request, as a list of one", types, list: true)]) { $1 })],
        ]
    }
}
