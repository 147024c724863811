"""The readable name kept for a session instead of the browser's User-Agent."""

from __future__ import annotations

import pytest

from forum.accounts.security.devices import describe

AGENTS = {
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36": "Chrome on Android",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
    "like Gecko) Version/17.0 Mobile/15E148 Safari/604.1": "Safari on iPhone",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0": "Edge on Windows",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1; rv:133.0) Gecko/20100101 "
    "Firefox/133.0": "Firefox on Mac",
    "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36": "Samsung Internet on Android",
    "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36": "Chrome on Chromebook",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/131.0.0.0 Safari/537.36": "Chrome on Linux",
    "curl/8.5.0": "An unknown browser",
    "": "An unknown browser",
    "<script>alert(1)</script> Windows": "A browser on Windows",
}


@pytest.mark.parametrize("agent, expected", AGENTS.items())
def test_a_browser_is_named_in_plain_words(agent, expected):
    assert describe(agent) == expected


def test_a_huge_user_agent_is_cut_short():
    assert describe("x" * 100_000 + " Firefox/1") == "An unknown browser"
