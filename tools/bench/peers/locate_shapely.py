#!/usr/bin/env python3
"""Shapely 2 / GeoPandas side of `gridmap-bench locate` and `gridmap-bench nearest`.

Reads the files the Swift bench writes (run it first): /tmp/gridmap-bench-microgrids.geojson
(291 Voronoi micro-grids, WGS84), /tmp/gridmap-bench-points.csv (the query points, lon,lat) and
/tmp/gridmap-bench-wells.csv (10,000 wells, id,lon,lat).

Each benchmark runs in its own process (so peak RSS is its own) and prints one JSON line
{"bench": ..., "seconds": ..., "items": ..., "peak_rss_mb": ...}. Timed: the query only; building
the point geometries, the tree and the frames is not timed (reported as "setup_seconds").
  locate-shapely-strtree      STRtree(polygons).query(points, predicate="intersects")
  locate-shapely-contains-xy  per polygon: bounding-box filter, then shapely.contains_xy (prepared)
  locate-geopandas-sjoin      geopandas.sjoin(points, micro-grids, predicate="intersects")
  nearest-shapely-query-nearest  STRtree(wells).query_nearest(points)
  nearest-geopandas-sjoin-nearest geopandas.sjoin_nearest(points, wells)
The nearest peers work in degrees, unprojected (GridMap projects the points to EPSG:4549 inside
its timed call), which favours the peers.
"""
import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np

MICROGRIDS = "/tmp/gridmap-bench-microgrids.geojson"
POINTS = "/tmp/gridmap-bench-points.csv"
WELLS = "/tmp/gridmap-bench-wells.csv"
BENCHES = ["locate-shapely-strtree", "locate-shapely-contains-xy", "locate-geopandas-sjoin",
           "nearest-shapely-query-nearest", "nearest-geopandas-sjoin-nearest"]


def load_polygons():
    import shapely
    with open(MICROGRIDS) as file:
        features = json.load(file)["features"]
    return shapely.from_geojson([json.dumps(f["geometry"]) for f in features]), [f["properties"]["code"] for f in features]


def load_points():
    import pandas as pd
    frame = pd.read_csv(POINTS, dtype={"lon": np.float64, "lat": np.float64})
    return frame["lon"].to_numpy(), frame["lat"].to_numpy()


def load_wells():
    import pandas as pd
    return pd.read_csv(WELLS)


def report(bench, seconds, items, **extra):
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"bench": bench, "seconds": seconds, "items": items, "peak_rss_mb": round(peak_rss_mb, 1),
                      **{key: str(value) for key, value in extra.items()}}), flush=True)


def run(bench):
    import shapely
    lon, lat = load_points()
    count = len(lon)
    setup = time.perf_counter()
    if bench == "locate-shapely-strtree":
        polygons, _ = load_polygons()
        points = shapely.points(lon, lat)
        tree = shapely.STRtree(polygons)
        setup = time.perf_counter() - setup
        start = time.perf_counter()
        point_index, _ = tree.query(points, predicate="intersects")
        seconds = time.perf_counter() - start
        report(bench, seconds, count, inside=len(np.unique(point_index)), setup_seconds=round(setup, 3),
               shapely=shapely.__version__)
    elif bench == "locate-shapely-contains-xy":
        polygons, _ = load_polygons()
        shapely.prepare(polygons)
        bounds = shapely.bounds(polygons)
        setup = time.perf_counter() - setup
        start = time.perf_counter()
        found = np.full(count, -1, dtype=np.int32)
        for index in range(len(polygons) - 1, -1, -1):   # lowest index written last: it wins on shared edges
            x0, y0, x1, y1 = bounds[index]
            candidates = np.flatnonzero((lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1))
            inside = shapely.contains_xy(polygons[index], lon[candidates], lat[candidates])
            found[candidates[inside]] = index
        seconds = time.perf_counter() - start
        report(bench, seconds, count, inside=int((found >= 0).sum()), setup_seconds=round(setup, 3),
               shapely=shapely.__version__)
    elif bench == "locate-geopandas-sjoin":
        import geopandas as gpd
        polygons, codes = load_polygons()
        grid = gpd.GeoDataFrame({"code": codes}, geometry=polygons, crs="EPSG:4326")
        points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
        setup = time.perf_counter() - setup
        start = time.perf_counter()
        joined = gpd.sjoin(points, grid, how="inner", predicate="intersects")
        seconds = time.perf_counter() - start
        report(bench, seconds, count, inside=joined.index.nunique(), setup_seconds=round(setup, 3),
               geopandas=gpd.__version__)
    elif bench == "nearest-shapely-query-nearest":
        wells = load_wells()
        tree = shapely.STRtree(shapely.points(wells["lon"].to_numpy(), wells["lat"].to_numpy()))
        points = shapely.points(lon, lat)
        setup = time.perf_counter() - setup
        start = time.perf_counter()
        pairs = tree.query_nearest(points)
        seconds = time.perf_counter() - start
        report(bench, seconds, count, found=pairs.shape[1], wells=len(wells), setup_seconds=round(setup, 3),
               shapely=shapely.__version__)
    elif bench == "nearest-geopandas-sjoin-nearest":
        import warnings
        import geopandas as gpd
        wells = load_wells()
        well_frame = gpd.GeoDataFrame({"id": wells["id"]}, geometry=gpd.points_from_xy(wells["lon"], wells["lat"]))
        points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat))
        setup = time.perf_counter() - setup
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            start = time.perf_counter()
            joined = gpd.sjoin_nearest(points, well_frame, how="inner")
            seconds = time.perf_counter() - start
        report(bench, seconds, count, found=len(joined), wells=len(wells), setup_seconds=round(setup, 3),
               geopandas=gpd.__version__)
    else:
        raise SystemExit(f"locate_shapely: unknown bench {bench}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bench", nargs="*", help="the benches to run (default: all, each in its own process)")
    benches = parser.parse_args().bench
    if len(benches) == 1:
        run(benches[0])
        return
    for bench in benches or BENCHES:
        subprocess.run([sys.executable, __file__, bench], check=True)


if __name__ == "__main__":
    main()
