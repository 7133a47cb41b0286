#!/usr/bin/env python3
"""Draws docs/routing-bridge.svg: the bridge case of docs/ROUTING.md.

The roads are those of the test `RoadRulesTests.gradeSeparated` (metres): a street along y = 0,
a north-south road across it at x = 200 whose middle 40 m is a bridge, and the real junctions
round the east. Noding every crossing makes a false junction under the bridge and a 400 m route;
the rules give the 800 m route by the real junctions. Run: python3 tools/figures/routing-bridge.py
"""
from pathlib import Path

SCALE, PAD = 1.0, 40
def p(x, y):  # metres -> SVG pixels (y up)
    return (PAD + 60 + x * SCALE, PAD + 220 - y * SCALE)

def line(points, **style):
    d = " ".join(f"{'M' if i == 0 else 'L'}{p(*q)[0]:.1f},{p(*q)[1]:.1f}" for i, q in enumerate(points))
    attrs = " ".join(f'{k.replace("_", "-")}="{v}"' for k, v in style.items())
    return f'<path d="{d}" fill="none" {attrs}/>'

def dot(x, y, r=5, fill="#222"):
    cx, cy = p(x, y)
    return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r}" fill="{fill}"/>'

def text(x, y, s, size=13, anchor="start", fill="#222"):
    tx, ty = p(x, y)
    return f'<text x="{tx:.1f}" y="{ty:.1f}" font-family="sans-serif" font-size="{size}" text-anchor="{anchor}" fill="{fill}">{s}</text>'

parts = [
    # Roads.
    line([(0, 0), (400, 0)], stroke="#bbb", stroke_width=10, stroke_linecap="round"),
    line([(200, -200), (200, -20)], stroke="#bbb", stroke_width=10, stroke_linecap="round"),
    line([(200, 20), (200, 200)], stroke="#bbb", stroke_width=10, stroke_linecap="round"),
    line([(400, 0), (400, 200), (200, 200)], stroke="#bbb", stroke_width=10, stroke_linecap="round"),
    line([(200, -26), (200, 26)], stroke="#555", stroke_width=16),
    line([(200, -20), (200, 20)], stroke="#d9c27a", stroke_width=10),
    # The false route through the crossing (400 m) and the route by the rules (800 m).
    line([(0, 6), (194, 6), (194, 200)], stroke="#c0392b", stroke_width=3, stroke_dasharray="8 5"),
    line([(0, -6), (406, -6), (406, 206), (200, 206)], stroke="#1e8449", stroke_width=3),
    # Junctions: the real ones, and the false one a crossing would make.
    dot(0, 0), dot(400, 0), dot(400, 200), dot(200, 200), dot(200, 20), dot(200, -20), dot(200, -200),
    f'<g stroke="#c0392b" stroke-width="3">'
    f'<line x1="{p(200,0)[0]-8}" y1="{p(200,0)[1]-8}" x2="{p(200,0)[0]+8}" y2="{p(200,0)[1]+8}"/>'
    f'<line x1="{p(200,0)[0]-8}" y1="{p(200,0)[1]+8}" x2="{p(200,0)[0]+8}" y2="{p(200,0)[1]-8}"/></g>',
    text(-8, -4, "A", anchor="end", size=15), text(200, 214, "B", anchor="middle", size=15),
    text(212, -34, "bridge=yes (layer=1)", fill="#7a6520"),
    text(212, 30, "no junction where it", fill="#c0392b"), text(212, 16, "merely crosses", fill="#c0392b"),
    text(-50, -235, "dashed: noding every crossing, A→B 400 m through a false junction", fill="#c0392b"),
    text(-50, -255, "solid: the rules (both topologies), A→B 800 m by the real junctions", fill="#1e8449"),
    text(-50, -275, "dots: junctions, where ways share a node or one's end lies on the other", fill="#222"),
]
width, height = 600, 560
svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">\n'
       f'<rect width="100%" height="100%" fill="white"/>\n' + "\n".join(parts) + "\n</svg>\n")
out = Path(__file__).resolve().parents[2] / "docs" / "routing-bridge.svg"
out.write_text(svg)
print(out)
