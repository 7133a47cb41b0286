#!/usr/bin/env python3
"""Drives GridMap's web map in Debian's headless Chromium (through Debian's chromedriver) like a
user, and prints what it saw as one JSON object on standard output; the Swift tests
(Tests/GridMapServerTests/WebMapBrowserTests.swift) judge it. Nothing is downloaded: Selenium is
told where the browser and its driver are, and SE_OFFLINE keeps Selenium Manager quiet.

    webmap.py load URL --out FOLDER [--width W --height H] [--name NAME]

Exit status 0 with the JSON; otherwise non-zero, with the reason on standard error (a missing
browser or driver names the Debian package to install).
"""
import argparse
import json
import os
import struct
import sys
import time
import zlib

os.environ.setdefault("SE_OFFLINE", "true")

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
READY_SECONDS = 90


def start_browser(width, height):
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.access(path, os.X_OK):
            sys.exit(f"webmap.py: {path} is missing: install Debian's {package} (tools/setup does)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={width},{height}", "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except WebDriverException as error:
        sys.exit(f"webmap.py: Chromium did not start: {error.msg}")
    # The window size includes the browser's frame; the viewport is set exactly, as a phone's.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500})
    return driver


def wait_until(driver, script, seconds=READY_SECONDS, what="the page"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.2)
    status = driver.execute_script("return (document.querySelector('#status') || {}).textContent")
    raise SystemExit(f"webmap.py: waited {seconds} s for {what}; the page's status line: {status}; "
                     f"console errors: {console_errors(driver)}")


def wait_ready(driver):
    wait_until(driver, "return document.body && document.body.dataset.state === 'ready'", what="the map's layers")


def console_errors(driver):
    """The browser's console messages of level SEVERE (script errors, failed loads, CSP refusals)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]


def png_colours(path):
    """(distinct colours, share of the commonest colour) of an 8-bit RGB or RGBA PNG, every pixel."""
    with open(path, "rb") as file:
        data = file.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"webmap.py: {path} is not a PNG")
    offset, idat, width, height, channels = 8, b"", 0, 0, 0
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            channels = {2: 3, 6: 4}.get(colour)
            if depth != 8 or channels is None:
                raise SystemExit(f"webmap.py: {path}: unexpected PNG format (depth {depth}, colour type {colour})")
        elif kind == b"IDAT":
            idat += body
        offset += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    counts = {}
    position = 0
    for _ in range(height):
        kind, line = raw[position], bytearray(raw[position + 1:position + 1 + stride])
        position += 1 + stride
        for i in range(stride):  # PNG's five filters (RFC 2083 §6)
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        for x in range(0, stride, channels):
            key = bytes(line[x:x + 3])
            counts[key] = counts.get(key, 0) + 1
        previous = line
    return len(counts), max(counts.values()) / (width * height)


PAGE_FACTS = """
const rect = (selector) => { const node = document.querySelector(selector); if (!node) return null;
  const r = node.getBoundingClientRect(); return {left: r.left, top: r.top, width: r.width, height: r.height}; };
const visibleTabs = [...document.querySelectorAll('#tabs button')].filter((b) => !b.hidden).map((b) => b.textContent);
return {
  microGridPaths: document.querySelectorAll('#map svg path.gm-microgrid').length,
  gridPaths: document.querySelectorAll('#map svg path.gm-grid').length,
  eventSymbols: document.querySelectorAll('#map svg path.gm-event').length,
  labels: document.querySelectorAll('.gm-label').length,
  problems: Number(document.body.dataset.problems || 0),
  status: document.querySelector('#status').textContent,
  htmlLang: document.documentElement.lang,
  title: document.title,
  who: document.querySelector('#who').textContent,
  languageSwitch: document.querySelector('#lang-switch').textContent,
  tabs: visibleTabs,
  viewportWidth: window.innerWidth, viewportHeight: window.innerHeight,
  scrollWidth: document.documentElement.scrollWidth,
  map: rect('#map'), panel: rect('#panel'), tabBar: rect('#tabs'),
};
"""


def load(arguments):
    driver = start_browser(arguments.width, arguments.height)
    try:
        driver.get(arguments.url)
        wait_ready(driver)
        facts = driver.execute_script(PAGE_FACTS)
        shot = os.path.join(arguments.out, f"{arguments.name}.png")
        driver.save_screenshot(shot)
        facts["screenshot"] = shot
        facts["screenshotColours"], facts["screenshotDominantShare"] = png_colours(shot)
        # Click one micro-grid: its grid's card (team and counts) appears in the panel.
        driver.execute_script("document.querySelector('#map svg path.gm-microgrid').dispatchEvent(new MouseEvent('click', {bubbles: true}))")
        facts["card"] = wait_until(driver, """
            const card = document.querySelector('#grid-card .card'); if (!card) return null;
            return {grid: card.dataset.grid, heading: card.querySelector('h2').textContent,
                    team: [...card.querySelectorAll('table.team tbody tr')].map((r) => [...r.cells].map((c) => c.textContent))};""",
                                   what="the grid card")
        facts["consoleErrors"] = console_errors(driver)
        return facts
    finally:
        driver.quit()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", choices=["load"])
    parser.add_argument("url")
    parser.add_argument("--out", required=True, help="folder for screenshots")
    parser.add_argument("--name", default="map")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    arguments = parser.parse_args()
    result = {"load": load}[arguments.scenario](arguments)
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
