"""The dashboard in a real browser, as a person uses it: Debian's Chromium, headless, driven
by Playwright against the app served by uvicorn on localhost.

The tests read the race list and race page (chart, forecast, stances, kingmakers, evidence,
replay, movers), log in and review a pasted article, and check that hostile text stays
text, that a read-only server offers no writing, that a wrong address is a 404 and that the
API docs render. No page may fetch anything from another machine or log an error.
Screenshots go to ``$KINGMAKER_SCREENSHOTS`` (default ``test-artifacts/screenshots``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from kingmaker.web import WebSettings

from .live import LiveServer, Watch, launch_chromium, live_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

TOKEN = "browser-test-token-0123A"  # 24 characters
NATO = "nato-sg-2024"
REPLAY_DAY = "2024-04-29"
STANCE_DAY = "2024-05-03"  # Hungary still blocked Rutte then: its backing moves the forecast
STANCE_TEXT = (
    "Hungary's prime minister Viktor Orbán said on Friday that Hungary would back Mark "
    "Rutte to become NATO Secretary General."
)
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
JS_URL = "javascript:window.__pwned=1"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """One headless Chromium for the module (skips it when there is none)."""
    with launch_chromium() as browser:
        yield browser


def _settings(**kw: object) -> WebSettings:
    return WebSettings(samples=4000, timeline_samples=1000, **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def live(chromium: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A writable server (machine items wait for review) over a fresh SQLite file."""
    db = tmp_path_factory.mktemp("browser") / "live.db"
    with live_server(db, _settings(write_token=TOKEN), review_threshold=0.99) as server:
        yield server


@pytest.fixture(scope="module")
def readonly(chromium: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server started without a write token."""
    db = tmp_path_factory.mktemp("browser") / "readonly.db"
    with live_server(db, _settings()) as server:
        yield server


@pytest.fixture
def watch() -> Watch:
    """What the test's pages must not do; each test ends with ``watch.assert_clean()``."""
    return Watch()


@pytest.fixture
def page(chromium: Browser, watch: Watch) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies), guarded by ``watch``."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    watch.attach(context)
    try:
        yield context.new_page()
    finally:
        context.close()


