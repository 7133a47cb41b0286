import ByteOutput
import Foundation
import TownGenerator

// town-generator district --out DIR [--towns N] [--residents N] [--seed N] [--quiet]
//   a synthetic district: N (default 23, at most 23) towns of Dacun's kind tiled side by side, of
//   40,000–140,000 residents each and --residents in all (default 82,608 a town: 1.9 M for 23),
//   one town folder each under DIR, and DIR/district.json listing them
// town-generator register --rows N [--district DIR] [--out FILE] [--seed N]
//   a synthetic resident register of N rows over the homes of DIR (a district folder or one town
//   folder; default geodata/dacun), streamed to FILE or standard output

func subcommandFail(_ command: String, _ message: String) -> Never {
    FileHandle.standardError.write(Data("town-generator \(command): \(message)\n".utf8))
    exit(2)
}

func runDistrict(_ arguments: [String]) -> Never {
    var arguments = arguments[...]
    var configuration = DistrictGenerator.Configuration()
    var output: String?
    var quiet = false
    while let argument = arguments.popFirst() {
        switch argument {
        case "--towns":
            guard let value = arguments.popFirst(), let towns = Int(value) else { subcommandFail("district", "--towns needs a number") }
            configuration.towns = towns
        case "--residents":
            guard let value = arguments.popFirst(), let residents = Int(value) else { subcommandFail("district", "--residents needs a number") }
            configuration.residents = residents
        case "--seed":
            guard let value = arguments.popFirst(), let seed = UInt64(value) else { subcommandFail("district", "--seed needs a non-negative integer") }
            configuration.seed = seed
        case "--out", "--output", "-o":
            guard let value = arguments.popFirst() else { subcommandFail("district", "--out needs a folder") }
            output = value
        case "--quiet", "-q": quiet = true
        case "--help", "-h":
            let range = configuration.townResidents
            print("usage: town-generator district --out DIR [--towns N (1–\(DistrictGenerator.maximumTowns), default 23)] "
                  + "[--residents N (all the towns'; \(range.lowerBound)–\(range.upperBound) a town, default \(DistrictGenerator.residentsPerTown) a town)] "
                  + "[--seed N] [--quiet]")
            exit(0)
        default: subcommandFail("district", "unknown argument \(argument) (try --help)")
        }
    }
    guard let output else { subcommandFail("district", "--out DIR is required") }
    do {
        let generator = try DistrictGenerator(configuration: configuration)
        let start = ContinuousClock.now
        try generator.write(to: URL(fileURLWithPath: output), log: quiet ? nil : { FileHandle.standardError.write(Data("  \($0)\n".utf8)) })
        if !quiet {
            print("\(configuration.towns) towns, \(configuration.totalResidents) residents in \(output) (\(ContinuousClock.now - start))")
        }
        exit(0)
    } catch {
        subcommandFail("district", "\(error)")
    }
}

func runRegister(_ arguments: [String]) -> Never {
    var arguments = arguments[...]
    var rows: Int?
    var district = "geodata/dacun"
    var output: String?
    var seed: UInt64 = 20_241_207
    while let argument = arguments.popFirst() {
        switch argument {
        case "--rows":
            guard let value = arguments.popFirst(), let count = Int(value), count >= 0 else { subcommandFail("register", "--rows needs a non-negative number") }
            rows = count
        case "--district":
            guard let value = arguments.popFirst() else { subcommandFail("register", "--district needs a folder") }
            district = value
        case "--out", "--output", "-o":
            guard let value = arguments.popFirst() else { subcommandFail("register", "--out needs a file") }
            output = value
        case "--seed":
            guard let value = arguments.popFirst(), let number = UInt64(value) else { subcommandFail("register", "--seed needs a non-negative integer") }
            seed = number
        case "--help", "-h":
            print("usage: town-generator register --rows N [--district DIR] [--out FILE] [--seed N]")
            exit(0)
        default: subcommandFail("register", "unknown argument \(argument) (try --help)")
        }
    }
    guard let rows else { subcommandFail("register", "--rows N is required") }
    do {
        let register = try ResidentRegister(homes: ResidentRegister.homes(in: URL(fileURLWithPath: district)), seed: seed)
        let sink = try output.map { path throws(OutputError) in try FileSink(path: path) } ?? FileSink.standardOutput()
        try register.write(rows: rows, to: sink)
        try sink.synchronize()
        exit(0)
    } catch {
        subcommandFail("register", "\(error)")
    }
}
