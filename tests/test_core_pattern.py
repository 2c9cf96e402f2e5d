"""The Rust matcher ``iameval._core`` agrees with the reference ``iameval.reference.pattern`` (R3, R4, R11).

Three implementations of the IAM glob are compared on generated inputs: the Rust core
(``_core.wildcard_match``), the pure-Python reference (``glob_match``), and a regular-expression translation
(each literal character ``re.escape``d, ``*`` -> ``.*``, ``?`` -> ``.``, ``re.DOTALL``, ``fullmatch``). Then
``_core.resource_match`` (R4) and ``_core.arn_like`` (R11) are compared with the reference functions on ARNs
and patterns built to nearly match (mutations of the same ARN, small alphabets rich in ``:``, ``/``, ``*``,
``?`` and letters of both cases), so that both outcomes are common.

Case rule of ``ignore_case`` (R3 actions, R4 ARN fields before the resource): both sides are lowercased
character by character, ``"".join(c.lower() for c in s)`` (see ``_core.pyi``). The regex oracle follows that
rule, and so does the reference (``iameval.reference.pattern.fold_case``).
"""

from __future__ import annotations

import re
import time

import iameval
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from iameval import _core
from iameval.reference import pattern as reference

# ------------------------------------------------------------------------------------------------------------
# Oracles


def per_char_lower(text: str) -> str:
    """The ``ignore_case`` rule: lowercase each character on its own (no final-sigma context)."""
    return "".join(c.lower() for c in text)


def regex_match(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    """The IAM glob as a regular expression: ``*`` -> ``.*``, ``?`` -> ``.``, everything else literal."""
    if ignore_case:
        pattern, value = per_char_lower(pattern), per_char_lower(value)
    pattern = re.sub(r"\*+", "*", pattern)  # one `.*` per run of stars keeps the regex engine polynomial
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.DOTALL) is not None


#: Whether the reference lowercases both sides character by character (it did not when this test was
#: written: ``glob_match("İ", "İ", ignore_case=True)`` was False and so was ``glob_match("ΑΣ", "ΑΣ", ...)``).
# ------------------------------------------------------------------------------------------------------------
# Strategies

#: Characters that stress the matcher: wildcards, ARN separators, both cases, multi-byte UTF-8, characters
#: whose lowercase is special (İ -> i + U+0307, Kelvin sign -> k, final sigma, ß, dotless ı).
TRICKY = "aAbBzZ:/*?-._ éÉßıİΣσςΑ\u212akK€😀\x00\n"

#: Assigned characters only when case matters: Python's and Rust's Unicode versions differ, and a character
#: unassigned in Python's version may have a lowercase mapping in Rust's.
_assigned = st.characters(exclude_categories=("Cs", "Cn"))
_tricky = st.sampled_from(TRICKY)
chars_for_case = st.one_of(_tricky, _tricky, _tricky, _assigned)
chars_any = st.one_of(_tricky, _tricky, _tricky, st.characters(codec="utf-8"))


@st.composite
def near_patterns(draw: st.DrawFn, value: str, alphabet: st.SearchStrategy[str]) -> str:
    """A glob derived from ``value`` by a few edits, so that it matches it about half of the time."""
    chars = list(value)
    for _ in range(draw(st.integers(0, 4))):
        edit = draw(st.sampled_from(["star", "star-span", "one", "case", "insert", "delete"]))
        at = draw(st.integers(0, len(chars)))
        if edit == "star":
            chars.insert(at, "*")
        elif edit == "star-span":
            end = draw(st.integers(at, len(chars)))
            chars[at:end] = ["*"]
        elif edit == "one" and at < len(chars):
            chars[at] = "?"
        elif edit == "case" and at < len(chars):
            chars[at] = chars[at].swapcase()
        elif edit == "insert":
            chars.insert(at, draw(alphabet))
        elif edit == "delete" and at < len(chars):
            del chars[at]
    return "".join(chars)


@st.composite
def glob_cases(draw: st.DrawFn, alphabet: st.SearchStrategy[str]) -> tuple[str, str]:
    """``(pattern, value)``: mostly a value and a near-miss pattern of it, sometimes two independent strings."""
    value = draw(st.text(alphabet, max_size=24))
    if draw(st.booleans()):
        pattern = draw(near_patterns(value, alphabet))
    else:
        pattern = draw(st.text(st.one_of(alphabet, st.sampled_from("**?")), max_size=12))
    return pattern, value


#: ARN fields: short, from small alphabets, so that independent draws collide.
_field_chars = st.sampled_from("aAbB0-é*?")
_resource_chars = st.sampled_from("aAbB0/:-é*?😀")
_fields = st.text(_field_chars, max_size=3)


