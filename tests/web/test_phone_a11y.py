"""The dashboard on a phone (390x844), for people who use a keyboard or a screen reader, in
dark mode, and saved as a snapshot: in headless Chromium against a live server.

axe-core (bundled by the axe-playwright-python package, so nothing is fetched) checks the
race page, the race list and the review desk for serious or critical violations, in light
and dark mode. Screenshots go to ``$KINGMAKER_SCREENSHOTS`` like the other browser tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from kingmaker.web import WebSettings

from .live import LiveServer, Watch, launch_chromium, live_server
from .test_browser import NATO, REPLAY_DAY, TOKEN, shoot, wait_for_chart

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

PHONE = {"width": 390, "height": 844}
SERIOUS = ("serious", "critical")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with launch_chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def live(chromium: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    db = tmp_path_factory.mktemp("phone") / "live.db"
    settings = WebSettings(samples=4000, timeline_samples=1000, write_token=TOKEN)
    with live_server(db, settings, review_threshold=0.99) as server:
        yield server


@pytest.fixture
def watch() -> Watch:
    return Watch()


def _context(chromium: Browser, watch: Watch, **kw: Any) -> BrowserContext:
    context = chromium.new_context(**kw)
    context.set_default_timeout(20_000)
    watch.attach(context)
    return context


@pytest.fixture
def phone(chromium: Browser, watch: Watch) -> Iterator[Page]:
    """A phone-sized page that takes taps."""
    context = _context(
        chromium, watch, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(params=["light", "dark"])
def desk(request: pytest.FixtureRequest, chromium: Browser, watch: Watch) -> Iterator[Page]:
    """A desktop page in light or dark mode."""
    context = _context(
        chromium, watch, viewport={"width": 1280, "height": 900}, color_scheme=request.param
    )
    try:
        yield context.new_page()
    finally:
        context.close()


def log_in(page: Page, live: LiveServer, then: str) -> None:
    page.goto(f"{live.url}/login?next={then}")
    page.fill("input[name=name]", "Pat Phone")
    page.fill("input[name=token]", TOKEN)
    page.locator("#login button[type=submit]").click()
    page.wait_for_url(f"**{then}")


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for v in results.response["violations"]:
        if v["impact"] in SERIOUS:
            where = [n["target"] for n in v["nodes"][:3]]
            found.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {where}")
    return found


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px screen"


def test_axe_bundles_its_script() -> None:
    """axe.min.js ships inside the package: the checks need no network."""
    import axe_playwright_python

    script = Path(axe_playwright_python.__file__).parent / "axe.min.js"
    assert script.stat().st_size > 100_000
    assert "axe.version" in script.read_text()[:200_000]


def test_race_page_on_a_phone(phone: Page, live: LiveServer, watch: Watch) -> None:
    phone.goto(f"{live.url}/races/{NATO}?as_of={REPLAY_DAY}")
    # the leader and its probability on the first screen
    for selector in ("#leader", "#leader-probability"):
        box = phone.locator(selector).bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], selector
    assert phone.locator("#leader").inner_text() == "Mark Rutte"
    assert re.fullmatch(r"\d+\.\d%", phone.locator("#leader-probability").inner_text())
    assert "Since last week" in phone.locator("#since").inner_text()
    wait_for_chart(phone)
    no_sideways_scroll(phone)
    # tables fit, or scroll inside their own box
    for table in ("#forecast", "#kingmakers", "#matrix"):
        right = phone.locator(table).evaluate(
            "t => { const box = (t.closest('.scroll') || t).getBoundingClientRect();"
            " return box.right; }"
        )
        assert right <= PHONE["width"], f"{table} reaches {right}px"
    # the chart's labels do not overlap, and they are listed in words below it
    boxes = phone.locator("#chart .annotation").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom]; })"
    )
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, f"chart labels overlap: {a} and {b}"
    assert phone.locator("#chart-marks li").count() >= 1
    assert "Mark Rutte" in phone.locator("#chart-summary").inner_text()
    # a stance cell answers a tap
    panel = phone.locator("#cell-detail")
    assert panel.is_hidden()
    cell = phone.locator('#matrix td[data-member="HUN"][data-candidate="rutte"] button')
    cell.tap()
    assert panel.is_visible()
    assert "Hungary on Mark Rutte" in panel.inner_text()
    assert cell.get_attribute("aria-expanded") == "true"
    shoot(phone, "phone-race")
    watch.assert_clean()


def test_stance_cells_answer_the_keyboard(desk: Page, live: LiveServer, watch: Watch) -> None:
    desk.goto(f"{live.url}/races/{NATO}?as_of={REPLAY_DAY}")
    buttons = desk.locator("#matrix .cell-btn")
    assert buttons.count() > 10
    panel = desk.locator("#cell-detail")
    first = buttons.first
    first.focus()
    desk.keyboard.press("Enter")
    assert panel.is_visible()
    said = panel.inner_text()
    assert first.get_attribute("aria-label").split(":")[0] in said  # type: ignore[union-attr]
    buttons.nth(1).focus()  # another cell (Tab reaches it: it is a button)
    desk.keyboard.press("Space")
    assert panel.is_visible()
    assert panel.inner_text() != said
    desk.keyboard.press("Space")  # the same cell again closes it
    assert panel.is_hidden()
    watch.assert_clean()


def test_no_serious_accessibility_violations(desk: Page, live: LiveServer, watch: Watch) -> None:
    pages = {
        "race list": "/",
        "race page": f"/races/{NATO}?as_of={REPLAY_DAY}",
        "review desk": f"/races/{NATO}/review",
    }
    log_in(desk, live, pages["review desk"])  # so that the desk shows its form
    found = {}
    for name, path in pages.items():
        desk.goto(live.url + path)
        if name == "race page":
            wait_for_chart(desk)
        found[name] = serious_violations(desk)
    assert found == {name: [] for name in pages}
    watch.assert_clean()


def test_dark_mode_follows_the_device(desk: Page, live: LiveServer, watch: Watch) -> None:
    desk.goto(f"{live.url}/races/{NATO}?as_of={REPLAY_DAY}")
    dark = desk.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    background = desk.evaluate("getComputedStyle(document.body).backgroundColor")
    channels = [int(c) for c in re.findall(r"\d+", background)[:3]]
    if dark:
        assert max(channels) < 60, f"dark mode has a light background {background}"
        wait_for_chart(desk)
        shoot(desk, "race-dark")
    else:
        assert min(channels) > 240, f"light mode has a dark background {background}"
    watch.assert_clean()


def test_pasted_article_dated_at_its_start_and_kept_on_going_back(
    phone: Page, live: LiveServer, watch: Watch
) -> None:
    review = f"/races/{NATO}/review"
    log_in(phone, live, review)
    no_sideways_scroll(phone)
    undated = "NATO allies weigh who will succeed Jens Stoltenberg; Rutte leads."
    phone.fill("textarea[name=text]", undated)
    watch.allow.append(re.compile(r"status of 422"))
    phone.locator("#ingest button[type=submit]").click()
    assert "no date" in phone.locator("#error-message").inner_text()
    phone.go_back()
    phone.wait_for_url(f"**{review}")
    assert phone.locator("textarea[name=text]").input_value() == undated
    phone.goto(live.url + "/")  # and leaving the desk and coming back keeps it too
    phone.goto(live.url + review)
    assert phone.locator("textarea[name=text]").input_value() == undated

    dated = (
        "3 May 2024 - Hungary's prime minister Viktor Orbán said that Hungary would back "
        "Mark Rutte to become NATO Secretary General."
    )
    phone.fill("textarea[name=text]", dated)
    phone.locator("#ingest button[type=submit]").click()
    phone.wait_for_url(re.compile(rf"/races/{NATO}/articles/[0-9a-f]{{64}}\?read=1"))
    assert "2024-05-03" in phone.locator(".lede").inner_text()
    phone.goto(live.url + review)
    assert phone.locator("textarea[name=text]").input_value() == "", "the draft outlived it"
    watch.assert_clean()


def test_csv_download_from_the_race_page(desk: Page, live: LiveServer, watch: Watch) -> None:
    desk.goto(f"{live.url}/races/{NATO}?as_of={REPLAY_DAY}")
    for link, head in (("#forecast-csv", "race,as_of,outcome"), ("#evidence-csv", "date,id,kind")):
        with desk.expect_download() as info:
            desk.locator(link).click()
        download = info.value
        assert download.suggested_filename.endswith(".csv")
        text = Path(download.path()).read_text(encoding="utf-8-sig")
        assert text.startswith(head), text[:80]
        assert len(text.splitlines()) > 3
    watch.assert_clean()


def test_snapshot_opens_offline(
    chromium: Browser, live: LiveServer, tmp_path: Path, watch: Watch
) -> None:
    from kingmaker.web.snapshot import write_snapshot

    folder = tmp_path / "snap"
    settings = WebSettings(samples=4000, timeline_samples=1000)
    write_snapshot(live.km, NATO, folder, as_of=None, settings=settings)
    context = _context(chromium, watch, viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.goto((folder / "index.html").as_uri())
        wait_for_chart(page)
        no_sideways_scroll(page)
        assert page.locator("#leader").inner_text() == "Mark Rutte"
        page.locator('#forecast button.prob[data-outcome="rutte"]').tap()
        page.locator("#movers-list li.mover").first.wait_for()
        page.locator("#matrix .cell-btn").first.tap()
        assert page.locator("#cell-detail").is_visible()
        assert page.locator('#evidence .source a[href^="http"]').count() > 10
    finally:
        context.close()
    watch.assert_clean()
