import ArgumentParser
import Foundation
import GridMapApp

/// `--db PATH`, shared by every command that reads or writes a town store.
///
/// Without `--db`, commands use the default store (`$GRIDMAP_DB`, else
/// `~/.local/share/gridmap/dacun.sqlite`), which is built from the bundled Dacun data the first
/// time it is needed — with a message saying so — so that a newcomer's first command works.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The town store: an SQLite file (`import` creates it), or a PostgreSQL + PostGIS database as postgres://USER@HOST/DB; or a district of many towns (a folder, or a database holding a district: see --town). Default: $GRIDMAP_DB, else ~/.local/share/gridmap/dacun.sqlite, built from geodata/dacun on first use.",
        valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp(
        "In a district, the town to work on, by its code (e.g. DC); `gridmap info --db DISTRICT` lists them. Locate, info and event stats work across the district without it.",
        valueName: "code"))
    var town: String?

    @Flag(name: .long, help: ArgumentHelp(
        "Open the store read-only: nothing is written to it, and an import is refused. (A store you cannot write, e.g. on read-only media, is opened read-only anyway.)"))
    var readOnly = false

    /// The district `--db` names when no `--town` is given: the district-wide answer of the
    /// commands that have one (locate, info, event stats); nil otherwise.
    func districtWide() throws -> District? {
        guard town == nil else { return nil }
        return try stores.district()
    }

    /// The store `--db` names, or the default store (its first use, and an upgrade of an older
    /// store, are told on standard error).
    var stores: TownStores {
        TownStores(path: db, town: town, readOnly: readOnly) { StandardError.write("gridmap: \($0)") }
    }
}
