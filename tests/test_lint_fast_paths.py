"""The linter's fast paths give the answers of the plain definitions they replace.

``glob_covers`` compiles the covering pattern to a regex (the plain reading is a dynamic programme over both
patterns); the size quotas take ``json.dumps`` of the document when the runner says the text serializes the same
way (no escape, float or duplicate key), the regex count otherwise; ``json_syntax`` walks the document only when
the runner saw a duplicate key. The runner walks the document for its depth only when the text has more brackets
than levels allowed; the span index takes the root's end from the text; the variable checks skip a text without
``${`` or escapes; ``REDUNDANT_STATEMENT`` looks its candidates up in an index by first action.
"""

from __future__ import annotations

import json
import random

from hypothesis import given
from hypothesis import strategies as st
from iameval.lint import lint
from iameval.lint.checks.policy_type import IDENTITY_POLICY_QUOTA, chars_without_whitespace
from iameval.lint.checks.redundancy import (
    _action_group,
    _covered_entries,
    _first_action_index,
    action_covers,
    glob_covers,
    resource_covers,
)
from iameval.lint.checks.security import PERMISSION_SERVICES
from iameval.lint.context import Statement
from iameval.lint.runner import _nests_within
from iameval.lint.spans import SpanIndex
from iameval.lint.wildcards import action_matches
from iameval.reference.document import MAX_DEPTH
from iameval.reference.pattern import glob_match, resource_match, split_arn


def covers_by_definition(wide: str, narrow: str) -> bool:
    """Every ``*`` of ``narrow`` met by a ``*`` of ``wide``, every ``?`` by ``?`` or ``*``, a character by itself,
    ``?`` or ``*``: the dynamic programme over prefixes."""
    reach = [True] + [False] * len(narrow)
    for ch in wide:
        if ch == "*":
            for j in range(1, len(narrow) + 1):
                reach[j] = reach[j] or reach[j - 1]
            continue
        nxt = [False] * (len(narrow) + 1)
        for j in range(1, len(narrow) + 1):
            if reach[j - 1]:
                got = narrow[j - 1]
                nxt[j] = got != "*" and (ch == "?" or ch == got)
        reach = nxt
    return reach[len(narrow)]


GLOB = st.text(alphabet="ab*?.:/\ue000", max_size=8)


@given(GLOB, GLOB.filter(lambda t: "*" in t or "?" in t))
def test_glob_covers_regex_path_is_the_definition(wide: str, narrow: str) -> None:
    assert glob_covers.__wrapped__(wide, narrow) is covers_by_definition(wide, narrow)


def test_glob_covers_many_stars_and_marker_characters() -> None:
    # more than four `*` or the private-use marker characters: the dynamic programme answers
    assert glob_covers.__wrapped__("*a*b*c*d*e*", "xa*b?c*d*e") is True
    assert glob_covers.__wrapped__("a\ue000*", "a\ue000?") is covers_by_definition("a\ue000*", "a\ue000?")


def _identity_policy(value: str, extra: str = "") -> str:
    statements = ",\n    ".join(
        f'{{"Sid": "S{i}", "Effect": "Allow", "Action": "s3:GetObject", '
        f'"Resource": "arn:aws:s3:::{value}{i}/*"{extra}}}'
        for i in range(200)
    )
    return '{\n  "Version": "2012-10-17",\n  "Statement": [\n    ' + statements + "\n  ]\n}"


def _size_finding(text: str) -> list[str]:
    return [f.message for f in lint(text, "identity") if f.code == "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA"]


def test_size_quota_same_count_with_and_without_the_shortcut() -> None:
    plain = _identity_policy("bucket-with-a-long-name")
    escaped = _identity_policy("bucket-with-a-long-name\\u002d")  # an escape: the regex count
    floats = _identity_policy("bucket-with-a-long-name", ', "Condition": {"NumericLessThan": {"s3:max-keys": 1.50}}')
    for text in (plain, escaped, floats):
        size = chars_without_whitespace(text)
        assert size > IDENTITY_POLICY_QUOTA
        assert _size_finding(text) == [
            f"the policy has {size} characters without whitespace, more than the quota of {IDENTITY_POLICY_QUOTA}"
        ]
        # the same document as one line (no whitespace at all between tokens) has the same size
        assert chars_without_whitespace(json.dumps(json.loads(text), separators=(",", ":"))) <= size


