"""What the browser tests share: a page wrapper that axe-checks every page and htmx swap, and
keyboard helpers.

`CheckedPage` wraps one Playwright page in its own context. It records every document the page
loads and every htmx swap, and `check()` runs axe (WCAG 2.2 A/AA only) on what is showing now.
When the test ends, `finish()` fails it if a loaded page or a swap was never checked, or if the
console showed a JavaScript error, a CSP violation or a failed request. So a test cannot visit
a page without checking it: it has to call `goto()` (which checks) or `check()` after each
navigation or swap it causes.

axe is asynchronous, and a context with JavaScript disabled runs no promises or timers (even
for Playwright's own `evaluate`), so axe cannot run there. For those pages `check()` takes the
DOM as the browser has it and runs axe on it in a separate, JavaScript-enabled "snapshot" page
on the same origin, with the same stylesheets and viewport, under a CSP that blocks every
script, so what axe sees is the no-JavaScript page.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe, AxeResults
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Response

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations"],
    "reporter": "no-passes",
}

#: GOV.UK's focus colour, $govuk-focus-colour (#ffdd00)
FOCUS_YELLOW = "rgb(255, 221, 0)"

# Runs before any page script. The bindings it calls are exposed by CheckedPage. htmx events
# bubble, so one listener on the document sees every swap.
_INIT_SCRIPT = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.__pwCspViolation && window.__pwCspViolation(
    e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber);
});
document.addEventListener('htmx:afterSettle', (e) => {
  const target = e.detail && e.detail.target;
  window.__pwSwapped && window.__pwSwapped(target && target.id ? '#' + target.id : String(target));
});
"""

_axe = Axe()

#: where the live server serves axe-playwright-python's copy of axe (see `serve_axe`)
AXE_PATH = "/static/__browser-tests__/axe.min.js"


def serve_axe(app) -> None:
    """Add a route serving axe to the test's app. Under /static/ so that the app leaves it
    cacheable even for signed-in people (it marks every other signed-in response no-store)."""
    from flask import Response

    def axe_js():
        return Response(
            _axe.axe_script,
            mimetype="text/javascript",
            headers={"Cache-Control": "public, max-age=86400, immutable"},
        )

    app.add_url_rule(AXE_PATH, endpoint="browser_tests_axe", view_func=axe_js)


def format_violations(where: str, violations: list[dict]) -> str:
    lines = [f"axe found {len(violations)} WCAG 2.2 A/AA violation(s) on {where}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'no impact'}): "
            f"{violation['help']} <{violation.get('helpUrl', '')}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary[:300]}")
    return "\n".join(lines)


# Per-request secrets that differ on every render of the same page.
_VOLATILE = re.compile(
    r'(name="(?:csrf_token|submission_key)"[^>]*?value=")[^"]*"'
    r"|(X-CSRFToken&#34;: &#34;|X-CSRFToken&quot;: &quot;)[^&]*"
    r'|(nonce=")[^"]*"'
    r"|(/(?:verify-email|reset-password|confirm-email-change)/)[\w-]+"
)

#: fingerprints of documents axe has already passed in this run (see run_axe)
_passed: set[str] = set()
#: where the run's xdist workers share those fingerprints, one empty file each (see share_passed)
_passed_dir: Path | None = None


def share_passed(directory: Path) -> None:
    """Share passed fingerprints with the run's other workers through `directory`: a folder
    of this run only, or of one CI invocation (`AXE_PASSED_DIR`, one checkout and one asset
    build); what passed in an earlier build proves nothing about this one's CSS."""
    global _passed_dir
    directory.mkdir(parents=True, exist_ok=True)
    _passed_dir = directory


def _already_passed(key: str) -> bool:
    if key in _passed:
        return True
    if _passed_dir is not None and (_passed_dir / key).exists():
        _passed.add(key)
        return True
    return False


