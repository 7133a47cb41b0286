import GridMapApp

extension GridMapServer {
    public static func eventsOpenAPIPaths() -> [String: Any] {
        let filters: [APIParameter] = [
            ("grid", "query", false, "string", "grid code"), ("village", "query", false, "string", "village code"),
            ("state", "query", false, "string", "raised, handled-by-grid, whistled, awaiting-verification, verified, closed"),
            ("department", "query", false, "string", "department code"), ("category", "query", false, "string", "category code"),
            ("from", "query", false, "string", "raised at or after"), ("to", "query", false, "string", "raised before"),
        ]
        let id: APIParameter = ("id", "path", true, "string", "event id, e.g. EV-000001")
        let refusals: [String: APIAnswer] = ["403": APIAnswer("The viewer may not take this step", ["application/problem+json"]),
                                                      "404": APIAnswer("No such event", ["application/problem+json"]),
                                                      "409": APIAnswer("The event's state does not allow the step", ["application/problem+json"])]
        let tag = "events"
        return [
            "/events": [
                "get": apiOperation("Events as the viewer's role may see them", tag: tag, filters, answers: ["200": APIAnswer("The events", ["application/json"], list: true)]),
                "post": apiOperation("Raise an event as the viewer's actor", tag: tag, body: ["application/json"],
                                     answers: refusals.merging(["201": APIAnswer("The event", ["application/json"])]) { $1 }),
            ],
            "/events/{id}": ["get": apiOperation("One event and its history", tag: tag, [id], answers: ["200": APIAnswer("The event", ["application/json"])])],
            "/events/{id}/{action}": ["post": apiOperation("Take a step of the flow as the viewer's actor", tag: tag,
                                                           [id, ("action", "path", true, "string", EventActionRequest.actions.joined(separator: ", "))],
                                                           body: ["application/json"], answers: refusals.merging(["200": APIAnswer("The event after the step", ["application/json"])]) { $1 })],
            "/events/overdue": ["get": apiOperation("Steps past their deadline", tag: tag, filters, answers: ["200": APIAnswer("The steps", ["application/json"], list: true)])],
            "/events/rates": ["get": apiOperation("The rates a town reports", tag: tag, [("by", "query", false, "string", "grid, village, department, month or town")] + filters,
                                                  answers: ["200": APIAnswer("The table", ["application/json"])])],
            "/events/chart.svg": ["get": apiOperation("The monthly rates chart", tag: tag, filters, answers: ["200": APIAnswer("SVG", ["image/svg+xml"])])],
            "/departments/{code}/queue": ["get": apiOperation("A department's parts not yet resolved, with deadlines", tag: tag,
                                                              [("code", "path", true, "string", "department code")],
                                                              answers: ["200": APIAnswer("The queue", ["application/json"], list: true), "404": APIAnswer("No such department", ["application/problem+json"])])],
        ]
    }
}