def shoot(page: Page, name: str) -> Path:
    """Save a full-page screenshot of ``page`` as ``name``.png in the screenshot folder."""
    folder = Path(os.environ.get("KINGMAKER_SCREENSHOTS") or ROOT / "test-artifacts/screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


def probability(page: Page, outcome: str) -> float:
    """The probability of ``outcome`` in the page's forecast table."""
    value = page.locator(f'#forecast button.prob[data-outcome="{outcome}"]').get_attribute(
        "data-probability"
    )
    assert value is not None, f"no {outcome} in the forecast table"
    return float(value)


def wait_for_chart(page: Page) -> None:
    """Wait until plotly has drawn the chart, and check it has lines in it."""
    page.wait_for_selector("#chart[data-rendered=true] .main-svg")
    traces = page.locator("#chart .scatterlayer .trace")
    assert traces.count() >= 2, "the chart has fewer than two lines"
    drawn = page.locator("#chart .scatterlayer path.js-line").evaluate_all(
        "paths => paths.filter(p => (p.getAttribute('d') || '').length > 20).length"
    )
    assert drawn >= 2, "the chart's lines are empty"


def javascript_links(page: Page) -> list[str]:
    """Every href, src, action or formaction on the page that is a javascript: URL."""
    found: list[str] = page.evaluate(
        """() => [...document.querySelectorAll('[href],[src],[action],[formaction]')]
              .flatMap(el => ['href', 'src', 'action', 'formaction']
                .map(a => el.getAttribute(a)).filter(v => v !== null))
              .filter(v => /^\\s*javascript:/i.test(v))"""
    )
    return found


def test_race_page_from_the_list_to_replay_and_movers(
    page: Page, live: LiveServer, watch: Watch
) -> None:
    page.goto(live.url + "/")
    races = page.locator("#races")
    assert "NATO" in races.inner_text()
    page.locator(f'#races a[href="/races/{NATO}"]').click()
    page.wait_for_url(f"**/races/{NATO}")
    assert "NATO" in page.locator("h1").inner_text()

    wait_for_chart(page)
    decided = probability(page, "rutte")
    assert decided > 0.99, "on the day of the appointment Rutte should be certain"
    # on the decided day the others are folded into one line under 0.1%
    assert page.locator("#forecast button.prob").count() >= 1
    assert "Under 0.1%" in page.locator("#forecast tr.others").inner_text()

    support = page.locator("#matrix td.cell.stance-support")
    assert support.count() > 10
    colour = support.first.evaluate("td => getComputedStyle(td).backgroundColor")
    assert colour == "rgb(30, 113, 69)", f"support cells are {colour}, not green"
    assert page.locator("#matrix td.cell.stance-oppose").count() > 0

    assert page.get_by_role("heading", name="Kingmakers").is_visible()
    evidence = page.locator("#evidence li.item")
    assert evidence.count() > 20
    # curated items carry a note, extracted ones the quote itself
    assert page.locator("#evidence li.item :is(blockquote, .note)").count() > 10
    assert page.locator('#evidence .source a[href^="http"]').count() > 10
    shoot(page, "race")

    page.fill("#as-of", REPLAY_DAY)
    page.locator("#as-of-form button[type=submit]").click()
    page.wait_for_url(f"**/races/{NATO}?as_of={REPLAY_DAY}")
    assert page.locator("#forecast").get_attribute("data-as-of") == REPLAY_DAY
    assert page.locator("h2", has_text=f"Forecast as of {REPLAY_DAY}").is_visible()
    replayed = probability(page, "rutte")
    assert 0.05 < replayed < 0.95, f"Rutte at {replayed} before the decision"
    assert replayed != decided
    assert page.locator("#kingmakers tbody tr").count() >= 1
    wait_for_chart(page)

    assert page.locator("#movers").is_hidden()
    page.locator('#forecast button.prob[data-outcome="rutte"]').click()
    movers = page.locator("#movers-list li.mover")
    movers.first.wait_for()
    assert "Rutte" in page.locator("#movers-title").inner_text()
    assert movers.count() >= 1
    assert page.locator('#movers-list li.mover .source a[href^="http"]').count() >= 1
    shoot(page, "race-replayed")
    watch.assert_clean()


def test_log_in_ingest_and_accept_a_stance(page: Page, live: LiveServer, watch: Watch) -> None:
    review = f"/races/{NATO}/review"
    page.goto(f"{live.url}/login?next={review}")
    page.fill("input[name=name]", "Alice Reviewer")
    page.fill("input[name=token]", TOKEN)
    page.locator("#login button[type=submit]").click()
    page.wait_for_url(f"**{review}")
    assert "writing as Alice Reviewer" in page.locator("header").inner_text()

    page.fill("textarea[name=text]", STANCE_TEXT)
    page.fill("input[name=date]", STANCE_DAY)
    page.fill("input[name=title]", "Orbán backs Rutte")
    shoot(page, "review-desk")
    page.locator("#ingest button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/races/{NATO}/articles/[0-9a-f]{{64}}\?read=1&new=1"))
    assert "1 article read, 1 new; 2 new items" in page.locator("#notice").inner_text()

    marked = page.locator("#article-text mark")
    assert marked.count() == 1
    assert "would back Mark Rutte" in marked.inner_text()
    stance = page.locator("#extracted li.item", has=page.locator(".kind", has_text="stance"))
    assert stance.count() == 1
    assert "pending" in stance.locator(".state").inner_text()
    assert stance.locator(".tag", has_text="not used").is_visible()
    before = probability(page, "rutte")

    stance.locator("button[data-action=accept]").click()
    page.wait_for_load_state()
    stance = page.locator("#extracted li.item", has=page.locator(".kind", has_text="stance"))
    assert stance.locator(".state").inner_text() == "accepted"
    assert stance.locator("button[data-action=accept]").count() == 0
    assert stance.locator(".tag", has_text="not used").count() == 0
    after = probability(page, "rutte")
    # Holdouts against a broadly backed candidate are pressed and usually give way
    # (docs/model.md, step 7), so the lifted objection is worth a fraction of a point, not
    # the whole block; it must still move Rutte up.
    assert after > before, f"Hungary's backing did not move Rutte up: {before} -> {after}"
    shoot(page, "article-accepted")

    page.goto(live.url + review)
    queue = page.locator("#queue li.item")
    assert queue.count() >= 1, "the candidacy item should still wait for review"
    assert page.locator("#queue .kind", has_text="stance").count() == 0
    watch.assert_clean()