def _remember_passed(key: str) -> None:
    _passed.add(key)
    if _passed_dir is not None:
        (_passed_dir / key).touch()


#: where a page's numbers are database ids, times, dates, counts or factory numbers, which
#: differ between two runs of one journey (SQLite gives ids again after a rollback, PostgreSQL's
#: sequences do not): the words between tags, and the attributes that hold ids and addresses
_NUMBERED = re.compile(
    r"(>)([^<]+)(?=<)"
    r"|(\s(?:id|for|href|action|src|name|value|aria-labelledby|aria-describedby|aria-controls"
    r'|hx-get|hx-post|hx-target|hx-select)=")([^"]*)'
)
_NUMBER = re.compile(r"\d+")


def _renumber(html: str) -> str:
    """Text between tags becomes a note of its size (`_words`). Each number in those
    attributes becomes its order of first appearance in the page, so
    `post-57 … post-58` and `post-3 … post-4` read alike while equal numbers stay equal and
    different ones different: a duplicate id is still a duplicate, a distinct one distinct.
    Numbers that change what axe checks (tabindex, colspan, aria-level) are left as they are."""
    seen: dict[str, str] = {}

    def one(number: re.Match) -> str:
        return seen.setdefault(number.group(0), f"#{len(seen)}")

    def part(found: re.Match) -> str:
        if found.group(1):
            return found.group(1) + _words(found.group(2))
        lead, numbered = found.group(3, 4)
        return lead + _NUMBER.sub(one, numbered)

    return _NUMBERED.sub(part, html)


def _words(text: str) -> str:
    """A text node as axe sees it: whether it has words, and roughly how many characters
    (1, up to 4, 16, 64, 256 or more), not which. The rules of WCAG A and AA look at text's
    presence, its styles and its box, not its words, so one page template showing another
    consultation's title is not checked again; a much longer text, which could overflow or
    widen a target, is."""
    words = text.strip()
    if not words:
        return text
    size = 1
    while size < len(words) and size < 256:
        size *= 4
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}text{size}{trail}"


def fingerprint(page: Page, html: str) -> str:
    """Identifies what axe would see: the markup, bar per-request secrets, and the viewport.

    Numbers that only say which row or when (`_renumber`) are made alike, so the PostgreSQL
    run of CI reuses what the SQLite run checked of the same journey."""
    stable = _VOLATILE.sub(lambda m: next(g for g in m.groups() if g is not None), html)
    stable = _renumber(stable)
    viewport = page.viewport_size or {}
    key = f"{viewport.get('width')}x{viewport.get('height')}\n{stable}"
    return hashlib.sha256(key.encode()).hexdigest()


#: Loads axe into the document if it is not there yet, then runs it: one round trip.
_RUN_AXE = """async ([src, options]) => {
  if (typeof window.axe !== 'object') {
    await new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = resolve;
      script.onerror = () => reject(new Error('could not load ' + src));
      document.head.append(script);
    });
  }
  return axe.run(document, options);
}"""


def run_axe(
    page: Page, where: Callable[[], str], *, seen_as: str | None = None, inline: bool = False
) -> None:
    """axe on the whole document, restricted to WCAG 2.2 A and AA rules.

    Like `Axe.run`, but the 500 kB script is injected once per document rather than on every
    run. And a document whose markup is identical (bar CSRF tokens and nonces) to one that
    already passed, at the same viewport size, is not checked again: the same markup with the
    same stylesheet gives the same result, and the journeys show many identical pages (under
    pytest-xdist the workers share what passed, see `share_passed`). `seen_as` is the
    fingerprint when the caller already has it; `where` describes the page, and is only asked
    for when there is something to report.

    axe is loaded as a same-origin script (allowed by the app's CSP), so chromium compiles it
    once and reuses the compiled code on every later page; `inline` evaluates it instead, for
    pages whose CSP allows no scripts at all.
    """
    key = seen_as or fingerprint(page, page.evaluate("document.documentElement.outerHTML"))
    if _already_passed(key):
        return
    if inline:
        if not page.evaluate("typeof window.axe === 'object'"):
            page.evaluate(_axe.axe_script)
        response = page.evaluate("(options) => axe.run(document, options)", AXE_OPTIONS)
    else:
        response = page.evaluate(_RUN_AXE, [AXE_PATH, AXE_OPTIONS])
    violations = AxeResults(response).response["violations"]
    assert not violations, format_violations(where(), violations)
    _remember_passed(key)


