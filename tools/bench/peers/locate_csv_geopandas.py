"""End-to-end locate, CSV in → annotated CSV out, on the bundled town: the GeoPandas way.

Reads the points CSV (lon,lat), makes points, joins them to geodata/dacun/microgrids.geojson
(`sjoin`, predicate "within"), and writes every row with its micro-grid and grid codes — what
`gridmap locate --csv` does. Also makes the points file the GridMap side reads (--make N).
Prints one JSON line like the other peers.
"""
import argparse
import json
import random
import resource
import time

import geopandas
import pandas


def report(bench, seconds, items):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"bench": bench, "seconds": seconds, "items": items, "peak_rss_mb": round(peak, 1)}), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--make", type=int, help="first write this many random points over the town's box")
    arguments = parser.parse_args()
    microgrids = geopandas.read_file("geodata/dacun/microgrids.geojson", engine="pyogrio")
    if arguments.make:
        minx, miny, maxx, maxy = microgrids.total_bounds
        generator = random.Random(20261129)
        with open(arguments.points, "w") as out:
            out.write("id,lon,lat\n")
            for index in range(arguments.make):
                out.write(f"p{index},{generator.uniform(minx, maxx):.7f},{generator.uniform(miny, maxy):.7f}\n")
        return
    start = time.perf_counter()
    frame = pandas.read_csv(arguments.points)
    points = geopandas.GeoDataFrame(frame, geometry=geopandas.points_from_xy(frame.lon, frame.lat), crs="EPSG:4326")
    joined = geopandas.sjoin(points, microgrids[["code", "grid", "geometry"]], how="left", predicate="within")
    joined = joined[~joined.index.duplicated(keep="first")]
    joined.rename(columns={"code": "microgrid"})[["id", "lon", "lat", "microgrid", "grid"]].to_csv(arguments.out, index=False)
    report("locate-csv-geopandas", time.perf_counter() - start, len(frame))


if __name__ == "__main__":
    main()
