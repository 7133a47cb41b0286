enum TransformBench {
    static func run(_ arguments: [String]) throws {}
}
