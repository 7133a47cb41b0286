enum GeoJSONBench {
    static func write(_ arguments: [String]) throws {}
    static func read(_ arguments: [String]) throws {}
}
