"""Peers for the OpenStreetMap import benchmark: the same extract converted by ogr2ogr into a
GeoPackage, and read by GeoPandas (read_file, pyogrio), with the features of each kind counted
and compared with what `gridmap import` stored.

What each side does (the "work" field says it on each line):
  import-osm-ogr2ogr    `ogr2ogr -f GPKG` of the OSM driver's five layers (points, lines,
                        multilinestrings, multipolygons, other_relations) as they are: every
                        feature, its fields and other_tags; no mapping to kinds, no validation, no
                        micro-grid, no town.
  import-osm-geopandas  geopandas.read_file of the same five layers into GeoDataFrames, in memory:
                        no mapping, no validation, nothing written.
Answers, compared untimed after both: OSM's built-in mapping (docs/IMPORT-SOURCES.md, the rules of
Sources/GridMapApp/SourceImport/OSMMapping.swift written again below) applied to the features each
peer holds gives a count per kind; those counts must equal the count per kind in GridMap's store
(--gridmap-store). A kind whose count differs on either side is a difference.
"""
import argparse
import collections
import json
import pathlib
import resource
import sqlite3
import subprocess
import sys
import time

import geopandas
import pyogrio  # noqa: F401 (the engine read_file uses: a missing one fails at start)

import bench_common

LAYERS = ["points", "lines", "multilinestrings", "multipolygons", "other_relations"]
DRIVER_FIELDS = {"osm_id", "osm_way_id", "other_tags", "z_order"}
NOT_ROADS = {"proposed", "construction", "abandoned", "disused", "razed", "platform", "rest_area",
             "services", "elevator", "bus_stop", "raceway"}
SERVICE_KINDS = {
    "pharmacy": "pharmacy", "chemist": "pharmacy", "clinic": "clinic", "doctors": "clinic", "doctor": "clinic",
    "hospital": "hospital", "dentist": "dentist", "school": "school", "kindergarten": "kindergarten",
    "childcare": "kindergarten", "college": "college", "university": "university", "library": "library",
    "police": "police-station", "fire_station": "fire-station", "post_office": "post-office", "townhall": "town-hall",
    "community_centre": "community-centre", "social_facility": "social-facility", "place_of_worship": "place-of-worship",
    "marketplace": "marketplace", "bank": "bank", "bus_station": "bus-station",
}
LAND_KINDS = {
    "landuse": {"farmland": "field", "farmyard": "field", "meadow": "field", "orchard": "field", "vineyard": "field",
                "allotments": "field", "greenhouse_horticulture": "field", "plant_nursery": "field",
                "forest": "forest", "reservoir": "lake", "basin": "lake"},
    "natural": {"wood": "forest", "water": "lake"},
    "waterway": {"river": "river", "stream": "river", "canal": "river", "ditch": "ditch", "drain": "ditch"},
}


def osm_tags(text):
    """The tags of GDAL's other_tags text (`"key"=>"value",…`, `\\"` and `\\\\` escaped inside
    quotes), in order; text not of that form yields the tags read before it."""
    text = text if isinstance(text, str) else ""
    strings, current, inside, escaped = [], [], False, False
    for character in text:
        if not inside:
            if character == '"':
                inside, current = True, []
        elif escaped:
            current.append(character)
            escaped = False
        elif character == "\\":
            escaped = True
        elif character == '"':
            strings.append("".join(current))
            inside = False
        else:
            current.append(character)
    tags = {}
    for key, value in zip(strings[0::2], strings[1::2]):
        tags.setdefault(key, value)
    return tags


def kind_of(tags, linear):
    """The kind OSM's built-in mapping gives a feature, or None (left out)."""
    for key in ("amenity", "healthcare", "shop", "office"):
        value = tags.get(key)
        if value and not linear:
            return key if key in ("shop", "office") else SERVICE_KINDS.get(value, "service")
    highway = tags.get("highway")
    if linear and highway is not None and highway not in NOT_ROADS:
        return "road"
    building = tags.get("building")
    if not linear and building is not None and building != "no":
        return "home"
    for key in ("landuse", "natural", "waterway"):
        kind = LAND_KINDS[key].get(tags.get(key))
        if kind is None:
            continue
        if (kind in ("river", "ditch")) != linear:
            continue
        return kind
    return None


def kinds(frames):
    """{kind: count} of OSM's built-in mapping over the layers' GeoDataFrames. Features without a
    geometry are not counted: GridMap refuses them."""
    counted = collections.Counter()
    for frame in frames.values():
        fields = [column for column in frame.columns if column not in DRIVER_FIELDS and column != "geometry"]
        for row in frame.itertuples(index=False):
            record = row._asdict()
            geometry = record["geometry"]
            if geometry is None or geometry.is_empty:
                continue
            # A field wins over a tag of the same name, as in GridMap.
            tags = {key: str(record[key]) for key in fields if record[key] is not None and record[key] == record[key]}
            for key, value in osm_tags(record.get("other_tags")).items():
                tags.setdefault(key, value)
            kind = kind_of(tags, geometry.geom_type in ("LineString", "MultiLineString"))
            if kind:
                counted[kind] += 1
    return counted


def read_layers(path):
    return {layer: geopandas.read_file(path, layer=layer, engine="pyogrio") for layer in LAYERS}


def store_kinds(store):
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as connection:
        return collections.Counter(dict(connection.execute("SELECT kind, count(*) FROM features GROUP BY kind")))


def compare(ours, theirs, side):
    differ = sorted(kind for kind in set(ours) | set(theirs) if ours.get(kind, 0) != theirs.get(kind, 0))
    for kind in differ:
        print(f"import-osm: {side}: {kind}: GridMap {ours.get(kind, 0)}, peer {theirs.get(kind, 0)}", file=sys.stderr)
    return bench_common.verdict(len(set(ours) | set(theirs)), "kinds' feature counts", real=len(differ))


def main():
    parser = bench_common.folder_argument(description=__doc__)
    parser.add_argument("--source", required=True, type=pathlib.Path, help="the OSM extract (.osm.pbf or .osm)")
    parser.add_argument("--gridmap-store", required=True, type=pathlib.Path, help="the store `gridmap import` wrote")
    arguments = parser.parse_args()
    source, folder = arguments.source, arguments.dir
    ours = store_kinds(arguments.gridmap_store)
    items = sum(ours.values())
    print("import-osm: GridMap's features by kind: " + json.dumps(dict(sorted(ours.items()))), file=sys.stderr)

    package = folder / "osm.gpkg"
    package.unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run(["ogr2ogr", "-q", "-f", "GPKG", str(package), str(source), *LAYERS], check=True)
    seconds = time.perf_counter() - start
    peak = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    answers = compare(ours, kinds(read_layers(package)), "ogr2ogr")
    bench_common.report("import-osm-ogr2ogr", seconds, items, answers, peak_rss_mb=peak,
                        work="ogr2ogr -f GPKG of the five OSM layers as they are; no mapping to kinds, no validation, no town")

    start = time.perf_counter()
    frames = read_layers(source)
    seconds = time.perf_counter() - start
    answers = compare(ours, kinds(frames), "geopandas")
    bench_common.report("import-osm-geopandas", seconds, items, answers,
                        work="geopandas.read_file (pyogrio) of the five OSM layers into memory; no mapping, no validation, nothing written")
    print("import-osm: source features per layer: "
          + json.dumps({layer: len(frame) for layer, frame in frames.items()}), file=sys.stderr)


if __name__ == "__main__":
    main()