def test_hostile_text_stays_text(page: Page, live: LiveServer, watch: Watch) -> None:
    text = (
        "NATO allies weigh who will succeed Jens Stoltenberg as NATO Secretary General. "
        "Turkey's president Recep Tayyip Erdoğan said on Tuesday that Turkey would back Mark "
        f"Rutte to become NATO Secretary General {SCRIPT} {IMG}. Critics replied {IMG}."
    )
    answer = page.context.request.post(
        f"{live.url}/api/races/{NATO}/ingest",
        headers={"Authorization": f"Bearer {TOKEN}", "X-Reviewer": "mallory"},
        data={"text": text, "title": f"Rutte {SCRIPT} {IMG}", "url": JS_URL, "date": "2024-04-02"},
    )
    assert answer.ok, answer.text()
    data = answer.json()
    assert data["added"] >= 1, data["summary"]
    article = data["articles"][0]

    pages = {
        "article": f"/races/{NATO}/articles/{article}",
        "review desk": f"/races/{NATO}/review",
        "race page": f"/races/{NATO}?as_of=2024-04-02",
    }
    for name, path in pages.items():
        page.goto(live.url + path)
        body = page.locator("main").inner_text()
        assert SCRIPT in body, f"the {name} does not show the script tag as text"
        assert page.evaluate("typeof window.__pwned") == "undefined", f"script ran on {name}"
        assert page.locator("main script, main img").count() == 0, name
        assert javascript_links(page) == [], name
        if name == "article":
            assert IMG in body
            assert f"Rutte {SCRIPT} {IMG}" == page.locator("h1").inner_text()
            assert JS_URL in page.locator("#extracted .source").first.inner_text()
    watch.assert_clean()


def test_read_only_server_offers_no_writing(page: Page, readonly: LiveServer, watch: Watch) -> None:
    page.goto(f"{readonly.url}/races/{NATO}/review")
    assert page.locator("header .who").inner_text() == "read-only"
    assert page.locator("#ingest").count() == 0
    assert page.locator("textarea").count() == 0
    assert "This server is read-only" in page.locator("main").inner_text()
    assert page.locator("button[data-action]").count() == 0

    for headers in ({}, {"Authorization": f"Bearer {TOKEN}"}):
        answer = page.context.request.post(
            f"{readonly.url}/api/races/{NATO}/ingest",
            headers=headers,
            data={"text": STANCE_TEXT, "date": STANCE_DAY},
        )
        assert answer.status == 403
        error = answer.json()["error"]
        assert error["status"] == 403
        assert error["kind"] == "read_only"
        assert "read-only" in error["message"]
    assert readonly.get_json(f"/api/races/{NATO}/review-queue") == []
    watch.assert_clean()


def test_unknown_race_is_a_404_page(page: Page, live: LiveServer, watch: Watch) -> None:
    # the browser logs the page's own 404 status as a console error
    watch.allow.append(re.compile(r"status of 404"))
    response = page.goto(live.url + "/races/no-such-race")
    assert response is not None
    assert response.status == 404
    assert page.locator("h1").inner_text() == "404 Not found"
    assert "no-such-race" in page.locator("#error-message").inner_text()
    page.get_by_role("link", name="The races").click()
    page.wait_for_url(live.url + "/")
    watch.assert_clean()


def test_api_docs_render_offline(page: Page, live: LiveServer, watch: Watch) -> None:
    page.goto(live.url + "/")
    page.get_by_role("link", name="API").click()
    page.wait_for_url("**/api/docs")
    broken = page.get_by_text("Unable to render this definition")
    page.locator(".swagger-ui .opblock").or_(broken).first.wait_for()
    watch.assert_clean()
    assert broken.count() == 0, "Swagger UI cannot render the schema"
    assert "kingmaker" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".swagger-ui .opblock").count() >= 10
