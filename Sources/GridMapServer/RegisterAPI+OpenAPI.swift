import GridMapApp

extension GridMapServer {
    public static func registerOpenAPIPaths() -> [String: Any] {
        let problem = ["application/problem+json"]
        let writeRefusals: [String: APIAnswer] = [
            "403": APIAnswer("The viewer's role may not record this", problem), "404": APIAnswer("No such resident or campaign", problem),
            "409": APIAnswer("The register's rules refuse it, or the campaign exists already", problem),
        ]
        let campaign: APIParameter = ("name", "path", true, "string", "the campaign's name, percent-encoded")
        let grid: APIParameter = ("grid", "query", false, "string", "grid code")
        let csv = ["text/csv"]
        let tag = "register"
        return [
            "/register/residents/{id}/history": [
                "get": apiOperation("A resident's history, as the viewer's role may see it", tag: tag, [("id", "path", true, "string", "resident id, e.g. R-000123")],
                                    answers: ["200": APIAnswer("The entries", ["application/json"], list: true)]),
            ],
            "/register/history": [
                "get": apiOperation("The register's history, as the viewer's role may see it", tag: tag,
                                    [("kind", "query", false, "string", "resident, home or team-member"), ("from", "query", false, "string", "effective on or after (YYYY-MM-DD)"),
                                     ("through", "query", false, "string", "effective on or before (YYYY-MM-DD)")],
                                    answers: ["200": APIAnswer("The entries", ["application/json"], list: true)]),
            ],
            "/register/changes": [
                "post": apiOperation("Record one resident change (a line of a change file)", tag: tag, body: ["application/json"],
                                     answers: writeRefusals.merging(["201": APIAnswer("The entry", ["application/json"])]) { $1 }),
            ],
            "/register/counts": [
                "get": apiOperation("The category × grid table as of a day, or at every month's end of a year", tag: tag,
                                    [("as_of", "query", false, "string", "YYYY-MM-DD"), ("monthly", "query", false, "integer", "a year"),
                                     ("category", "query", false, "string", "categories, comma-separated")],
                                    answers: ["200": APIAnswer("The table", csv)]),
            ],
            "/survey/campaigns": [
                "get": apiOperation("The survey campaigns", tag: tag, answers: ["200": APIAnswer("The campaigns", ["application/json"], list: true)]),
                "post": apiOperation("Start a campaign (the town office)", tag: tag, body: ["application/json"],
                                     answers: writeRefusals.merging(["201": APIAnswer("The campaign", ["application/json"])]) { $1 }),
            ],
            "/survey/campaigns/{name}/progress": [
                "get": apiOperation("A campaign's progress per grid and micro-grid", tag: tag, [campaign], answers: ["200": APIAnswer("The progress", csv)]),
            ],
            "/survey/campaigns/{name}/todo": [
                "get": apiOperation("A grid's homes not yet surveyed, in walking order", tag: tag, [campaign, ("grid", "query", true, "string", "grid code")],
                                    answers: ["200": APIAnswer("The homes", csv)]),
            ],
            "/survey/campaigns/{name}/visits": [
                "get": apiOperation("A campaign's visits, as the viewer's role may see them", tag: tag, [campaign, grid], answers: ["200": APIAnswer("The visits", csv)]),
                "post": apiOperation("Record a visit and the changes it found", tag: tag, [campaign], body: ["application/json"],
                                     answers: writeRefusals.merging(["201": APIAnswer("The visit and its entries", ["application/json"])]) { $1 }),
            ],
        ]
    }
}
