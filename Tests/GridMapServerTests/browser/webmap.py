#!/usr/bin/env python3
"""Drives GridMap's web map in Debian's headless Chromium (through Debian's chromedriver) like a
user, and prints what it saw as one JSON object on standard output; the Swift tests
(Tests/GridMapServerTests/WebMapBrowserTests.swift) judge it. Nothing is downloaded: Selenium is
told where the browser and its driver are, and SE_OFFLINE keeps Selenium Manager quiet.

    webmap.py load URL --out FOLDER [--width W --height H] [--name NAME]
    webmap.py run URL --plan PLAN.json --out FOLDER [--width W --height H]

`load` opens the map and clicks a micro-grid. `run` takes the steps of a plan (a JSON list of
objects, each with "do": open, signin, signout, search, card, report, queue, act, dashboard,
route, events, text, screenshot) one after the other, as a user would — typing into the page's
forms, clicking its tabs, buttons and the map — and prints {"steps": [what each step saw],
"consoleErrors": [...]}. A step's "expect" that the page does not reach in time fails the run.

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
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.actions.action_builder import ActionBuilder  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

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


# ---- The steps of a plan ----------------------------------------------------------------------

def tab(driver, name):
    driver.find_element(By.CSS_SELECTOR, f'#tabs button[data-tab="{name}"]').click()


def wait_state(driver, selector, what):
    """Waits for the element's data-state to be 'done' (the page sets it when its call is answered)."""
    wait_until(driver, f"const n = document.querySelector('{selector}'); return n && n.dataset.state === 'done';", what=what)


def type_into(driver, selector, text):
    box = driver.find_element(By.CSS_SELECTOR, selector)
    box.clear()
    box.send_keys(text)


def submit(driver, button, answer, what):
    """Clicks `button` and waits for the element `answer` to say its call was answered."""
    driver.execute_script(f"document.querySelector('{answer}').dataset.state = ''")
    driver.find_element(By.CSS_SELECTOR, button).click()
    wait_state(driver, answer, what)


def text_of(driver, selector):
    return driver.execute_script(f"const n = document.querySelector('{selector}'); return n ? n.textContent : null;")


def who(driver):
    return driver.execute_script("""return {who: document.querySelector('#who').textContent, role: document.body.dataset.role,
        tabs: [...document.querySelectorAll('#tabs button')].filter((b) => !b.hidden).map((b) => b.dataset.tab)};""")


def click_inside(driver, selector):
    """A real mouse click at a point of the element that the element itself is hit at (not a marker
    or a neighbour drawn over it); returns the point."""
    point = driver.execute_script("""
        const node = document.querySelector(arguments[0]); if (!node) return null;
        node.scrollIntoView({block: 'nearest'});
        const r = node.getBoundingClientRect();
        const map = document.querySelector('#map').getBoundingClientRect();
        const left = Math.max(r.left, map.left), right = Math.min(r.right, map.right);
        const top = Math.max(r.top, map.top), bottom = Math.min(r.bottom, map.bottom);
        for (let step = 2; step <= 32; step *= 2)
          for (let i = 1; i < step; i += 2) for (let j = 1; j < step; j += 2) {
            const x = left + (right - left) * i / step, y = top + (bottom - top) * j / step;
            if (document.elementFromPoint(x, y) === node) return [Math.round(x), Math.round(y)];
          }
        return null;""", selector)
    if point is None:
        raise SystemExit(f"webmap.py: no point of {selector} to click on the map")
    actions = ActionBuilder(driver)
    actions.pointer_action.move_to_location(point[0], point[1]).click()
    actions.perform()
    return point


def do_open(driver, url, step):
    driver.execute_script("window.gridmapOld = true")
    driver.get(url + step.get("path", ""))
    wait_ready(driver)
    return who(driver)


