"""Time-based one-time passwords (RFC 6238, as authenticator apps make them), the key that
seals their secrets at rest, recovery codes, and the QR code that carries a secret to a phone.

Codes are six digits from HMAC-SHA1 over 30-second steps, the defaults every authenticator app
uses. A code is accepted one step either side of now (phone clocks drift), and only for a step
later than the last one accepted, so a code that was seen cannot be used again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

import segno
from cryptography.fernet import Fernet, InvalidToken

STEP_SECONDS = 30
DIGITS = 6
#: steps either side of now that are still accepted
TOLERANCE = 1
ISSUER = "Coproduce"

#: recovery codes: lower-case letters and digits that cannot be mistaken for each other
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
RECOVERY_LENGTH = 12  # about 59 bits
RECOVERY_COUNT = 10


def new_secret() -> str:
    """160 random bits in base32, as RFC 4226 recommends, without padding."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def _key(secret: str) -> bytes:
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def code_at(secret: str, step: int) -> str:
    """The code an authenticator app shows during `step` (RFC 4226's HOTP of the step)."""
    mac = hmac.new(_key(secret), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def normalise_code(typed: str) -> str:
    """What people type, without the spaces and dashes some apps show between digits."""
    return "".join(ch for ch in (typed or "") if ch not in " -\u00a0\t")


def matching_step(
    secret: str, typed: str, *, after: int | None, now: float | None = None
) -> int | None:
    """The step whose code was typed, if it is within the tolerance and later than `after`."""
    code = normalise_code(typed)
    if len(code) != DIGITS or not code.isascii() or not code.isdigit():
        return None
    here = current_step(now)
    found = None
    for step in range(here - TOLERANCE, here + TOLERANCE + 1):
        # Compare against every step, so the time taken does not say which one matched.
        if hmac.compare_digest(code_at(secret, step), code) and (after is None or step > after):
            found = step
    return found


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(secret: str, account: str) -> str:
    label = quote(f"{ISSUER}:{account}", safe=":@")
    query = urlencode(
        {
            "secret": secret,
            "issuer": ISSUER,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        }
    )
    return f"otpauth://totp/{label}?{query}"


def qr_svg(uri: str) -> str:
    """The QR code as inline SVG markup, made here: the secret never goes to another service.
    Black on white with a quiet zone, so phone cameras read it in any colour scheme."""
    qr = segno.make(uri, error="m", micro=False)
    svg = qr.svg_inline(
        scale=4,
        border=4,
        dark="#0b0c0c",
        light="#ffffff",
        svgclass="app-qr-code",
        lineclass=None,
    )
    label = 'role="img" aria-label="QR code to scan with your authenticator app" '
    return svg.replace("<svg ", "<svg " + label, 1)


# --- sealing secrets at rest ---------------------------------------------------------------


def _box(secret_key: str) -> Fernet:
    derived = hmac.new(secret_key.encode(), b"coproduce:authenticator-secrets", hashlib.sha256)
    return Fernet(base64.urlsafe_b64encode(derived.digest()))


def seal(value: str, secret_key: str) -> str:
    """Encrypt (AES with an HMAC, Fernet) under a key derived from the app's SECRET_KEY."""
    return _box(secret_key).encrypt(value.encode()).decode()


def unseal(sealed: str, secret_key: str) -> str | None:
    """The plain value, or None when it was sealed under another SECRET_KEY."""
    try:
        return _box(secret_key).decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None


# --- recovery codes ------------------------------------------------------------------------


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, RECOVERY_LENGTH, 4))


def normalise_recovery_code(typed: str) -> str | None:
    """The code without spaces or dashes, lower-cased; None if it cannot be one."""
    code = "".join(ch for ch in (typed or "").lower() if ch not in " -\u00a0\t")
    if len(code) != RECOVERY_LENGTH or any(ch not in RECOVERY_ALPHABET for ch in code):
        return None
    return code


def recovery_digest(user_id: int, normalised: str) -> str:
    return hashlib.sha256(f"{user_id}:{normalised}".encode()).hexdigest()