class SnapshotChecker:
    """Runs axe on HTML captured from a JavaScript-disabled page (see the module docstring).

    One page, on the live server's origin so that the snapshot's root-relative stylesheets
    load, under a CSP that lets no script run: the snapshot has to stay the page a browser
    without JavaScript shows. Each snapshot replaces the document with `document.open()`,
    which keeps the window, and so the axe already loaded into it (no navigation, no second
    copy of axe to compile).
    """

    CSP = "script-src 'none'; object-src 'none'"
    _WRITE = """(html) => {
      document.open();
      document.write(html);
      document.close();
      const pending = Array.from(document.querySelectorAll('link[rel=stylesheet]'))
        .filter((link) => !link.sheet)
        .map((link) => new Promise((done) => {
          link.addEventListener('load', done);
          link.addEventListener('error', done);
        }));
      return Promise.all(pending).then(() => document.styleSheets.length);
    }"""

    def __init__(self, context: BrowserContext, origin: str):
        self.page = context.new_page()
        self.url = origin + "/static/__browser-tests__/snapshot.html"
        self.page.route(self.url, self._serve_blank)
        self.page.goto(self.url)

    def _serve_blank(self, route) -> None:
        route.fulfill(
            status=200,
            body='<!DOCTYPE html><html lang="en"><head><title>axe</title></head><body></body></html>',
            headers={
                "Content-Type": "text/html; charset=utf-8",
                "Content-Security-Policy": self.CSP,
            },
        )

    def check(self, source: Page, where: Callable[[], str]) -> None:
        html = source.content()
        key = fingerprint(source, html)
        if _already_passed(key):
            return
        if self.page.viewport_size != source.viewport_size:
            self.page.set_viewport_size(source.viewport_size)
        assert self.page.evaluate(self._WRITE, html) > 0, f"no stylesheet loaded for {where()}"
        run_axe(self.page, where, seen_as=key, inline=True)


class ContextPool:
    """Browser contexts kept for a whole session, one free list for each JavaScript setting.

    Each person in a journey gets a context of their own for the test (`take`), and gives it
    back when the test ends (`give_back`): its pages are closed and its cookies cleared, so
    the next test starts signed out, with no history and a page of its own. A context keeps
    one blank page open between tests: chromium starts the browser window's own renderer for
    each context that has a page, and closing the last page stops it (about 0.5 s of CPU each
    time, a tenth of a journey's). Bindings and the init script are the context's, set once;
    the bindings report to whichever CheckedPage owns the page that called them.
    """

    def __init__(self, browser, base_url: str):
        self.browser = browser
        self.base_url = base_url
        self.free: dict[bool, list[BrowserContext]] = {True: [], False: []}
        self.keepers: dict[int, Page] = {}
        self.owners: dict[int, CheckedPage] = {}

    def _owner(self, source: dict) -> CheckedPage | None:
        return self.owners.get(id(source.get("page")))

    def _csp(self, source: dict, text: str) -> None:
        if owner := self._owner(source):
            owner.problems.append(f"CSP: {text}")

    def _swapped(self, source: dict, target: str) -> None:
        if owner := self._owner(source):
            owner.unchecked.append(f"htmx swap {target}")

    def take(self, *, js: bool) -> BrowserContext:
        if self.free[js]:
            return self.free[js].pop()
        context = self.browser.new_context(java_script_enabled=js, base_url=self.base_url)
        context.set_default_timeout(15_000)  # generous: CI machines are often busy
        self.keepers[id(context)] = context.new_page()
        if js:
            context.expose_binding("__pwCspViolation", self._csp)
            context.expose_binding("__pwSwapped", self._swapped)
            context.add_init_script(_INIT_SCRIPT)
        return context

    def page_for(self, context: BrowserContext, viewport: dict | None) -> Page:
        page = context.new_page()
        page.set_viewport_size(viewport or DEFAULT_VIEWPORT)
        return page

    def own(self, checked: CheckedPage) -> None:
        self.owners[id(checked.page)] = checked

    def give_back(self, context: BrowserContext, *, js: bool) -> None:
        keeper = self.keepers.get(id(context))
        for page in context.pages:
            if page is not keeper:
                self.owners.pop(id(page), None)
                page.close()
        if keeper is None or keeper.is_closed():
            context.close()
            return
        context.clear_cookies()
        self.free[js].append(context)

    def close(self) -> None:
        for contexts in self.free.values():
            for context in contexts:
                context.close()