@st.composite
def arns(draw: st.DrawFn) -> str:
    """An ARN-like string of six fields (sometimes fewer or ``*``); wildcards may appear in any field."""
    shape = draw(st.sampled_from(["arn", "arn", "arn", "arn", "short", "star", "free"]))
    if shape == "star":
        return "*"
    if shape == "free":
        return draw(st.text(st.sampled_from("arn:aA*?/"), max_size=16))
    head = [draw(st.sampled_from(["arn", "ARN", "arn", "a*", "arn?"])), *(draw(_fields) for _ in range(4))]
    resource = draw(st.text(_resource_chars, max_size=8))
    fields = [*head, resource]
    if shape == "short":
        fields = fields[: draw(st.integers(1, 5))]
    return ":".join(fields)


@st.composite
def arn_cases(draw: st.DrawFn) -> tuple[str, str]:
    """``(pattern, value)`` where the pattern is usually a near miss of the value, ``:`` edits included."""
    value = draw(arns())
    if draw(st.integers(0, 3)) == 0:
        return draw(arns()), value
    return draw(near_patterns(value, st.sampled_from("aAbB:/*?é"))), value


# ------------------------------------------------------------------------------------------------------------
# R3: the glob


@given(glob_cases(chars_any))
@example(("*", ""))
@example(("?", "😀"))
@example(("a*b*c", "aXbXbc"))
@example(("**?*", "İ"))
def test_r3_wildcard_case_sensitive_matches_reference_and_regex(case: tuple[str, str]) -> None:
    pattern, value = case
    expected = regex_match(pattern, value)
    assert _core.wildcard_match(pattern, value) is expected
    assert _core.wildcard_match(pattern, value, ignore_case=False) is expected
    assert reference.glob_match(pattern, value) is expected


@given(glob_cases(chars_for_case))
@example(("S3:GET*", "s3:GetObject"))
@example(("iam:?etuser", "IAM:GETUSER"))
@example(("İ", "İ"))
@example(("??", "İ"))
@example(("ΑΣ", "ΑΣ"))
@example(("k", "\u212a"))
def test_r3_wildcard_ignore_case_matches_reference_and_regex(case: tuple[str, str]) -> None:
    pattern, value = case
    expected = regex_match(pattern, value, ignore_case=True)
    assert _core.wildcard_match(pattern, value, ignore_case=True) is expected
    assert _core.wildcard_match(pattern, value, True) is expected
    assert reference.glob_match(pattern, value, ignore_case=True) is expected


@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        ("İ", "İ", True),  # U+0130 lowercases to "i" + U+0307 on both sides
        ("??", "İ", True),
        ("?", "İ", False),
        ("i\u0307", "İ", True),
        ("ΑΣ", "ΑΣ", True),  # no final-sigma context: Σ -> σ on both sides
        ("ασ", "ΑΣ", True),
        ("ας", "ΑΣ", False),
        ("k", "\u212a", True),  # Kelvin sign
    ],
)
def test_r3_ignore_case_lowers_each_character(pattern: str, value: str, expected: bool) -> None:
    assert _core.wildcard_match(pattern, value, ignore_case=True) is expected
    assert regex_match(pattern, value, ignore_case=True) is expected


def test_r3_reference_ignore_case_lowers_each_character() -> None:
    assert reference.glob_match("İ", "İ", ignore_case=True)
    assert reference.glob_match("ΑΣ", "ΑΣ", ignore_case=True)


_LONG = "a" * 65536


@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        ("*" * 100, _LONG, True),
        ("*" * 100 + "b", _LONG, False),
        ("*a" * 100 + "*", _LONG, True),
        ("*a" * 100 + "*b", _LONG, False),
        ("*" + "a" * 100 + "b", _LONG, False),
        ("*?" * 100 + "b", _LONG, False),
        ("a*" * 100 + "b", _LONG, False),
        ("*" * 100 + "😀", "😀" * 16384, True),
        ("*" * 100 + "😀?", "😀" * 16384 + "x", True),
        ("*😀" * 100 + "*x", "😀" * 16384, False),
    ],
    ids=[
        "stars",
        "stars-then-miss",
        "star-a-runs",
        "star-a-runs-then-miss",
        "long-literal-run",
        "star-one-runs",
        "a-star-runs",
        "utf8",
        "utf8-one",
        "utf8-miss",
    ],
)
def test_r3_many_stars_on_long_values_do_not_blow_up(pattern: str, value: str, expected: bool) -> None:
    """The only timed test: a generous bound that an exponential (or quadratic-in-stars) matcher would miss.

    A backtracking regex engine would itself blow up on most of these, so the expected answers are written out.
    """
    start = time.perf_counter()
    for ignore_case in (False, True):
        assert _core.wildcard_match(pattern, value, ignore_case=ignore_case) is expected
    assert time.perf_counter() - start < 1.0


@given(
    st.text(st.sampled_from("aAbB*?😀é"), min_size=1, max_size=4),
    st.integers(200, 700),
    st.text(st.sampled_from("aAbB*?😀é"), max_size=6),
    st.text(st.sampled_from("aAbB*?😀é"), max_size=6),
    st.booleans(),
)
@example("ab", 600, "*Ab", "B", True)  # ASCII longer than 1 KiB: lowercased first
@example("ab", 600, "*Ab", "B", False)
def test_r3_long_values_match_reference(
    unit: str, repeat: int, head: str, tail: str, ignore_case: bool
) -> None:
    """Values of 200 to 2,800 characters built from a repeated unit, so that segments recur often."""
    value = unit * repeat + tail
    pattern = head + "*" + unit + "*" + tail
    for candidate in (pattern, head + "*", "*" + tail, "*" + unit * 3 + "?*" + tail):
        expected = reference.glob_match(candidate, value, ignore_case=ignore_case)
        assert _core.wildcard_match(candidate, value, ignore_case=ignore_case) is expected


