"""The map page in headless Debian chromium (Playwright, no browser download) over a hand-built store.

Needs the built page (`make setup` runs `npm ci` and the build in web/) and /usr/bin/chromium
(`make test` installs it). Screenshots go to out/screenshots/.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import uvicorn
from webdata import XSS, seed

from conftest import ROOT
from frontwatch.api import create_app
from frontwatch.api.app import static_dir
from frontwatch.settings import Settings
from frontwatch.store import open_store

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]  # fmt: skip
SHOTS = ROOT / "out" / "screenshots"
KURAKHOVE = 'path.settlement[data-place="gn:704147"]'


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not (static_dir() / "index.html").is_file():
        pytest.fail(f"the map page is not built in {static_dir()}: run `make setup` (npm ci + build in web/)")
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install chromium` (make test does it)")
    store = open_store(tmp_path_factory.mktemp("web") / "web.db")
    with pytest.MonkeyPatch.context() as mp:
        # The fusion stage's control timeline, faked in-process; swap for seeding its tables once they exist.
        seed(store, mp)
        server = uvicorn.Server(uvicorn.Config(create_app(Settings(), store=store), host="127.0.0.1", port=0,
                                               log_level="warning"))  # fmt: skip
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                pytest.fail("the API server did not start")
            time.sleep(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
        server.should_exit = True
        thread.join(10)
    store.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.dialogs = []
    page.problems = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text} {m.location}"))
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready='1']", timeout=20_000)
    yield page
    assert page.evaluate("window.__xss") is None, "an XSS payload ran"
    assert page.dialogs == [], f"a payload opened dialogs: {page.dialogs}"
    assert page.locator("img[src='x']").count() == 0
    assert page.problems == []
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def go_to(page, date: str) -> None:
    page.fill("#date", date)
    page.dispatch_event("#date", "change")
    page.wait_for_selector(f"body[data-date='{date}']:not([data-loading])")


def wait_loaded(page) -> None:
    page.wait_for_selector("body[data-ready='1']:not([data-loading])")


def test_map_loads_with_events_settlements_and_latest(page):
    assert page.locator("#slider").get_attribute("max") == str(606)  # 2023-05-11 .. 2025-01-06
    assert page.input_value("#date") == "2025-01-06"
    assert page.get_attribute("body", "data-points") == "5"
    assert page.locator("path.settlement").count() == 2
    assert page.locator("#latest li").count() == 5
    assert page.locator(".leaflet-overlay-pane canvas").count() >= 1  # borders and symbols are drawn
    shot(page, "map")


def test_slider_replays_a_settlement_changing_hands(page):
    go_to(page, "2024-06-01")
    assert page.locator(KURAKHOVE).count() == 0  # no known state yet
    go_to(page, "2024-12-15")
    assert page.get_attribute(KURAKHOVE, "data-state") == "contested"
    assert "state-contested" in page.get_attribute(KURAKHOVE, "class")
    shot(page, "slider-contested")
    page.focus("#slider")
    page.keyboard.press("End")  # the slider itself, to the last day
    page.wait_for_selector(f"{KURAKHOVE}[data-state='RU']")
    wait_loaded(page)
    assert page.input_value("#date") == "2025-01-06"
    shot(page, "slider-captured")


def test_clicking_an_event_shows_claims_and_highlighted_evidence(page):
    page.click("#latest button:has-text('captured Kurakhove')")
    page.wait_for_selector("#detail mark.evidence.current")
    detail = page.locator("#detail")
    assert page.locator("#detail mark.evidence.current").inner_text() == (
        "Russia's Defence Ministry said its forces had captured Kurakhove.")
    assert "Russian Defence Ministry" in detail.inner_text()
    assert page.locator("#claims li").count() == 1
    assert page.locator("#detail .badge.status-claimed").count() >= 1
    assert page.locator("#detail mark.evidence.other").inner_text() == "Fighting continued near Pokrovsk."
    assert "control of this place" in detail.inner_text().lower()  # Kurakhove's timeline
    shot(page, "event-detail")


def click_map_at(page, lat: float, lon: float) -> None:
    x, y = page.evaluate("""([lat, lon]) => {
        const p = window.frontwatch.map.latLngToContainerPoint([lat, lon]);
        const r = document.getElementById('map').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }""", [lat, lon])
    page.mouse.click(x, y)


def test_a_symbol_inside_a_settlement_ring_is_clickable(page):
    click_map_at(page, 47.9837, 37.2827)  # Kurakhove: its capture claim sits inside the settlement's ring
    page.wait_for_selector("#detail[data-event]")
    assert "captured Kurakhove" in page.locator("#event-title").inner_text()


def test_clicking_a_symbol_on_the_map_opens_it_and_shows_payloads_as_text(page):
    click_map_at(page, 47.449, 35.841)
    page.wait_for_selector("#detail[data-event]")
    text = page.locator("#detail").inner_text()
    assert f"Channel {XSS}" in text  # the claimant, shown literally
    assert f"Strike on Robotyne {XSS}" in text  # the title
    assert XSS in page.locator("#detail .doctext").inner_text()  # the report's text
    assert page.locator("#detail mark.evidence.current").inner_text() == "Our channel"
    shot(page, "xss-as-text")


@pytest.mark.parametrize(("status", "points"), [("denied", 1), ("claimed", 1), ("asserted", 2), ("", 5)])
def test_filter_by_claim_status(page, status, points):
    page.select_option("#status", status)
    page.wait_for_selector(f"body[data-points='{points}']:not([data-loading])")
    wait_loaded(page)
    if status == "denied":
        shot(page, "filter-denied")


def test_text_search_filters_points(page):
    page.fill("#text", "Bakhmut")
    page.wait_for_selector("body[data-points='2']:not([data-loading])")
    assert [t for t in page.locator("#latest li").all_inner_texts() if "Bakhmut" not in t] == []