#: Playwright's own default for a new context
DEFAULT_VIEWPORT = {"width": 1280, "height": 720}


@dataclass
class CheckedPage:
    context: BrowserContext
    page: Page
    base_url: str
    js: bool
    snapshots: SnapshotChecker | None = None
    #: console errors, page errors, CSP violations and failed requests, in order
    problems: list[str] = field(default_factory=list)
    #: loads and swaps that happened since the last check
    unchecked: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def __post_init__(self):
        page = self.page
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("response", self._on_response)
        page.on("framenavigated", self._on_navigated)
        # CSP violations and htmx swaps reach it through the context's bindings (ContextPool)

    # --- listeners ------------------------------------------------------------------------

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type not in ("error", "assert"):
            return
        # Chromium logs every 4xx/5xx as "Failed to load resource"; _on_response judges those,
        # because a 404 or 422 document can be exactly what the test asked for.
        if message.text.startswith("Failed to load resource: the server responded"):
            return
        self.problems.append(f"console {message.type}: {message.text} ({message.location})")

    def _on_response(self, response: Response) -> None:
        status = response.status
        request = response.request
        if status >= 500:
            self.problems.append(f"HTTP {status} for {request.method} {response.url}")
        elif status >= 400 and not request.is_navigation_request():
            # Tests assert the status of the documents they navigate to (404 and 403 pages,
            # 422 forms); any other failed request (an asset, an htmx call) is a bug, except
            # a form sent by htmx coming back with its mistakes (422), which is how forms work.
            if status == 422 and request.headers.get("hx-request") == "true":
                return
            self.problems.append(f"HTTP {status} for {request.method} {response.url}")

    def _on_navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.unchecked.append(f"page {frame.url}")

    # --- what tests call ------------------------------------------------------------------

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base_url + path

    def goto(self, path: str, status: int = 200) -> Response:
        """Open a page, assert its HTTP status, and check it."""
        response = self.page.goto(self.url(path))
        assert response is not None
        assert response.status == status, f"{path}: HTTP {response.status}, expected {status}"
        self.check()
        return response

    def check(self, what: str | None = None) -> None:
        """axe on what is showing now, and no console problems so far."""
        page = self.page
        page.wait_for_load_state("load")
        self.assert_no_problems()
        url = page.url

        def where() -> str:  # the title costs a round trip: only asked for on failure
            return what or f"{url} ({page.title()!r})"

        if self.js:
            run_axe(page, where)
        else:
            assert self.snapshots is not None
            self.snapshots.check(page, lambda: where() + " [JavaScript off]")
        self.checked.append(what or url)
        self.unchecked.clear()

    @contextmanager
    def swap(self, timeout: float = 10.0) -> Iterator[None]:
        """Expect the block to cause an htmx swap and no page load; check the result.

        Swaps are reported from the page through a binding, which can arrive a moment after the
        new content shows, so wait for the report itself.
        """
        marker = "__pwNoReload"
        self.page.evaluate(f"window.{marker} = true")
        before = len(self.unchecked)
        yield
        deadline = time.monotonic() + timeout
        while not any(e.startswith("htmx swap") for e in self.unchecked[before:]):
            assert time.monotonic() < deadline, "no htmx swap happened"
            self.page.wait_for_timeout(25)  # lets Playwright deliver the binding call
        # A swap that pushes its URL into the history (hx-push-url, hx-boost) shows up as a
        # same-document navigation; the marker proves the document itself was not replaced.
        assert self.page.evaluate(f"window.{marker} === true"), (
            "expected an in-place htmx swap, but the page was loaded again"
        )
        self.check()

    def in_place_or_page(self, action: Callable[[], object], *, js: bool) -> None:
        """Do something htmx does in place (`js`), which without JavaScript loads a page;
        check what shows after either."""
        if js:
            with self.swap():
                action()
        else:
            with self.page.expect_navigation():
                action()
            self.check()

    def assert_no_problems(self) -> None:
        assert not self.problems, "the browser reported problems:\n" + "\n".join(self.problems)

    def finish(self) -> None:
        """Called by the fixture when the test ends."""
        self.assert_no_problems()
        assert not self.unchecked, (
            "visited but never axe-checked (call check() after each navigation or swap): "
            + ", ".join(self.unchecked)
        )

    # --- small conveniences ---------------------------------------------------------------

    def fill_form(self, fields: dict[str, str]) -> None:
        """Fill fields by their label."""
        for label, value in fields.items():
            self.page.get_by_label(label, exact=True).fill(value)

    def submit(self, button: str, status: int = 200) -> Response:
        """Click a button that sends a full-page form, wait for the page it leads to, check it."""
        with self.page.expect_navigation() as navigation:
            self.page.get_by_role("button", name=button, exact=True).click()
        response = navigation.value
        assert response is not None
        assert response.status == status, (
            f"{button!r} led to HTTP {response.status} at {response.url}, expected {status}"
        )
        if status == 422:
            # GOV.UK's pattern for a form sent back with mistakes.
            assert self.page.title().startswith("Error: "), f"title: {self.page.title()!r}"
            assert self.page.locator(".govuk-error-summary").is_visible()
        self.check()
        return response

    def banner(self) -> str:
        return self.page.locator(".govuk-notification-banner").inner_text()


