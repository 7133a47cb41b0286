extension EventCatalogue {
    /// The catalogue of a Chinese town (乡镇) like Dacun: the departments a town's grid whistles
    /// to, and the categories of its livelihood-event list with their usual departments.
    ///
    /// Deadlines follow the common practice of the 12345 hotline platforms: an urgent case is
    /// acknowledged within 2 hours and handled within 24; a normal one acknowledged within 24 hours
    /// and handled within 7 days (15 for land and buildings, which need a survey).
    public static let standard: EventCatalogue = {
        let departments = [
            Department(code: "civil-affairs", name: "民政办"),
            Department(code: "social-security", name: "社会保障服务中心"),
            Department(code: "justice", name: "司法所"),
            Department(code: "police", name: "派出所"),
            Department(code: "emergency", name: "应急管理办公室"),
            Department(code: "fire", name: "消防救援站"),
            Department(code: "natural-resources", name: "自然资源所"),
            Department(code: "environment", name: "生态环境监管站"),
            Department(code: "water", name: "水利站"),
            Department(code: "agriculture", name: "农业农村办公室"),
            Department(code: "market-supervision", name: "市场监管所"),
            Department(code: "housing", name: "住建办"),
            Department(code: "education", name: "教育办"),
            Department(code: "health", name: "卫生院"),
            Department(code: "traffic", name: "交警中队"),
            Department(code: "law-enforcement", name: "综合行政执法中队"),
        ]
        let usual = [Urgency.urgent: DeadlineRule(reportInHours: 2, resolutionHours: 24),
                     .normal: DeadlineRule(reportInHours: 24, resolutionHours: 24 * 7)]
        let survey = [Urgency.urgent: DeadlineRule(reportInHours: 2, resolutionHours: 72),
                      .normal: DeadlineRule(reportInHours: 24, resolutionHours: 24 * 15)]
        let categories = [
            EventCategory(code: "environment", name: "环境卫生", defaultDepartments: ["law-enforcement", "environment"], deadlines: usual),
            EventCategory(code: "safety-hazard", name: "安全隐患", defaultDepartments: ["emergency", "fire"], deadlines: usual),
            EventCategory(code: "roads-and-water", name: "道路水利", defaultDepartments: ["water", "housing"], deadlines: usual),
            EventCategory(code: "dispute-mediation", name: "矛盾纠纷调解", defaultDepartments: ["justice"], deadlines: usual),
            EventCategory(code: "welfare-assistance", name: "民生救助", defaultDepartments: ["civil-affairs", "social-security"], deadlines: usual),
            EventCategory(code: "public-order", name: "社会治安", defaultDepartments: ["police"], deadlines: usual),
            EventCategory(code: "land-and-buildings", name: "土地房屋", defaultDepartments: ["natural-resources", "housing"], deadlines: survey),
            EventCategory(code: "farming", name: "农业生产", defaultDepartments: ["agriculture"], deadlines: usual),
            EventCategory(code: "food-and-market", name: "食品市场", defaultDepartments: ["market-supervision"], deadlines: usual),
            EventCategory(code: "health", name: "卫生健康", defaultDepartments: ["health"], deadlines: usual),
            EventCategory(code: "school-safety", name: "校园安全", defaultDepartments: ["education"], deadlines: usual),
            EventCategory(code: "traffic", name: "交通安全", defaultDepartments: ["traffic"], deadlines: usual),
        ]
        do {
            return try EventCatalogue(departments: departments, categories: categories)
        } catch {
            preconditionFailure("the standard catalogue is checked by its tests: \(error)")
        }
    }()
}