@given(st.text(chars_any, max_size=30), st.text(chars_any, max_size=30))
def test_r3_literal_pattern_is_equality(pattern: str, value: str) -> None:
    assume("*" not in pattern and "?" not in pattern)
    assert _core.wildcard_match(pattern, value) is (pattern == value)
    assert _core.wildcard_match(pattern, pattern)


# ------------------------------------------------------------------------------------------------------------
# R4: Resource


@given(arn_cases(), st.booleans())
@example(("*", "*"), False)
@example(("**", "*"), False)
@example(("arn:aws:s3", "arn:aws:s3:::b"), True)
@example(("arn:aws:s3*", "arn:aws:s3:::b"), True)
@example(("ARN:AWS:S3:::b", "arn:aws:s3:::b"), False)
@example(("arn:aws:s3:::B", "arn:aws:s3:::b"), False)
@example(("arn:*:::b/*", "arn:aws:s3:::b/c:d"), False)
@example(("arn:aws:s3:::b/*", "arn:aws:s3:::b/c:d"), False)
def test_r4_resource_match_matches_reference(case: tuple[str, str], resource_based: bool) -> None:
    pattern, resource = case
    expected = reference.resource_match(pattern, resource, resource_based=resource_based)
    assert _core.resource_match(pattern, resource, resource_based=resource_based) is expected
    assert _core.resource_match(pattern, resource, resource_based) is expected
    if not resource_based:
        assert _core.resource_match(pattern, resource) is expected


@given(arn_cases())
def test_r4_resource_field_by_field_against_regex(case: tuple[str, str]) -> None:
    """Independent of the reference: six fields, the first five case-insensitive, the last as a whole."""
    pattern, resource = case
    assume(pattern != "*" and resource != "*")
    pattern_fields = pattern.split(":", 5)
    resource_fields = resource.split(":", 5)
    assume(len(pattern_fields) == 6 and len(resource_fields) == 6)
    expected = all(
        regex_match(p, r, ignore_case=i < 5)
        for i, (p, r) in enumerate(zip(pattern_fields, resource_fields, strict=True))
    )
    assert _core.resource_match(pattern, resource) is expected
    assert _core.resource_match(pattern, resource, resource_based=True) is expected


def test_r4_request_resource_star_is_matched_by_star_only() -> None:
    assert _core.resource_match("*", "*")
    for pattern in ("**", "*:*", "?", "arn:*", "arn:*:*:*:*:*"):
        assert not _core.resource_match(pattern, "*")
        assert not _core.resource_match(pattern, "*", resource_based=True)


# ------------------------------------------------------------------------------------------------------------
# R11: ArnLike


@given(arn_cases())
@example(("arn:aws:iam::*:role/*", "arn:aws:iam::123456789012:role/admin"))
@example(("arn:aws:*:role/admin", "arn:aws:iam::123456789012:role/admin"))
@example(("arn:aws:iam::*:Role/*", "arn:aws:iam::123456789012:role/admin"))
@example(("arn:aws:logs:r:1:log-group:*", "arn:aws:logs:r:1:log-group:g:log-stream:s"))
@example((":::::", ":::::"))
def test_r11_arn_like_matches_reference_and_regex(case: tuple[str, str]) -> None:
    pattern, value = case
    expected = reference.arn_like(pattern, value)
    assert _core.arn_like(pattern, value) is expected
    pattern_fields, value_fields = pattern.split(":", 5), value.split(":", 5)
    if len(pattern_fields) == 6 and len(value_fields) == 6:
        by_regex = all(regex_match(p, v) for p, v in zip(pattern_fields, value_fields, strict=True))
        assert expected is by_regex
    else:
        assert expected is False


# ------------------------------------------------------------------------------------------------------------
# The binding itself


def test_core_signatures_and_version() -> None:
    assert _core.__version__ == iameval.__version__
    assert _core.wildcard_match(pattern="s3:Get*", value="S3:GETOBJECT", ignore_case=True)
    assert _core.resource_match(pattern="arn:aws:s3", resource="arn:aws:s3:::b", resource_based=False)
    assert _core.arn_like(pattern="arn:*:*:*:*:*", value="arn:a:b:c:d:e")


@pytest.mark.parametrize("function", [_core.wildcard_match, _core.resource_match, _core.arn_like])
def test_core_rejects_bad_arguments_with_python_errors(function: object) -> None:
    assert callable(function)
    with pytest.raises(TypeError):
        function(1, "a")
    with pytest.raises(TypeError):
        function("a", None)
    with pytest.raises(UnicodeEncodeError):
        function("a", "\udc80")