#: the live server's app (set by the `live_server` fixture), for helpers that set things up
#: as a factory would
_live_app = None


def use_app(app) -> None:
    global _live_app
    _live_app = app


def needs_code(email: str) -> bool:
    """Whether signing in will ask `email` for a code; staff without an authenticator app are
    given one first (see `tests.support.enrol_if_needed`)."""
    from tests.support import enrol_if_needed

    assert _live_app is not None, "the live_server fixture sets the app"
    return enrol_if_needed(_live_app, email)


def current_code(email: str) -> str:
    from tests.support import second_factor_code

    assert _live_app is not None, "the live_server fixture sets the app"
    return second_factor_code(_live_app, email)


CODE_LABEL = "Enter the 6-digit code from your authenticator app"


def sign_in(
    checked: CheckedPage,
    email: str,
    password: str | None = None,
    *,
    through_the_form: bool = False,
) -> None:
    """Sign in, and land where signing in lands, checked.

    By default the sign-in form is sent by the app's own test client (the same app and
    database the browser talks to, with the browser's user agent), and the session cookie it
    is given is handed to the browser, which then opens the page signing in lands on: a
    second faster than the form, for the many tests that are not about signing in. With
    `through_the_form`, the form is filled and sent in the browser, checking each page; for
    staff, and anyone with an authenticator app, the code from the app too."""
    from tests.factories import PASSWORD

    if not through_the_form:
        _sign_in_behind_the_scenes(checked, email, password or PASSWORD)
        return
    asks_for_code = needs_code(email)
    checked.goto("/sign-in")
    checked.fill_form({"Email address": email, "Password": password or PASSWORD})
    checked.submit("Sign in")
    if asks_for_code:
        checked.fill_form({CODE_LABEL: current_code(email)})
        checked.submit("Continue")
    assert checked.page.get_by_role("button", name="Sign out").is_visible()


