"""Prints the benchmark table: GridMap against each peer, as throughput and speed ratio.

Reads the JSON lines written by gridmap-bench and the peer scripts. Each GridMap measurement is
compared with the peers doing the same job (PAIRS below); a ratio above 1 means GridMap is faster.
The tour benches also carry a "length" (the closed tour's total on the shared integer matrix): for
those the gap to LKH-3's length is printed too (positive = longer than LKH).
"""
import json
import sys

# GridMap bench name -> peer bench names doing the same work on the same data.
PAIRS = {
    "transform-1core": ["transform-pyproj"],
    "transform-parallel": ["transform-pyproj"],
    "geojson-write": ["geojson-write-geopandas"],
    "geojson-make-and-write": ["geojson-write-geopandas"],
    "geojson-read": ["geojson-read-geopandas"],
    "town-import": ["town-import-geopandas"],
    "town-export": ["town-export-geopandas"],
    "locate": ["locate-geopandas-sjoin", "locate-shapely-strtree", "locate-shapely-contains-xy", "locate-postgis"],
    "locate-1core": ["locate-geopandas-sjoin", "locate-shapely-strtree", "locate-shapely-contains-xy"],
    "locate-csv": ["locate-csv-geopandas"],
    "nearest": ["nearest-geopandas-sjoin-nearest", "nearest-shapely-query-nearest", "nearest-postgis-knn"],
    "tour": ["tour-lkh", "tour-ortools", "tour-ortools-5s"],
    "tour-full-budget": ["tour-lkh", "tour-ortools", "tour-ortools-5s"],
}
# The reference tour length for the tour benches' length gap.
TOUR_REFERENCE = "tour-lkh"


def main(path):
    rows = [json.loads(line) for line in open(path) if line.strip().startswith("{")]
    by_name = {row["bench"]: row for row in rows}
    print()
    print(f"{'benchmark':<28}{'items':>10}{'seconds':>10}{'items/s':>14}{'peak MiB':>10}")
    for row in rows:
        rate = row["items"] / row["seconds"] if row["seconds"] > 0 else float("inf")
        print(f"{row['bench']:<28}{row['items']:>10}{row['seconds']:>10.3f}{rate:>14,.0f}{row['peak_rss_mb']:>10}")
    print()
    print(f"{'GridMap':<24}{'peer':<26}{'ratio (peer s / GridMap s)':>28}")
    for ours, peers in PAIRS.items():
        if ours not in by_name:
            continue
        for peer in peers:
            if peer not in by_name:
                continue
            ratio = by_name[peer]["seconds"] / by_name[ours]["seconds"]
            print(f"{ours:<24}{peer:<26}{ratio:>27.2f}x")
    tours = [row for row in rows if row["bench"].startswith("tour") and "length" in row]
    reference = by_name.get(TOUR_REFERENCE)
    if tours and reference is not None:
        best = float(reference["length"])
        print()
        print(f"{'tour':<24}{'length':>14}{'seconds':>10}{'gap vs ' + TOUR_REFERENCE:>18}")
        for row in tours:
            length = float(row["length"])
            print(f"{row['bench']:<24}{length:>14,.0f}{row['seconds']:>10.3f}{(length / best - 1) * 100:>17.2f}%")
    if "geojson-shapely-to_geojson" in by_name:
        print()
        print("geojson-shapely-to_geojson writes geometries only (no properties, no file): context, not a pair.")


if __name__ == "__main__":
    main(sys.argv[1])
