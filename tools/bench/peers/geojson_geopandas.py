#!/usr/bin/env python3
"""GeoPandas' side of the GeoJSON benchmark: the data of GridMapBench/GeoJSONBench.swift
(N points with id, name, value) written with GeoDataFrame.to_file(driver="GeoJSON"), read back
with geopandas.read_file(engine="pyogrio"), and serialised with shapely.to_geojson.

Prints one JSON object per measurement, like gridmap-bench:
{"bench": "geojson-write-geopandas", "seconds": ..., "items": ..., "peak_rss_mb": ...}

Usage: geojson_geopandas.py [--count N] [--path FILE]
"""
import argparse
import json
import resource
import time

import geopandas
import numpy
import shapely


def peak_rss_mb():
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(bench, seconds, items):
    print(json.dumps({"bench": bench, "seconds": seconds, "items": items,
                      "peak_rss_mb": round(peak_rss_mb(), 1)}), flush=True)


def points(count):
    """The same points and properties as GeoJSONBench.feature(_:)."""
    index = numpy.arange(count)
    longitude = 119.5 + (index % 1000) * 0.000731
    latitude = 35.6 + (index // 1000) * 0.000417
    return geopandas.GeoDataFrame(
        {
            "id": index,
            "name": [f"大村镇-{i}" for i in range(count)],
            "value": (index % 10007) / 7,
        },
        geometry=shapely.points(longitude, latitude),
        crs="EPSG:4326",
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--path", default="/tmp/gridmap-bench-points-geopandas.geojson")
    arguments = parser.parse_args()

    frame = points(arguments.count)

    start = time.perf_counter()
    frame.to_file(arguments.path, driver="GeoJSON", engine="pyogrio")
    report("geojson-write-geopandas", time.perf_counter() - start, len(frame))

    start = time.perf_counter()
    back = geopandas.read_file(arguments.path, engine="pyogrio")
    value_sum = float(back["value"].sum())
    report("geojson-read-geopandas", time.perf_counter() - start, len(back))
    assert len(back) == arguments.count and value_sum > 0

    geometries = frame.geometry.values._data if hasattr(frame.geometry.values, "_data") else numpy.asarray(frame.geometry.values)
    start = time.perf_counter()
    texts = shapely.to_geojson(geometries)
    report("geojson-shapely-to_geojson", time.perf_counter() - start, len(texts))


if __name__ == "__main__":
    main()