def _sign_in_behind_the_scenes(checked: CheckedPage, email: str, password: str) -> None:
    from urllib.parse import urlsplit

    from tests.conftest import AuthActions, CsrfClient

    assert _live_app is not None, "the live_server fixture sets the app"
    page = checked.page
    client = CsrfClient(_live_app, _live_app.response_class, use_cookies=True)
    client.environ_base.update(
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": page.evaluate("navigator.userAgent")}
    )
    landed = AuthActions(client).login(email, password)
    name = _live_app.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(name)
    assert cookie is not None, "signing in gave no session"
    page.context.add_cookies(
        [
            {
                "name": name,
                "value": cookie.value,
                "url": checked.url("/"),
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )
    location = urlsplit(landed.location)
    checked.goto(location.path + (f"?{location.query}" if location.query else ""))
    assert page.get_by_role("button", name="Sign out").is_visible()


# --- keyboard ------------------------------------------------------------------------------

_DESCRIBE_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: 'body', id: '', text: '', classes: ''};
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id || '',
    text: (el.textContent || el.value || el.getAttribute('aria-label') || '').replace(/\\s+/g, ' ').trim(),
    classes: el.className && typeof el.className === 'string' ? el.className : '',
    label: el.labels && el.labels.length ? el.labels[0].textContent.replace(/\\s+/g, ' ').trim() : '',
  };
}"""


def focused(page: Page) -> dict:
    """What has focus now (reads state only; never moves focus)."""
    return page.evaluate(_DESCRIBE_FOCUS)


def tab_to(
    page: Page,
    *,
    text: str | None = None,
    label: str | None = None,
    tag: str | None = None,
    max_presses: int = 80,
) -> dict:
    """Press Tab until the focused element matches, and return it.

    `text` matches the element's text exactly; `label` matches the start of a field's label
    (labels can go on with "(optional)"); `tag` narrows either, e.g. to "button".
    """
    seen = []
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        now = focused(page)
        seen.append(f"{now['tag']}:{now['text'] or now.get('label') or now['id']}")
        if tag is not None and now["tag"] != tag:
            continue
        if text is not None and now["text"] == text:
            return now
        if label is not None and now.get("label", "").startswith(label):
            return now
    raise AssertionError(
        f"Tab never reached {text or label!r}; focus went through: {' | '.join(seen)}"
    )


_FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const s = getComputedStyle(el);
  return {outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth,
          boxShadow: s.boxShadow, background: s.backgroundColor,
          focusVisible: el.matches(':focus-visible')};
}"""


def assert_focus_visible(page: Page) -> None:
    style = page.evaluate(_FOCUS_STYLE)
    what = focused(page)
    assert style["focusVisible"], f"{what} has focus but not :focus-visible"
    has_outline = style["outlineStyle"] != "none" and style["outlineWidth"] not in ("0px", "")
    has_shadow = style["boxShadow"] not in ("none", "")
    yellow = style["background"] == FOCUS_YELLOW
    assert has_outline or has_shadow or yellow, f"no visible focus indicator on {what}: {style}"


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def press(checked: CheckedPage, key: str) -> None:
    """Press a key that leads to a new page, and check that page."""
    with checked.page.expect_navigation():
        checked.page.keyboard.press(key)
    checked.check()


def type_into(checked: CheckedPage, label: str, text: str) -> None:
    """Tab to the field labelled `label` (its focus must show) and type."""
    tab_to(checked.page, label=label)
    assert_focus_visible(checked.page)
    checked.page.keyboard.type(text)
