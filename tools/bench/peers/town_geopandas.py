"""GeoPandas peer for the town import/export benchmark: the same town folder, the plainest
GeoPandas way to store it and write it back, and the counts of both sides compared.

What this side does (the "work" field says it on each line):
  town-import-geopandas  reads every layer file of the town folder (geopandas.read_file, pyogrio)
                         and the two CSV files (pandas, as text) and writes them all into one
                         GeoPackage, an SQLite file like GridMap's store. No validation of
                         geometries, ids, references or properties; no micro-grid lookup; no keys.
  town-export-geopandas  reads every layer back from the GeoPackage and writes a folder of GeoJSON
                         files and the two CSVs (no manifest).
Answers, compared untimed after both: the number of features in every layer file and of rows in
residents.csv and team.csv, in the source folder, in GridMap's export (--gridmap-export, written
by `gridmap export --all` from its store) and in this side's export. A layer whose counts are not
the same in all three is a difference. Prints one JSON line per measurement.
"""
import argparse
import csv
import json
import pathlib
import sqlite3
import sys
import time

import geopandas
import pandas
import pyogrio

import bench_common

TABLES = ["residents", "team"]


def counts(folder):
    """{file name: number of features or rows} for the layer files and CSVs of a town folder."""
    found = {}
    for path in sorted(folder.glob("*.geojson")):
        with open(path) as file:
            found[path.name] = len(json.load(file)["features"])
    for table in TABLES:
        with open(folder / f"{table}.csv", newline="") as file:
            found[f"{table}.csv"] = sum(1 for _ in csv.reader(file)) - 1
    return found


def compare(town, gridmap_export, peer_export):
    """The verdict on the three folders' counts (see the module's doc)."""
    source, ours, theirs = counts(town), counts(gridmap_export), counts(peer_export)
    differ = [name for name in sorted(set(source) | set(ours) | set(theirs))
              if not source.get(name) == ours.get(name) == theirs.get(name)]
    for name in differ:
        print(f"town: {name}: source {source.get(name)}, GridMap {ours.get(name)}, peer {theirs.get(name)}",
              file=sys.stderr)
    return bench_common.verdict(len(source), "layer and table counts, equal in the source, GridMap's export and this export",
                                real=len(differ))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--town", required=True, type=pathlib.Path, help="a town folder (docs/TOWN-FORMAT.md)")
    parser.add_argument("--out", required=True, type=pathlib.Path, help="scratch folder")
    parser.add_argument("--gridmap-export", required=True, type=pathlib.Path, help="GridMap's exported town folder")
    arguments = parser.parse_args()
    town, out = arguments.town, arguments.out
    out.mkdir(parents=True, exist_ok=True)
    store = out / "town.gpkg"

    start = time.perf_counter()
    items = 0
    for path in sorted(town.glob("*.geojson")):
        frame = geopandas.read_file(path, engine="pyogrio")
        frame.to_file(store, layer=path.stem, driver="GPKG", engine="pyogrio")
        items += len(frame)
    with sqlite3.connect(store) as connection:
        for table in TABLES:
            frame = pandas.read_csv(town / f"{table}.csv", dtype=str)
            frame.to_sql(table, connection, index=False)
            items += len(frame)
    import_seconds = time.perf_counter() - start

    start = time.perf_counter()
    exported = out / "export"
    exported.mkdir(exist_ok=True)
    for name, _ in pyogrio.list_layers(store):
        if name in TABLES:
            continue
        frame = geopandas.read_file(store, layer=name, engine="pyogrio")
        frame.to_file(exported / f"{name}.geojson", driver="GeoJSON", engine="pyogrio")
    with sqlite3.connect(store) as connection:
        for table in TABLES:
            pandas.read_sql(f"SELECT * FROM {table}", connection).to_csv(exported / f"{table}.csv", index=False)
    export_seconds = time.perf_counter() - start

    answers = compare(town, arguments.gridmap_export, exported)
    bench_common.report("town-import-geopandas", import_seconds, items, answers,
                        work="read the layers and CSVs, write a GeoPackage; no validation, no micro-grid lookup")
    bench_common.report("town-export-geopandas", export_seconds, items, answers,
                        work="read the GeoPackage, write GeoJSON layers and CSVs; no manifest")


if __name__ == "__main__":
    main()
