#!/usr/bin/env python3
"""GeoPandas' side of the GeoJSON benchmark: the data of GridMapBench/GeoJSONBench.swift
(N points with id, name, value) written with GeoDataFrame.to_file(driver="GeoJSON",
COORDINATE_PRECISION=7: 7 decimals, as GridMap's writer rounds by default), read back
with geopandas.read_file(engine="pyogrio"), and serialised with shapely.to_geojson; the answers
compared with GridMap's in the same run (run `gridmap-bench geojson-write` and `geojson-read`
with the same --dir first):
  geojson-write-geopandas     GridMap's file, read here untimed, holds the same features as the
                              frame written: ids, names, values, and coordinates to the 7
                              decimals both sides write, in order
  geojson-read-geopandas      the count and the sum of "value" read from the peer's own file
                              equal those GridMap's geojson-read reports (--gridmap-results)
  geojson-shapely-to_geojson  geometries only, no properties, no file: context, not compared

Usage: geojson_geopandas.py --dir DIR --gridmap-results FILE [--count N]
"""
import time

import geopandas
import numpy
import shapely

import bench_common


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


# Degrees: a coordinate rounded to 7 decimals is at most half a unit of the last one away.
ROUNDING = 0.5e-7 + 1e-12


def same_features(frame, path):
    """The verdict on GridMap's file against the frame (the features the peer writes)."""
    theirs = geopandas.read_file(path, engine="pyogrio")
    if len(theirs) != len(frame):
        return f"DIFFERENT: GridMap's file has {len(theirs)} features, the peer's frame {len(frame)}"
    real = ((theirs["id"].to_numpy() != frame["id"].to_numpy())
            | (theirs["name"].to_numpy() != frame["name"].to_numpy())
            | ~numpy.isclose(theirs["value"].to_numpy(), frame["value"].to_numpy(), rtol=1e-15, atol=0)
            | (numpy.abs(shapely.get_x(theirs.geometry.values) - shapely.get_x(frame.geometry.values)) > ROUNDING)
            | (numpy.abs(shapely.get_y(theirs.geometry.values) - shapely.get_y(frame.geometry.values)) > ROUNDING))
    return bench_common.verdict(len(frame), "features in GridMap's file", real=int(real.sum()),
                                tolerance="the 7 decimals written")


def main():
    parser = bench_common.folder_argument(description=__doc__)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--gridmap-results", required=True, help="GridMap's result lines (geojson-read's)")
    arguments = parser.parse_args()
    path = arguments.dir / "peer.geojson"

    frame = points(arguments.count)
    start = time.perf_counter()
    frame.to_file(path, driver="GeoJSON", engine="pyogrio", COORDINATE_PRECISION=7)
    seconds = time.perf_counter() - start
    bench_common.report("geojson-write-geopandas", seconds, len(frame),
                        same_features(frame, arguments.dir / "gridmap.geojson"))

    start = time.perf_counter()
    back = geopandas.read_file(path, engine="pyogrio")
    value_sum = float(back["value"].sum())
    seconds = time.perf_counter() - start
    ours = bench_common.gridmap_result(arguments.gridmap_results, "geojson-read")
    # The sums add in different orders: equal to the printed millimetre-of-value.
    real = int(len(back) != ours["items"]) + int(abs(value_sum - float(ours["value_sum"])) > 0.002)
    bench_common.report("geojson-read-geopandas", seconds, len(back),
                        bench_common.verdict(2, "read figures, count and sum of value", real=real), value_sum=f"{value_sum:.3f}")

    geometries = frame.geometry.values._data if hasattr(frame.geometry.values, "_data") else numpy.asarray(frame.geometry.values)
    start = time.perf_counter()
    texts = shapely.to_geojson(geometries)
    bench_common.report("geojson-shapely-to_geojson", time.perf_counter() - start, len(texts),
                        "not compared: geometries only, no properties, no file (context)")


if __name__ == "__main__":
    main()
