"""GeoPandas peer for the town import/export benchmark.

Reads every layer file of a town folder with geopandas.read_file (pyogrio), then writes each
layer back as GeoJSON with GeoDataFrame.to_file — the GeoJSON work that `gridmap import` and
`gridmap export --all` do (GridMap also validates, locates and stores). Prints one JSON line per
measurement: {"bench": "town-read-geopandas", "seconds": ..., "items": ..., "peak_rss_mb": ...}.
"""
import argparse
import json
import pathlib
import resource
import time

import geopandas


def report(bench, seconds, items):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"bench": bench, "seconds": seconds, "items": items, "peak_rss_mb": round(peak, 1)}), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--town", required=True, help="folder of <layer>.geojson files")
    parser.add_argument("--out", required=True, help="folder to write the layers into")
    arguments = parser.parse_args()
    files = sorted(pathlib.Path(arguments.town).glob("*.geojson"))
    out = pathlib.Path(arguments.out)
    out.mkdir(parents=True, exist_ok=True)

    start = time.perf_counter()
    frames = {path.stem: geopandas.read_file(path, engine="pyogrio") for path in files}
    report("town-read-geopandas", time.perf_counter() - start, sum(len(frame) for frame in frames.values()))

    start = time.perf_counter()
    for name, frame in frames.items():
        frame.to_file(out / f"{name}.geojson", driver="GeoJSON", engine="pyogrio")
    report("town-write-geopandas", time.perf_counter() - start, sum(len(frame) for frame in frames.values()))


if __name__ == "__main__":
    main()
