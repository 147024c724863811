"""The personal-data guard: words that look like an NHS number, an email address, a UK phone
number or a postcode hold a post for an organiser's review.

It is deliberately cautious (a false alarm costs an organiser a click; a child's NHS number on
a public board cannot be taken back) and says which kind of detail it found, never the detail.
"""

from __future__ import annotations

import re

_NHS = re.compile(r"(?<![\d])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# 07… mobiles, 01…/02…/03… landlines, with +44 or 0, spaces, dots or dashes between groups.
_PHONE = re.compile(r"(?<![\d+])(?:\+44\s?\(?0?\)?\s?|\(?0)(?:[\s.-]?\d){9,10}(?![\d])")
_POSTCODE = re.compile(
    r"\b(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)

KINDS = {
    "nhs": "an NHS number",
    "email": "an email address",
    "phone": "a phone number",
    "postcode": "a postcode",
}


def nhs_number_is_valid(digits: str) -> bool:
    """The NHS number's modulus 11 check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def personal_details(text: str) -> list[str]:
    """The kinds of personal detail `text` seems to hold, e.g. ["an NHS number"]."""
    found: list[str] = []
    if any(nhs_number_is_valid("".join(m.groups())) for m in _NHS.finditer(text)):
        found.append(KINDS["nhs"])
    if _EMAIL.search(text):
        found.append(KINDS["email"])
    # An NHS number can look like a phone number; report it once, as the NHS number.
    without_nhs = _NHS.sub(
        lambda m: " " if nhs_number_is_valid("".join(m.groups())) else m.group(0), text
    )
    if _PHONE.search(without_nhs):
        found.append(KINDS["phone"])
    if _POSTCODE.search(text):
        found.append(KINDS["postcode"])
    return found


def held_reason(found: list[str]) -> str:
    what = " and ".join([", ".join(found[:-1]), found[-1]] if len(found) > 1 else found)
    return (
        f"Your post seems to include {what}. To keep families safe, an organiser will look "
        "at it before anyone else can see it. You can edit it to take the details out, and "
        "it will show straight away."
    )