def test_duplicate_keys_found_anywhere_in_the_document() -> None:
    text = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*",' \
           ' "Condition": {"Bool": {"aws:SecureTransport": "true", "aws:SecureTransport": "false"}}}]}'
    found = [f for f in lint(text, "identity") if f.code == "JSON_SYNTAX_ERROR"]
    assert [f.pointer for f in found] == ["/Statement/0/Condition/Bool/aws:SecureTransport"]
    clean = text.replace('"aws:SecureTransport": "false"', '"aws:MultiFactorAuthPresent": "true"')
    assert not [f for f in lint(clean, "identity") if f.code == "JSON_SYNTAX_ERROR"]


def _nested(levels: int, padding: int) -> str:
    """A policy nesting ``levels`` levels deep (the document is level 1), with ``padding`` extra leaf arrays so
    that the text holds more brackets than levels."""
    inner = '"x"'
    for _ in range(levels - 1):
        inner = f"[{inner}]"
    extra = "".join(f', "P{i}": []' for i in range(padding))
    return f'{{"Version": "2012-10-17", "Deep": {inner}{extra}}}'


def _depth_by_definition(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth_by_definition(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth_by_definition(v) for v in value), default=0)
    return 0


def test_depth_limit_with_and_without_the_bracket_count() -> None:
    # few brackets (no walk) and many brackets (the walk), on both sides of the limit
    for padding in (0, 100):
        for levels in (MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1):
            text = _nested(levels, padding)
            assert _depth_by_definition(json.loads(text)) == levels
            deep = [f.message for f in lint(text, "identity") if f.code == "JSON_SYNTAX_ERROR"]
            assert deep == ([f"the policy nests deeper than {MAX_DEPTH} levels"] if levels > MAX_DEPTH else [])


def test_depth_walk_skips_only_leaf_members() -> None:
    doc = json.loads(_nested(MAX_DEPTH + 1, 0))
    doc["Leaves"] = ["a", 1, 2.5, True, None]
    assert _nests_within(doc, MAX_DEPTH) is False
    assert _nests_within(doc, MAX_DEPTH + 1) is True
    assert _nests_within({"a": ["x", 1, None, {"b": [True]}]}, 4) is True
    assert _nests_within({"a": ["x", 1, None, {"b": [True]}]}, 3) is False


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(alphabet='a"\\\n ', max_size=3),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner, max_size=3),
                    max_leaves=12),
       st.sampled_from(["", " ", "\n\t \r\n"]))
def test_span_index_root_end_is_the_decoders(value: object, trailing: str) -> None:
    text = "  " + json.dumps({"Statement": value}, indent=1) + trailing
    root = SpanIndex(text)._root
    start = len(text) - len(text.lstrip(" \t\n\r"))
    assert root == (start, json.JSONDecoder().raw_decode(text, start)[1])


def test_variable_checks_read_escaped_text() -> None:
    # no `${` in the text, but an escape that spells one: the variable checks still run
    plain = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:${aws:username}",'
             ' "Resource": "arn:aws:s3:::b/${aws:username", "Condition": {"NumericEquals": {"s3:max-keys":'
             ' "${aws:userid}"}}}]}')
    escaped = plain.replace("${", "\\u0024{")
    assert "${" not in escaped
    codes = {"VARIABLE_UNSUPPORTED_IN_ELEMENT", "MISSING_BRACE_IN_VARIABLE", "INVALID_VARIABLE_FOR_OPERATOR"}

    def found(text: str) -> list[tuple[str, str]]:
        return sorted((f.code, f.pointer) for f in lint(text, "identity") if f.code in codes)

    assert found(plain) == found(escaped)
    assert {code for code, _pointer in found(plain)} == codes
    assert found(plain.replace("${", "$")) == []


ACTION = st.sampled_from(["s3:GetObject", "S3:getobject", "s3:Get*", "s3:*", "ec2:Run*", "ec2:RunInstances",
                          "*", "s*:Get*", "iam:PassRole", "noservice", "?3:List*"])


@given(st.lists(st.lists(ACTION, min_size=1, max_size=4), min_size=1, max_size=6))
def test_first_action_index_is_the_plain_filter(actions: list[list[str]]) -> None:
    candidates = [Statement(("Statement", i), i, {"Action": entries}) for i, entries in enumerate(actions)]

    def plain(first: str) -> list[Statement]:
        group = _action_group(first)
        key = None if "*" in first or "?" in first else first.lower()
        tried = []
        for st_ in candidates:
            texts = [text for _path, text in st_.strings("Action")]
            wild = [text for text in texts if "*" in text or "?" in text]
            names = {text.lower() for text in texts if text not in wild}
            groups = {_action_group(text) for text in wild}
            if None in groups or (group is not None and group in groups) or (key is not None and key in names):
                tried.append(st_)
        return tried

    index = _first_action_index(candidates)
    for entries in actions:  # looked up with the first action of a candidate
        assert index(entries[0]) == plain(entries[0])


