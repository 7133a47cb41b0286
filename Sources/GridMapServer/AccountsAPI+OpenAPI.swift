extension GridMapServer {
    /// The account routes' part of the `/api` document (OpenAPI 3.0 Paths Object), for
    /// `OpenAPIDocument` to merge.
    static func accountsOpenAPIPaths() -> [String: Any] {
        let credentials: [String: Any] = [
            "type": "object", "required": ["name", "password"],
            "properties": ["name": ["type": "string"], "password": ["type": "string", "format": "password"]],
        ]
        let problem: [String: Any] = ["$ref": "#/components/responses/Problem"]
        let refused: [String: Any] = ["401": problem, "429": problem, "400": problem]
        func json(_ properties: [String: Any], required: [String]) -> [String: Any] {
            ["content": ["application/json": ["schema": ["type": "object", "required": required, "properties": properties]]]]
        }
        let text: [String: Any] = ["type": "string"]
        let time: [String: Any] = ["type": "string", "format": "date-time"]
        return [
            "/auth/login": ["post": [
                "summary": "Sign in: a session cookie (gridmap_session) and the CSRF value the browser's writes echo in X-CSRF-Token",
                "tags": ["accounts"],
                "requestBody": ["required": true, "content": [
                    "application/json": ["schema": credentials],
                    "application/x-www-form-urlencoded": ["schema": credentials],
                ]],
                "responses": refused.merging([
                    "200": ["description": "Signed in"].merging(json(["account": text, "role": text, "csrf": text, "expires": time],
                                                                     required: ["account", "role", "csrf", "expires"])) { $1 },
                    "303": ["description": "Signed in from an HTML form: to the web map"],
                ]) { $1 },
            ]],
            "/auth/token": ["post": [
                "summary": "A bearer token (30 days) for Authorization: Bearer, from a name and password or a signed-in session",
                "tags": ["accounts"],
                "requestBody": ["required": false, "content": ["application/json": ["schema": credentials]]],
                "responses": refused.merging([
                    "200": ["description": "The token, shown once"].merging(json(["token": text, "expires": time, "account": text, "role": text],
                                                                                 required: ["token", "expires"])) { $1 },
                ]) { $1 },
            ]],
            "/auth/logout": ["post": [
                "summary": "End the request's session or token", "tags": ["accounts"],
                "responses": ["204": ["description": "Signed out"], "403": problem],
            ]],
            "/auth/me": ["get": [
                "summary": "The account the request's credential stands for", "tags": ["accounts"],
                "responses": [
                    "200": ["description": "The account"].merging(json(["account": text, "role": text, "actingAs": text, "expires": time, "csrf": text],
                                                                       required: ["account", "role"])) { $1 },
                    "401": problem,
                ],
            ]],
        ]
    }
}
