"""GeoPandas peer for the town import/export benchmark: the same files, the same kind of work.

Import: read every layer file of a town folder (geopandas.read_file, pyogrio) and the two CSV
files (pandas), and store them all in one GeoPackage — an SQLite file, like GridMap's store.
Export: read every layer back from the GeoPackage and write a folder of GeoJSON files and CSVs.
(GridMap does more on import: it validates every polygon and reference, and locates each
feature's micro-grid.) Prints one JSON line per measurement, as tools/bench/report.py reads.
"""
import argparse
import json
import pathlib
import resource
import sqlite3
import time

import geopandas
import pandas
import pyogrio


def report(bench, seconds, items):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"bench": bench, "seconds": seconds, "items": items, "peak_rss_mb": round(peak, 1)}), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--town", required=True, help="a town folder (docs/TOWN-FORMAT.md)")
    parser.add_argument("--out", required=True, help="scratch folder")
    arguments = parser.parse_args()
    town = pathlib.Path(arguments.town)
    out = pathlib.Path(arguments.out)
    out.mkdir(parents=True, exist_ok=True)
    store = out / "town.gpkg"
    tables = ["residents", "team"]

    start = time.perf_counter()
    items = 0
    for path in sorted(town.glob("*.geojson")):
        frame = geopandas.read_file(path, engine="pyogrio")
        frame.to_file(store, layer=path.stem, driver="GPKG", engine="pyogrio")
        items += len(frame)
    with sqlite3.connect(store) as connection:
        for table in tables:
            frame = pandas.read_csv(town / f"{table}.csv", dtype=str)
            frame.to_sql(table, connection, index=False)
            items += len(frame)
    report("town-import-geopandas", time.perf_counter() - start, items)

    start = time.perf_counter()
    exported = out / "export"
    exported.mkdir(exist_ok=True)
    for name, _ in pyogrio.list_layers(store):
        if name in tables:
            continue
        frame = geopandas.read_file(store, layer=name, engine="pyogrio")
        frame.to_file(exported / f"{name}.geojson", driver="GeoJSON", engine="pyogrio")
    with sqlite3.connect(store) as connection:
        for table in tables:
            pandas.read_sql(f"SELECT * FROM {table}", connection).to_csv(exported / f"{table}.csv", index=False)
    report("town-export-geopandas", time.perf_counter() - start, items)


if __name__ == "__main__":
    main()