def do_signin(driver, url, step):
    tab(driver, "account")
    type_into(driver, "#login-name", step["name"])
    type_into(driver, "#login-password", step["password"])
    if step.get("plainForm"):
        # The form's own post, as without the script: the server answers 303 back to the map.
        driver.execute_script("window.gridmapOld = true; document.querySelector('#login-form').submit()")
        wait_until(driver, "return !window.gridmapOld && document.body && document.body.dataset.state === 'ready'",
                   what="the map after the form's sign-in")
    else:
        driver.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    wait_until(driver, "return document.body.dataset.role !== 'public' || document.querySelector('#login-result').textContent",
               what="the sign-in's answer")
    facts = who(driver)
    facts["loginResult"] = text_of(driver, "#login-result")
    facts["url"] = driver.current_url
    return facts


def do_signout(driver, url, step):
    tab(driver, "account")
    driver.execute_script("window.gridmapOld = true")
    driver.find_element(By.ID, "logout").click()
    wait_until(driver, "return !window.gridmapOld && document.body && document.body.dataset.state === 'ready'", what="the map after signing out")
    return who(driver)


def do_search(driver, url, step):
    tab(driver, "search")
    Select(driver.find_element(By.ID, "search-kind")).select_by_value(step.get("kind", "address"))
    type_into(driver, "#search-text", step["q"])
    submit(driver, "#search-form button[type=submit]", "#search-results", "the search's results")
    facts = {"results": driver.execute_script("return [...document.querySelectorAll('#search-results li')].map((li) => li.textContent)")}
    if "click" in step:
        driver.execute_script("document.body.dataset.inView = ''")
        driver.find_elements(By.CSS_SELECTOR, "#search-results li")[step["click"]].click()
        facts["inView"] = json.loads(wait_until(driver, "return document.body.dataset.inView", what="the homes and residents in view"))
    return facts


def do_card(driver, url, step):
    tab(driver, "info")
    driver.execute_script("document.querySelector('#grid-card').replaceChildren()")
    driver.execute_script("document.querySelector(arguments[0]).dispatchEvent(new MouseEvent('click', {bubbles: true}))",
                          f'#map svg path.gm-microgrid[data-code="{step["microGrid"]}"]')
    return wait_until(driver, """
        const card = document.querySelector('#grid-card .card'); if (!card) return null;
        return {grid: card.dataset.grid, heading: card.querySelector('h2').textContent, text: card.textContent,
                team: [...card.querySelectorAll('table.team tbody tr')].map((r) => [...r.cells].map((c) => c.textContent))};""",
                      what="the grid card")


def do_report(driver, url, step):
    tab(driver, "report")
    wait_until(driver, "return document.querySelectorAll('#report-category option').length > 0", what="the categories")
    if "category" in step:
        Select(driver.find_element(By.ID, "report-category")).select_by_value(step["category"])
    point = click_inside(driver, f'#map svg path.gm-microgrid[data-code="{step["microGrid"]}"]')
    wait_until(driver, "return !document.querySelector('#report-submit').disabled", 10, "the place to be chosen")
    type_into(driver, "#report-description", step["description"])
    submit(driver, "#report-submit", "#report-result", "the report's answer")
    return {"clicked": point, "place": text_of(driver, "#report-place"), "result": text_of(driver, "#report-result"),
            "request": driver.execute_script("return document.querySelector('#report-result').dataset.request || null"),
            "eventSymbols": len(driver.find_elements(By.CSS_SELECTOR, "#map svg path.gm-event"))}


QUEUE = """return [...document.querySelectorAll('#queue-list .queue-item')].map((item) => ({
    event: item.dataset.event, text: item.textContent,
    deadlines: [...item.querySelectorAll('div')].filter((d) => d.textContent.includes(':') && /\\d{4}|\\d+:\\d+/.test(d.textContent)).map((d) => d.textContent),
    overdue: item.querySelectorAll('.overdue').length,
    buttons: [...item.querySelectorAll('button')].map((b) => b.className)}));"""


def do_queue(driver, url, step):
    submit(driver, '#tabs button[data-tab="queue"]', "#queue-list", "the queue")
    return {"items": driver.execute_script(QUEUE), "text": text_of(driver, "#queue-list")}


