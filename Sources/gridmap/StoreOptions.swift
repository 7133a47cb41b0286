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
        "The town store: an SQLite file (`import` creates it), or a PostgreSQL + PostGIS database as postgres://USER@HOST/DB. Default: $GRIDMAP_DB, else ~/.local/share/gridmap/dacun.sqlite, built from geodata/dacun on first use.",
        valueName: "path"))
    var db: String?

    @Flag(name: .long, help: ArgumentHelp(
        "Open the store read-only: nothing is written to it, and an import is refused. (A store you cannot write, e.g. on read-only media, is opened read-only anyway.)"))
    var readOnly = false

    /// The store `--db` names, or the default store (its first use, and an upgrade of an older
    /// store, are told on standard error).
    var stores: TownStores {
        TownStores(path: db, readOnly: readOnly) { StandardError.write("gridmap: \($0)") }
    }
}