def test_arn_problems_cached_per_text() -> None:
    from iameval.lint.checks.resources import _arn_problems

    assert _arn_problems.cache_info().maxsize is not None  # bounded
    bad = ["arn:aws:S3:::b", "arn:awz:s3:eu-nowhere-1:12345:b", "bucket", "arn:aws:s3", "*", "arn:aws:s3:::${x}"]
    doc = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": bad},
        {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": bad[::-1]},
    ]})
    first = [(f.code, f.pointer, f.message, f.span) for f in lint(doc, "identity")]
    _arn_problems.cache_clear()
    assert [(f.code, f.pointer, f.message, f.span) for f in lint(doc, "identity")] == first
    for value in bad:
        assert _arn_problems(value) == _arn_problems.__wrapped__(value)


PRIVILEGED = st.sampled_from(["iam:CreateUser", "iam:*", "IAM:attachRolePolicy", "iam:Get*", "sts:AssumeRole",
                              "sts:*", "*", "*:*", "s3:GetObject", "organizations:AttachPolicy", "sso:List*",
                              "i*:PassRole", "ec2:RunInstances", "noservice", "identitystore:CreateUser"])


@given(st.lists(PRIVILEGED, min_size=1, max_size=8))
def test_privileged_actions_are_read_in_document_order(actions: list[str]) -> None:
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}
    found = [f.pointer for f in lint(doc, "identity") if f.code == "PRIVILEGED_ACTION_WITHOUT_MFA"]
    # the plain definition: every entry tested in order
    privileged = {"*", "*:*", "iam:*", "organizations:*", "sts:*", "sts:assumerole"}
    from iameval.catalog import default_catalog

    catalog = default_catalog()

    def management(action: str) -> bool:
        if "*" in action or "?" in action or action.partition(":")[0].lower() not in PERMISSION_SERVICES:
            return False
        info = catalog.action(action)
        return info is not None and info.access_level == "Permissions management"

    expected = [f"/Statement/0/Action/{i}" for i, a in enumerate(actions) if a.lower() in privileged or management(a)]
    assert sorted(set(found), key=lambda p: int(p.rsplit("/", 1)[1])) == found
    assert found == list(dict.fromkeys(expected))


def resource_covers_by_fields(wide: str, narrow: str, resource_based: bool) -> bool:
    """``resource_covers`` without the resource part's head test: IAM's matcher for an exact ``narrow``, field
    by field coverage otherwise."""
    if wide == "*":
        return True
    if narrow == "*" or "${" in wide or "${" in narrow:
        return False
    if "*" not in narrow and "?" not in narrow:
        return resource_match(wide, narrow, resource_based=resource_based)
    w_fields, n_fields = split_arn(wide), split_arn(narrow)
    if w_fields is None or n_fields is None:
        return False
    return all(w == n or glob_covers(w, n, True) for w, n in zip(w_fields[:-1], n_fields[:-1], strict=True)) and (
        w_fields[-1] == n_fields[-1] or glob_covers(w_fields[-1], n_fields[-1])
    )


ARNISH = st.builds(lambda head, rest: head + rest,
                   st.sampled_from(["arn:aws:s3:::", "arn:aws:S3:::", "arn:aws:iam::1:", "arn:*:s3:::", "arn:aws:s3",
                                    "", "*", "arn:aws:s3:::${aws:username}"]),
                   st.text(alphabet="ab*?/:", max_size=6))


@given(ARNISH, ARNISH, st.booleans())
def test_resource_covers_head_test_is_the_definition(wide: str, narrow: str, resource_based: bool) -> None:
    assert resource_covers(wide, narrow, resource_based=resource_based) is resource_covers_by_fields(
        wide, narrow, resource_based)


def covered_entries_by_definition(entries: list[tuple[tuple[str | int, ...], str]]) -> list[tuple[object, ...]]:
    """Every entry against every other: covered by an earlier one, or by a later one it does not cover back."""
    found: list[tuple[object, ...]] = []
    for i, (path, narrow) in enumerate(entries):
        for j, (_p, wide) in enumerate(entries):
            if j == i:
                continue
            if (j < i and narrow.lower() == wide.lower()) or (
                action_covers(wide, narrow) and (j < i or not action_covers(narrow, wide))
            ):
                found.append((path, narrow, wide))
                break
    return found