def do_act(driver, url, step):
    submit(driver, f'#queue-list .queue-item[data-event="{step["event"]}"] button.{step["action"]}', "#queue-list", "the queue after the action")
    return {"items": driver.execute_script(QUEUE), "status": text_of(driver, "#status")}


def do_dashboard(driver, url, step):
    submit(driver, '#tabs button[data-tab="dashboard"]', "#dashboard", "the dashboard")
    wait_until(driver, "const img = document.querySelector('#dashboard img.chart'); return !img || (img.complete && img.naturalWidth > 0);",
               what="the chart")
    return driver.execute_script("""const figures = {};
        for (const f of document.querySelectorAll('#dashboard > div > span.figure')) figures[f.dataset.key] = f.querySelector('b').textContent;
        const img = document.querySelector('#dashboard img.chart');
        return {figures, chartWidth: img ? img.naturalWidth : 0, text: document.querySelector('#dashboard').textContent};""")


def do_route(driver, url, step):
    tab(driver, "route")
    for field, key in (("#route-grid", "grid"), ("#route-categories", "categories")):
        if key in step:
            type_into(driver, field, step[key])
    submit(driver, "#route-form button[type=submit]", "#route-result", "the route")
    return {"result": text_of(driver, "#route-result"),
            "stops": driver.execute_script("return Number(document.querySelector('#route-result').dataset.stops || -1)"),
            "routePaths": len(driver.find_elements(By.CSS_SELECTOR, "#map svg path.gm-route"))}


def do_events(driver, url, step):
    """Opens every event's popup on the map, as a user clicking each symbol, and reads it."""
    return driver.execute_script("""
        const seen = [];
        for (const node of document.querySelectorAll('#map svg path.gm-event')) {
          node.dispatchEvent(new MouseEvent('click', {bubbles: true}));
          // The newest popup is the last (a closed one may linger while it fades out).
          const popup = [...document.querySelectorAll('.leaflet-popup-content')].pop();
          seen.push({event: node.dataset.event, text: popup ? popup.textContent : null});
        }
        const close = document.querySelector('.leaflet-popup-close-button'); if (close) close.click();
        return {popups: seen};""")


def do_text(driver, url, step):
    return {"text": driver.execute_script("return document.body.innerText")}


def do_screenshot(driver, url, step):
    # Not in the middle of a zoom or pan: Leaflet marks its animations on the map's panes.
    wait_until(driver, "return !document.querySelector('#map.leaflet-zoom-anim, #map .leaflet-pan-anim')", what="the map to stop moving")
    time.sleep(0.5)
    shot = os.path.join(step["out"], f"{step['name']}.png")
    driver.save_screenshot(shot)
    colours, dominant = png_colours(shot)
    return {"screenshot": shot, "colours": colours, "dominantShare": dominant}


STEPS = {"open": do_open, "signin": do_signin, "signout": do_signout, "search": do_search, "card": do_card,
         "report": do_report, "queue": do_queue, "act": do_act, "dashboard": do_dashboard, "route": do_route,
         "events": do_events, "text": do_text, "screenshot": do_screenshot}


def run(arguments):
    with open(arguments.plan, encoding="utf-8") as file:
        plan = json.load(file)
    driver = start_browser(arguments.width, arguments.height)
    seen = []
    try:
        for number, step in enumerate(plan):
            step = dict(step, out=arguments.out)
            try:
                seen.append(STEPS[step["do"]](driver, arguments.url, step))
            except SystemExit as stop:
                shot = os.path.join(arguments.out, f"failed-step-{number}.png")
                driver.save_screenshot(shot)
                raise SystemExit(f"step {number} ({step['do']}): {stop} (screenshot {shot})")
        return {"steps": seen, "consoleErrors": console_errors(driver)}
    finally:
        driver.quit()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", choices=["load", "run"])
    parser.add_argument("url")
    parser.add_argument("--out", required=True, help="folder for screenshots")
    parser.add_argument("--name", default="map")
    parser.add_argument("--plan", help="the steps of `run`: a JSON file")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    arguments = parser.parse_args()
    result = {"load": load, "run": run}[arguments.scenario](arguments)
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
