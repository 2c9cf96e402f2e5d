"""The linter's framework: spans, input handling, ordering, dedup, suppression, kinds, severities, and that
no JSON value makes it raise."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from iameval.lint import RULES, Severity, guess_kind, lint
from iameval.lint.context import LintContext
from iameval.lint.registry import CHECKS, check, own_rule
from iameval.lint.spans import SpanIndex


def _at(text: str, finding: Any) -> str:
    return text[finding.span.start.offset : finding.span.end.offset]


def test_one_line_policy_column_equals_offset() -> None:
    text = '{"Version":"2012-10-17","Statement":[{"Effect":"Alow","Action":"s3:*","Resource":"*"}]}'
    (f,) = [f for f in lint(text) if f.code == "INVALID_EFFECT"]
    assert f.span is not None
    assert f.span.start.line == 1 and f.span.start.column == f.span.start.offset == text.index('"Alow"')
    assert _at(text, f) == '"Alow"'


def test_multi_line_crlf_unicode_and_escapes() -> None:
    text = ('{\r\n  "Version": "2012-10-17",\r\n  "Statement": [{"Sid": "caf\\u00e9 ü",\r\n'
            '   "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::é/${aws:x"}]}')
    findings = lint(text)
    brace = next(f for f in findings if f.code == "MISSING_BRACE_IN_VARIABLE")
    assert _at(text, brace) == "${aws:x"
    assert brace.span is not None and brace.span.start.line == 4
    line_start = text.rfind("\n", 0, brace.span.start.offset) + 1
    assert brace.span.start.column == brace.span.start.offset - line_start
    sid = next(f for f in findings if f.code == "UNSUPPORTED_SID")
    assert _at(text, sid) == '"caf\\u00e9 ü"'  # the whole escaped string as written


def test_substring_after_an_escape_falls_back_to_the_whole_value() -> None:
    index = SpanIndex('{"a": "x\\"${y"}')
    span = index.substring("/a", 3, 3)
    assert span is not None and (span.start.offset, span.end.offset) == (6, 14)


def test_str_bytes_and_dict_inputs() -> None:
    doc = {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "bucket"}]}
    text = json.dumps(doc, indent=2)
    as_text = [(f.code, f.pointer, f.span) for f in lint(text)]
    assert as_text == [(f.code, f.pointer, f.span) for f in lint(doc)]
    assert as_text == [(f.code, f.pointer, f.span) for f in lint(text.encode())]
    assert [f.code for f in lint(b"\xff{}")] == ["JSON_SYNTAX_ERROR"]
    assert [f.code for f in lint({"Statement": float("nan")})] == ["JSON_SYNTAX_ERROR"]
    with pytest.raises(TypeError):
        lint(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown policy type `nope`"):
        lint("{}", "nope")


def test_findings_are_ordered_by_place_then_severity() -> None:
    text = '{"Statement":[{"Sid":"a b","Effect":"x","Action":[],"Resource":"y"}]}'
    findings = lint(text)
    keys = [(f.span.start.offset if f.span else -1) for f in findings]
    assert keys == sorted(keys)
    assert findings[0].code == "MISSING_VERSION"


def test_duplicate_reports_are_merged() -> None:
    calls = []

    @check("grammar", "EMPTY_SID_VALUE")
    def twice(ctx: LintContext) -> None:
        calls.append(1)
        for st_ in ctx.statements:
            if st_.sid == "":
                ctx.report("EMPTY_SID_VALUE", (*st_.path, "Sid"), "again")

    try:
        text = '{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Allow","Action":"s3:*","Resource":"*"}]}'
        assert [f.code for f in lint(text)].count("EMPTY_SID_VALUE") == 1
        assert calls
    finally:
        CHECKS.pop()


def test_a_failing_check_is_reported_not_raised() -> None:
    @check("grammar", "INTERNAL_CHECK_ERROR")
    def broken(ctx: LintContext) -> None:
        raise RuntimeError("boom")

    try:
        findings = lint('{"Version":"2012-10-17","Statement":[]}')
        internal = [f for f in findings if f.code == "INTERNAL_CHECK_ERROR"]
        assert len(internal) == 1 and "grammar.broken" in internal[0].message and "boom" in internal[0].message
    finally:
        CHECKS.pop()


def test_ignore_and_per_sid_suppression() -> None:
    text = ('{"Statement":[{"Sid":"Keep","Effect":"Allow","Action":"s3:*","Resource":"b1"},'
            '{"Sid":"Quiet","Effect":"Allow","Action":"s3:*","Resource":"b2"}]}')
    assert {f.code for f in lint(text, ignore={"MISSING_VERSION"})} == {"INVALID_ARN_PREFIX"}
    kept = lint(text, per_sid={"Quiet": ["INVALID_ARN_PREFIX"]})
    assert [f.sid for f in kept if f.code == "INVALID_ARN_PREFIX"] == ["Keep"]


@pytest.mark.parametrize(
    ("statement", "kind"),
    [
        ({"Effect": "Allow", "Principal": {"Service": "x"}, "Action": "sts:AssumeRoleWithWebIdentity"}, "trust"),
        ({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}, "resource"),
        ({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, "identity"),
        # regression: an RCP or resource policy that denies sts:AssumeRole* to everyone is not a trust policy
        ({"Effect": "Deny", "Principal": "*", "Action": ["sts:AssumeRole", "s3:*"], "Resource": "*"}, "resource"),
        ({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"},
         "trust"),
        ({"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRoleWithWebIdentity", "Resource": "*"},
         "resource"),
    ],
)
def test_guess_kind(statement: dict[str, Any], kind: str) -> None:
    doc = {"Version": "2012-10-17", "Statement": [statement]}
    assert guess_kind(doc) == kind
    assert guess_kind([]) == "identity"


def test_auto_kind_lints_as_the_guess() -> None:
    text = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",'
            '"Resource":"arn:aws:s3:::b/*"}]}')
    assert "UNSUPPORTED_PRINCIPAL" not in {f.code for f in lint(text, "auto")}  # read as a resource policy
    assert "UNSUPPORTED_PRINCIPAL" in {f.code for f in lint(text, "identity")}


@pytest.mark.parametrize(
    ("text", "severity"),
    [("error", Severity.ERROR), ("Security", Severity.SECURITY_WARNING), ("security-warning",
     Severity.SECURITY_WARNING), (" WARNING ", Severity.WARNING), ("suggestion", Severity.SUGGESTION)],
)
def test_severity_parse(text: str, severity: Severity) -> None:
    assert Severity.parse(text) is severity


def test_severity_parse_rejects_and_ranks() -> None:
    with pytest.raises(ValueError, match="unknown severity `fatal`"):
        Severity.parse("fatal")
    assert [s.rank for s in Severity] == [3, 2, 1, 0]


def test_own_rule_refuses_aws_codes_and_bad_names() -> None:
    with pytest.raises(ValueError, match="Access Analyzer code"):
        own_rule("MISSING_VERSION", Severity.ERROR, "t", "grammar", "u", "s")
    with pytest.raises(ValueError, match="upper-snake"):
        own_rule("lower", Severity.ERROR, "t", "grammar", "u", "s")


def test_aws_urls_are_derived_from_codes() -> None:
    assert RULES["MISSING_VERSION"].url.endswith("#access-analyzer-reference-policy-checks-general-warning-"
                                                 "missing-version")
    assert RULES["JSON_SYNTAX_ERROR"].url.endswith("-error-json-syntax-error")
    assert RULES["EMPTY_SID_VALUE"].url.endswith("-suggestion-empty-sid-value")


def test_as_dict_is_json() -> None:
    (f,) = [f for f in lint('{"Statement":{}}', file="p.json") if f.code == "MISSING_VERSION"]
    data = json.loads(json.dumps(f.as_dict()))
    assert data["file"] == "p.json" and data["severity"] == "WARNING" and data["span"]["start"]["line"] == 1


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
    | st.sampled_from(["*", "s3:*", "Allow", "Deny", "${aws:x", "arn:aws:s3:::b", "2012-10-17"]),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(
        st.sampled_from(["Version", "Statement", "Effect", "Action", "NotAction", "Resource", "Principal",
                         "Condition", "Sid", "StringEquals", "AWS", "x"]) | st.text(max_size=5),
        children,
        max_size=5,
    ),
    max_leaves=25,
)


@given(_json, st.sampled_from(["identity", "resource", "scp", "rcp", "trust", "boundary", "session", "auto"]),
       st.booleans())
def test_any_json_lints_without_raising(value: Any, kind: str, pretty: bool) -> None:
    text = json.dumps(value, indent=2 if pretty else None)
    for f in lint(text, kind):
        assert f.code in RULES and f.severity is RULES[f.code].severity
        assert f.span is not None
        assert 0 <= f.span.start.offset <= f.span.end.offset <= len(text)
        assert f.code != "INTERNAL_CHECK_ERROR", f.message