@given(st.lists(ACTION, min_size=2, max_size=8))
def test_covered_actions_are_the_pairwise_definition(actions: list[str]) -> None:
    entries = [(("Statement", 0, "Action", i), a) for i, a in enumerate(actions)]
    found = _covered_entries(entries, action_covers, str.lower, _action_group)
    expected = covered_entries_by_definition(entries)
    # the same entries are reported; the covering entry named is a duplicate or one that covers it
    assert [f[:2] for f in found] == [e[:2] for e in expected]
    assert all(wide.lower() == narrow.lower() or action_covers(wide, narrow) for _path, narrow, wide in found)


@given(st.sampled_from(["s3", "ec2", "iam", "lambda", "kms"]),
       st.text(alphabet="abfunction:/*?${}-0123456789", max_size=14))
def test_matching_formats_is_could_match_per_format(service: str, resource: str) -> None:
    from iameval.catalog import default_catalog
    from iameval.lint.checks.arns import _could_match, _matching_formats, arn_formats

    candidates = arn_formats(default_catalog()).get(service, ())
    assert candidates
    assert _matching_formats(candidates, resource) == [f for f in candidates if _could_match(f, resource)]
    for fmt in candidates[:8]:  # resource parts the format names, and a pattern of them
        for text in (fmt.literal + "x", fmt.literal + "*", fmt.literal[:-1]):
            assert _matching_formats(candidates, text) == [f for f in candidates if _could_match(f, text)]


@given(st.lists(st.sampled_from(["s3:GetObject", "*", "s3", "", ":x", "s3:", "a:b\nc", "ec2:*", "x:y:z"]),
                min_size=1, max_size=6))
def test_invalid_actions_found_with_and_without_the_all_valid_shortcut(actions: list[str]) -> None:
    import re

    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}
    found = [f.pointer for f in lint(doc, "identity") if f.code == "INVALID_ACTION"
             and f.message.endswith("is not an action")]
    valid = re.compile(r"[^:]+:.+\Z", re.DOTALL)
    assert found == [f"/Statement/0/Action/{i}" for i, a in enumerate(actions) if a != "*" and not valid.match(a)]


ENTRY = st.sampled_from(["iam:PassRole", "IAM:passrole", "iam:Pass*", "iam:*", "*", "i?m:PassRole", "\u212ams:Decrypt",
                         "kms:decrypt", "ec2:RunInstances", "noservice", ":x", "iam:Pass\nRole", "a\nb:c",
                         "sts:AssumeRole", "*:*", "\u0130am:PassRole"])


@given(st.lists(ENTRY, max_size=6), st.sampled_from(["iam:PassRole", "kms:Decrypt", "ec2:RunInstances",
                                                     "sts:AssumeRole", "\u212ams:Decrypt"]))
def test_statement_services_and_matches_are_the_entry_by_entry_reading(entries: list[str], action: str) -> None:
    from iameval.lint.checks.security import _action_services, _by_service_of, _matches_any, _matching
    from iameval.lint.context import LintContext

    data = {"Effect": "Allow", "Action": entries, "Resource": "*"}
    ctx = LintContext(doc={"Statement": [data]}, kind="identity", text="")
    statement = ctx.statements[0]
    by_service, wild = _by_service_of(statement.strings("Action"))
    services, any_service = _action_services(statement)
    assert any_service is bool(wild)
    assert set(by_service) <= services
    assert all("*" in s or "?" in s for s in services - set(by_service))
    assert _matches_any(ctx, statement, "Action", action) is bool(_matching(ctx, statement, "Action", action))


@given(st.lists(st.text(alphabet='a"\\,[] ', max_size=3), max_size=4),
       st.lists(st.text(alphabet='a"\\,[] ', max_size=3), max_size=4))
def test_condition_values_compared_as_tuples_as_by_their_json(a: list[str], b: list[str]) -> None:
    by_json = json.dumps(sorted(set(a))) == json.dumps(sorted(set(b)))
    assert (tuple(sorted(set(a))) == tuple(sorted(set(b)))) is by_json


STATEMENT_VALUE = st.one_of(st.none(), st.booleans(), st.integers(), st.sampled_from(["*", "s3:*", "aws:SourceIp"]),
                            st.lists(st.sampled_from(["*", "iam:PassRole", "arn:aws:s3:::b/*"]), max_size=2),
                            st.dictionaries(st.sampled_from(["AWS", "Service", "StringEquals"]),
                                            st.sampled_from(["*", "s3.amazonaws.com"]), max_size=2))


@given(st.lists(st.dictionaries(st.sampled_from(["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource",
                                                 "Principal", "NotPrincipal", "Conditions", "condition"]),
                                STATEMENT_VALUE, max_size=6), max_size=3),
       st.sampled_from(["identity", "resource", "scp", "rcp", "trust"]))
