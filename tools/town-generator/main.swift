import Foundation
import GridMapCore
import TownGenerator

// town-generator: writes GridMap's bundled reference town (Dacun) as a town folder.
//
//   town-generator [--seed N] [--output DIR] [--ledger FILE] [--check] [--quiet]
//
// --output  the town folder to write (default geodata/dacun)
// --ledger  the synthetic resident ledger to write beside it (default DIR-ledger.csv, that is
//           geodata/dacun-ledger.csv), the input of `gridmap assign`
// --events  the year of events to write beside it (default DIR-events.jsonl), the input of
//           `gridmap event import`
// --survey  the survey campaign to write beside it (default DIR-survey.jsonl), the input of
//           `gridmap survey import`
// --register the year of register changes to write beside it (default DIR-register.jsonl), the
//           input of `gridmap resident import`
// --seed    the generator seed (default 20240601); the same seed gives byte-identical files
// --check   generate into a temporary folder and compare with --output and --ledger byte for
//           byte instead of writing; exit status 1 when they differ

//   town-generator district …  a synthetic district of towns (see Subcommands.swift)
//   town-generator register …  a synthetic resident register, streamed (see Subcommands.swift)

switch CommandLine.arguments.dropFirst().first {
case "district": runDistrict(Array(CommandLine.arguments.dropFirst(2)))
case "register": runRegister(Array(CommandLine.arguments.dropFirst(2)))
default: break
}

var configuration = TownGenerator.Configuration()
var output = "geodata/dacun"
var ledger: String?
var events: String?
var survey: String?
var register: String?
var check = false
var quiet = false
var arguments = CommandLine.arguments.dropFirst()
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("town-generator: \(message)\n".utf8))
    exit(2)
}
while let argument = arguments.popFirst() {
    switch argument {
    case "--seed":
        guard let value = arguments.popFirst(), let seed = UInt64(value) else { fail("--seed needs a non-negative integer") }
        configuration.seed = seed
    case "--output", "-o":
        guard let value = arguments.popFirst() else { fail("--output needs a folder") }
        output = value
    case "--ledger":
        guard let value = arguments.popFirst() else { fail("--ledger needs a file") }
        ledger = value
    case "--events":
        guard let value = arguments.popFirst() else { fail("--events needs a file") }
        events = value
    case "--survey":
        guard let value = arguments.popFirst() else { fail("--survey needs a file") }
        survey = value
    case "--register":
        guard let value = arguments.popFirst() else { fail("--register needs a file") }
        register = value
    case "--check": check = true
    case "--quiet", "-q": quiet = true
    case "--help", "-h":
        print("usage: town-generator [--seed N] [--output DIR] [--ledger FILE] [--events FILE] [--survey FILE] [--register FILE] [--check] [--quiet]")
        exit(0)
    default: fail("unknown argument \(argument) (try --help)")
    }
}

let generator = TownGenerator(configuration: configuration)
let log: ((String) -> Void)? = quiet ? nil : { FileHandle.standardError.write(Data("  \($0)\n".utf8)) }
do {
    let target = URL(fileURLWithPath: output)
    let targetLedger = URL(fileURLWithPath: ledger ?? target.standardizedFileURL.path + "-ledger.csv")
    let destination = check
        ? FileManager.default.temporaryDirectory.appendingPathComponent("town-generator-\(ProcessInfo.processInfo.processIdentifier)")
        : target
    let destinationLedger = check ? URL(fileURLWithPath: destination.path + "-ledger.csv") : targetLedger
    let targetEvents = URL(fileURLWithPath: events ?? target.standardizedFileURL.path + "-events.jsonl")
    let destinationEvents = check ? URL(fileURLWithPath: destination.path + "-events.jsonl") : targetEvents
    let targetSurvey = URL(fileURLWithPath: survey ?? target.standardizedFileURL.path + "-survey.jsonl")
    let destinationSurvey = check ? URL(fileURLWithPath: destination.path + "-survey.jsonl") : targetSurvey
    let targetRegister = URL(fileURLWithPath: register ?? target.standardizedFileURL.path + "-register.jsonl")
    let destinationRegister = check ? URL(fileURLWithPath: destination.path + "-register.jsonl") : targetRegister
    try generator.write(to: destination, ledger: destinationLedger, events: destinationEvents, survey: destinationSurvey,
                        register: destinationRegister, log: log)
    let names = try FileManager.default.contentsOfDirectory(atPath: destination.path).sorted()
    var total = 0
    var differing: [String] = []
    func account(_ written: URL, _ committed: URL, _ name: String) throws {
        let bytes = try Data(contentsOf: written)
        total += bytes.count
        if !quiet { print("\(name)\t\(bytes.count)") }
        if check, (try? Data(contentsOf: committed)) != bytes { differing.append(name) }
    }
    for name in names {
        try account(destination.appendingPathComponent(name), target.appendingPathComponent(name), name)
    }
    try account(destinationLedger, targetLedger, targetLedger.lastPathComponent)
    try account(destinationEvents, targetEvents, targetEvents.lastPathComponent)
    try account(destinationSurvey, targetSurvey, targetSurvey.lastPathComponent)
    try account(destinationRegister, targetRegister, targetRegister.lastPathComponent)
    if !quiet { print("total\t\(total) bytes in \(names.count + 4) files") }
    if check {
        try? FileManager.default.removeItem(at: destination)
        try? FileManager.default.removeItem(at: destinationLedger)
        try? FileManager.default.removeItem(at: destinationEvents)
        try? FileManager.default.removeItem(at: destinationSurvey)
        try? FileManager.default.removeItem(at: destinationRegister)
        if !differing.isEmpty {
            print("differs from \(output): \(differing.joined(separator: ", "))")
            exit(1)
        }
        print("\(output) and \(targetLedger.path) are up to date")
    }
} catch {
    fail("\(error)")
}
