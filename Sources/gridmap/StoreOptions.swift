import ArgumentParser
import Foundation
import GridMapApp
import GridStore

/// `--db PATH`, shared by every command that reads or writes a town store.
///
/// Without `--db`, commands use the default store (`$GRIDMAP_DB`, else
/// `~/.local/share/gridmap/dacun.sqlite`), which is built from the bundled Dacun data the first
/// time it is needed — with a message saying so — so that a newcomer's first command works.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The town store (an SQLite file; created if missing). Default: $GRIDMAP_DB, else ~/.local/share/gridmap/dacun.sqlite, built from geodata/dacun on first use.",
        valueName: "path"))
    var db: String?

    var stores: TownStores { TownStores(path: db) }

    /// The store an import writes into: `--db`, or the default store without first filling it.
    func openForImport() throws -> any TownStore { try stores.openForImport() }

    /// The store for a command that needs a town in it, with a clear error when it is empty.
    func openTownStore() throws -> any TownStore {
        try stores.openWithTown { StandardError.write("gridmap: \($0)") }
    }
}