def test_condition_only_checks_report_nothing_without_a_condition(statements: list[dict[str, object]],
                                                                   kind: str) -> None:
    from iameval.catalog import default_catalog
    from iameval.lint.context import LintContext
    from iameval.lint.registry import CHECKS

    doc = {"Version": "2012-10-17", "Statement": statements}
    skipped = [chk for chk in CHECKS if chk.condition_only]
    assert len(skipped) >= 25
    catalog = default_catalog()
    ctx = LintContext(doc=doc, kind=kind, text=json.dumps(doc), catalog_loader=lambda: catalog)  # type: ignore[arg-type]
    for chk in skipped:
        chk.func(ctx)
    assert ctx.reports == []


def _paths(value: object, path: tuple[str | int, ...] = ()) -> list[tuple[tuple[str | int, ...], object]]:
    found: list[tuple[tuple[str | int, ...], object]] = [(path, value)]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*path, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            found += _paths(child, (*path, i))
    return found


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(alphabet='a"\\/~\n', max_size=3),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(alphabet="ab/~0", max_size=2), inner, max_size=3),
                    max_leaves=15)


@given(st.dictionaries(st.text(alphabet="ab", max_size=2), JSON, max_size=3), st.sampled_from([None, 1, 2]),
       st.randoms(use_true_random=False), st.booleans())
def test_span_index_lazy_reading_finds_every_value(doc: dict[str, object], indent: int | None,
                                                    rnd: random.Random, duplicates: bool) -> None:
    text = json.dumps(doc, indent=indent)
    index = SpanIndex(text, duplicates=duplicates)
    paths = _paths(doc)
    rnd.shuffle(paths)  # in any order: each lookup reads as far as it needs
    for path, value in paths:
        span = index.locate(path)
        assert span is not None
        assert json.loads(text[span.start.offset : span.end.offset]) == value
        if path and isinstance(path[-1], str):
            key = index.locate(path, on_key=True)
            assert key is not None and json.loads(text[key.start.offset : key.end.offset]) == path[-1]
    assert index.locate(("no such key",)) == index.locate(())


def test_span_index_names_the_last_of_repeated_keys() -> None:
    text = '{"a": 1, "b": {"c": 2, "c": [3]}, "a": [4, 5]}'
    index = SpanIndex(text)  # the runner says duplicates=True when the parser saw a repeated key
    for pointer, expected in (("/a", "[4, 5]"), ("/b/c", "[3]"), ("/a/1", "5"), ("/b/c/0", "3")):
        span = index.value(pointer)
        assert span is not None and text[span.start.offset : span.end.offset] == expected


@given(st.sampled_from(["StringEquals", "stringequalsifexists", "ForAllValues:StringLike", "foranyvalue:ArnLike",
                        "Null", "NullIfExists", "ForAllValues:Null", "Bogus", "StringEqualsIgnoreCase", "DateLessThan",
                        "\u0130pAddress", "ForSomeValues:StringEquals"]))
def test_operator_names_read_once_as_the_reference_reads_them(name: str) -> None:
    from iameval.lint.operators import operator_of
    from iameval.reference.conditions import parse_operator

    assert operator_of.cache_info().maxsize is not None  # bounded
    assert operator_of(name) == parse_operator(name)
    assert operator_of(name) is operator_of(name)


@given(st.text(alphabet="aB*?.:/\u0130\u212a", max_size=8), st.text(alphabet="abAB.:/k\u0130\u212a", max_size=8),
       st.booleans())
def test_glob_covers_of_a_name_is_iams_matcher(wide: str, narrow: str, ignore_case: bool) -> None:
    assert glob_covers.__wrapped__(wide, narrow, ignore_case) is glob_match(wide, narrow, ignore_case=ignore_case)


ACTION_TEXT = st.text(alphabet="aAbB:*?é", max_size=10)


@given(ACTION_TEXT, st.text(alphabet="aAbB:é", max_size=10))
def test_action_matches_is_the_reference_glob_without_case(pattern: str, action: str) -> None:
    # the one action matcher of the linter (star-split, a cached regex for a few `*`, else the reference)
    assert action_matches(pattern, action) is glob_match(pattern, action, ignore_case=True)


def test_action_matches_many_stars_take_the_linear_matcher() -> None:
    pattern = "s3:" + "*a" * 12 + "*b"
    assert action_matches(pattern, "s3:" + "a" * 40) is False
    assert action_matches(pattern, "s3:" + "a" * 12 + "b") is True

