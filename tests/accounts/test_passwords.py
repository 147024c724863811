import pytest

from forum.accounts.passwords import hash_password, problem_with, verify_password


@pytest.mark.parametrize(
    "password, expected",
    [
        ("short", "at least 12"),
        ("x" * 129, "128 characters or fewer"),
        ("qwerty123456", "too common"),
        ("password1234!", "too common"),
        ("aaaaaaaaaaaaaa", "too easy"),
        ("ababababababab", "too easy"),
        ("correct-horse-battery-staple", None),
        ("ñandú 🦄 tres palabras", None),
        ("كلمة مرور طويلة جدا", None),
    ],
)
def test_password_rules(password, expected):
    problem = problem_with(password)
    if expected is None:
        assert problem is None
    else:
        assert expected in problem


def test_password_must_not_contain_email_or_name():
    assert "email" in problem_with("janedoe-and-more-words", email="janedoe@example.org")
    assert "name" in problem_with("xx-janedoe-and-more", display_name="Jane Doe")


def test_no_composition_rules():
    # Lowercase only, no digits or symbols: long and uncommon is enough.
    assert problem_with("purple elephants dance quietly") is None


def test_hash_is_argon2id_and_verifies():
    hashed = hash_password("correct-horse-battery-staple")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "correct-horse-battery-staple")
    assert not verify_password(hashed, "wrong-password-entirely")
    assert not verify_password("not a hash", "anything")
