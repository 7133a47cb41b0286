#!/usr/bin/env python3
"""pyproj's side of `gridmap-bench transform`: N lon/lat points in 119.5-120.1E, 35.6-36.2N,
EPSG:4326 -> EPSG:4549 with always_xy=True, on numpy arrays (one proj_trans_generic call inside).

Timed like the Swift side: the transform call only (it allocates its output arrays); not timed:
building the Transformer, generating the points, one warm-up call on 1,000 points.
Prints one JSON line: {"bench": "transform-pyproj", "seconds": ..., "items": ..., "peak_rss_mb": ...,
"proj": "<PROJ release pyproj uses>"}; a pyproj wheel bundles its own PROJ, which may be newer
(and faster per point) than the system PROJ that GridMap links.
"""
import argparse
import json
import resource
import time

import numpy as np
import pyproj
from pyproj import Transformer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1_000_000)
    count = parser.parse_args().count

    rng = np.random.default_rng(20240601)
    lon = rng.uniform(119.5, 120.1, count)
    lat = rng.uniform(35.6, 36.2, count)
    transformer = Transformer.from_crs(4326, 4549, always_xy=True)
    transformer.transform(lon[:1000], lat[:1000])  # warm-up, as on the Swift side

    start = time.perf_counter()
    easting, northing = transformer.transform(lon, lat)
    seconds = time.perf_counter() - start

    if not (np.isfinite(easting).all() and np.isfinite(northing).all()):
        raise SystemExit("transform_pyproj: some points failed")
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"bench": "transform-pyproj", "seconds": seconds, "items": count,
                      "peak_rss_mb": round(peak_rss_mb, 1), "proj": pyproj.proj_version_str}))


if __name__ == "__main__":
    main()
