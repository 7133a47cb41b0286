import ArgumentParser

struct Transform: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Transform CSV points between coordinate reference systems.")
}
