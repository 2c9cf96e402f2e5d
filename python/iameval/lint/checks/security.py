"""Security: permissions that are broader than intended, decided from the document alone (no catalog).

Access Analyzer's ``iam:PassRole`` / ``iam:CreateServiceLinkedRole`` checks, RCP condition pairings, and our
own: full administrator access, ``Allow`` with ``NotAction``/``NotResource``, known IAM privilege-escalation
action sets, privileged actions without MFA, and public resource policies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from operator import itemgetter

from iameval.lint.clauses import clauses, condition_keys
from iameval.lint.context import LintContext, Statement
from iameval.lint.finding import Severity
from iameval.lint.registry import check, own_rule
from iameval.lint.wildcards import action_matches
from iameval.reference.pattern import split_arn

__all__ = ["ESCALATIONS", "Escalation"]

Path = tuple[str | int, ...]

#: the policy types Access Analyzer validates as identity policies (their statements grant permissions)
IDENTITY_KINDS = ("identity", "boundary", "session")
#: role-name parts of a Resource that mean "any role"
_ANY_ROLE = ("*", "role/*", "role*", "role/*/*")


def _has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


def _by_service(ctx: LintContext, st: Statement, element: str) -> tuple[dict[str, list[tuple[Path, str]]],
                                                                          list[tuple[Path, str]]]:
    """The statement's ``element`` entries indexed by their (lower-case) service prefix, and those whose service
    part has a wildcard (they may match any service). Built once per statement and element."""
    key = ("security.by_service", st.index, element)
    found = ctx.cache.get(key)
    if found is None:
        found = ctx.cache[key] = _by_service_of(st.strings(element))
    return found


def _by_service_of(
    entries: list[tuple[Path, str]],
) -> tuple[dict[str, list[tuple[Path, str]]], list[tuple[Path, str]]]:
    by_service: dict[str, list[tuple[Path, str]]] = {}
    wild: list[tuple[Path, str]] = []
    for entry in entries:  # hot: every action of the statements that name a service looked for (inlined tests)
        service, sep, _rest = entry[1].partition(":")
        if not sep or "*" in service or "?" in service:
            wild.append(entry)
        else:
            service = service.lower()
            found = by_service.get(service)
            if found is None:
                by_service[service] = [entry]
            else:
                found.append(entry)
    return by_service, wild


def _matching(ctx: LintContext, st: Statement, element: str, action: str) -> list[tuple[Path, str]]:
    """The entries of ``element`` (``Action``/``NotAction``) that match ``action``, in document order."""
    by_service, wild = _by_service(ctx, st, element)
    candidates = by_service.get(action.partition(":")[0].lower(), [])
    found = [(p, a) for p, a in candidates if action_matches(a, action)]
    found += [(p, a) for p, a in wild if action_matches(a, action)]
    if candidates and wild:  # entries of a list: their paths end with their index in it
        found.sort(key=_list_index)
    return found


def _matches_any(ctx: LintContext, st: Statement, element: str, action: str) -> bool:
    """``bool(_matching(ctx, st, element, action))`` for an ASCII ``action``: the entries of its service without
    a wildcard, when ASCII, are looked up lower-cased in a set (:func:`action_matches` compares such an entry
    with the action lower-cased); the rest are matched one by one."""
    if not action.isascii():
        return bool(_matching(ctx, st, element, action))
    by_service, wild = _by_service(ctx, st, element)
    service = action.partition(":")[0].lower()
    key = ("security.exact", st.index, element, service)
    split: tuple[set[str], list[str]] | None = ctx.cache.get(key)
    if split is None:
        exact: set[str] = set()
        rest: list[str] = []
        for _path, entry in by_service.get(service, ()):
            if entry.isascii() and "*" not in entry and "?" not in entry:
                exact.add(entry.lower())
            else:
                rest.append(entry)
        split = ctx.cache[key] = (exact, rest)
    exact, rest = split
    return (
        action.lower() in exact
        or any(action_matches(entry, action) for entry in rest)
        or any(action_matches(entry, action) for _path, entry in wild)
    )


def _star_resource(value: str) -> bool:
    """``*``, or an ARN whose resource part names any role (``arn:aws:iam::*:role/*``)."""
    if value == "*":
        return True
    parts = split_arn(value)
    if parts is None:
        return False
    return parts[5] in _ANY_ROLE


@dataclass(frozen=True, slots=True)
class _Sensitive:
    action: str
    prefix: str  # the code's prefix: PASS_ROLE or CREATE_SLR
    exempt_key: str  # a condition key that scopes the permission (no finding when present)


_SENSITIVE = (
    _Sensitive("iam:PassRole", "PASS_ROLE", "iam:PassedToService"),
    _Sensitive("iam:CreateServiceLinkedRole", "CREATE_SLR", "iam:AWSServiceName"),
)
_SUFFIXES = (
    "WITH_NOT_RESOURCE",
    "WITH_STAR_IN_ACTION_AND_NOT_RESOURCE",
    "WITH_NOT_ACTION_AND_NOT_RESOURCE",
    "WITH_STAR_IN_RESOURCE",
    "WITH_STAR_IN_ACTION_AND_RESOURCE",
    "WITH_STAR_IN_RESOURCE_AND_NOT_ACTION",
)


def _scoped_by(st: Statement, key: str, exact: bool) -> bool:
    """Whether a condition clause on ``key`` limits the services the permission is for: a positive operator
    without ``IfExists`` (which holds when the key is absent), and with ``exact`` values without wildcards.

    Access Analyzer still reports ``StringEqualsIfExists`` on ``iam:PassedToService`` (the managed policy
    AWSServiceRoleForAmazonEKSNodegroup, listed on its page under "Pass role with star in resource") and
    ``StringLike`` on ``iam:AWSServiceName`` with ``*a4b.amazonaws.com`` (AlexaForBusinessFullAccess, listed under
    "Create SLR with star in resource", a section that names no condition key as a remedy: ``exact``)."""
    if key not in condition_keys(st):
        return False
    for c in clauses(st):
        op = c.operator
        if c.key_lower != key or op is None or op.negated or op.if_exists or op.family == "null":
            continue
        values = c.values()
        if values and not (exact and any(_has_wildcard(t) for _p, t in values)):
            return True
    return False


def _sensitive_finding(ctx: LintContext, st: Statement, s: _Sensitive) -> tuple[str, Path] | None:
    """The code and place of the ``iam:PassRole``/``iam:CreateServiceLinkedRole`` finding of an Allow statement."""
    if _scoped_by(st, s.exempt_key.lower(), exact=s.prefix == "CREATE_SLR"):
        return None
    not_resource = "NotResource" in st.data
    if not_resource:
        if any(r == "*" for _p, r in st.strings("NotResource")):
            return None
        stars: list[tuple[Path, str]] = []
    else:
        stars = [(p, r) for p, r in st.strings("Resource") if _star_resource(r)]
        if not stars:
            return None
    if "Action" in st.data:
        matched = _matching(ctx, st, "Action", s.action)
        if not matched:
            return None
        exact = [(p, a) for p, a in matched if not _has_wildcard(a)]
        path = (exact or matched)[0][0]
        if not_resource:
            return f"{s.prefix}_{'WITH_NOT_RESOURCE' if exact else 'WITH_STAR_IN_ACTION_AND_NOT_RESOURCE'}", path
        return f"{s.prefix}_{'WITH_STAR_IN_RESOURCE' if exact else 'WITH_STAR_IN_ACTION_AND_RESOURCE'}", path
    if "NotAction" in st.data:
        if _matching(ctx, st, "NotAction", s.action):
            return None
        path = (*st.path, "NotAction")
        if not_resource:
            return f"{s.prefix}_WITH_NOT_ACTION_AND_NOT_RESOURCE", path
        return f"{s.prefix}_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION", path
    return None


@check("security", *(f"PASS_ROLE_{s}" for s in _SUFFIXES), *(f"CREATE_SLR_{s}" for s in _SUFFIXES))
def pass_role_and_slr(ctx: LintContext) -> None:
    """``iam:PassRole`` and ``iam:CreateServiceLinkedRole`` allowed on any role (``*`` or NotResource) in an
    identity policy, unless ``iam:PassedToService`` / ``iam:AWSServiceName`` scopes them."""
    if ctx.kind not in IDENTITY_KINDS:
        return
    for st in ctx.statements:
        if st.effect != "Allow":
            continue
        for s in _SENSITIVE:
            found = _sensitive_finding(ctx, st, s)
            if found is None:
                continue
            code, path = found
            ctx.report(code, path, f"{_SENSITIVE_DETAILS[code]} (`{s.action}` is allowed on multiple roles)",
                       hint=f"list the role ARNs in Resource or add the {s.exempt_key} condition key")


#: Access Analyzer's findingDetails of each code (its page)
_SENSITIVE_DETAILS = {
    "PASS_ROLE_WITH_NOT_RESOURCE": "Using the iam:PassRole action with NotResource can be overly permissive "
    "because it can allow iam:PassRole permissions on multiple resources. We recommend that you specify resource "
    "ARNs instead.",
    "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE": "Using an action with a wildcard (*) and NotResource can be "
    "overly permissive because it can allow iam:PassRole permissions on multiple resources. We recommend that you "
    "specify resource ARNs instead.",
    "PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE": "Using NotAction with NotResource can be overly permissive "
    "because it can allow iam:PassRole permissions on multiple resources. We recommend that you specify resource "
    "ARNs instead.",
    "PASS_ROLE_WITH_STAR_IN_RESOURCE": "Using the iam:PassRole action with wildcards (*) in the resource can be "
    "overly permissive because it allows iam:PassRole permissions on multiple resources. We recommend that you "
    "specify resource ARNs or add the iam:PassedToService condition key to your statement.",
    "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE": "Using wildcards (*) in the action and the resource can be "
    "overly permissive because it allows iam:PassRole permissions on all resources. We recommend that you specify "
    "resource ARNs or add the iam:PassedToService condition key to your statement.",
    "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION": "Using a resource with wildcards (*) and NotAction can be "
    "overly permissive because it allows iam:PassRole permissions on all resources. We recommend that you specify "
    "resource ARNs or add the iam:PassedToService condition key to your statement.",
    "CREATE_SLR_WITH_NOT_RESOURCE": "Using the iam:CreateServiceLinkedRole action with NotResource can allow "
    "creation of unintended service-linked roles for multiple resources. We recommend that you specify resource "
    "ARNs instead.",
    "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE": "Using an action with a wildcard(*) and NotResource can "
    "allow creation of unintended service-linked roles because it can allow iam:CreateServiceLinkedRole "
    "permissions on multiple resources. We recommend that you specify resource ARNs instead.",
    "CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE": "Using NotAction with NotResource can allow creation of "
    "unintended service-linked roles because it allows iam:CreateServiceLinkedRole permissions on multiple "
    "resources. We recommend that you specify resource ARNs instead.",
    "CREATE_SLR_WITH_STAR_IN_RESOURCE": "Using the iam:CreateServiceLinkedRole action with wildcards (*) in the "
    "resource can allow creation of unintended service-linked roles. We recommend that you specify resource ARNs "
    "instead.",
    "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE": "Using wildcards (*) in the action and the resource can allow "
    "creation of unintended service-linked roles because it allows iam:CreateServiceLinkedRole permissions on all "
    "resources. We recommend that you specify resource ARNs instead.",
    "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION": "Using a resource with wildcards (*) and NotAction can allow "
    "creation of unintended service-linked roles because it allows iam:CreateServiceLinkedRole permissions on all "
    "resources. We recommend that you specify resource ARNs instead.",
}


# --- RCPs ------------------------------------------------------------------------------------------------

_RCP_PRINCIPAL_KEYS = ("aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn",
                       "aws:principaltag/")
_RCP_SOURCE_KEYS = ("aws:sourceorgid", "aws:sourceorgpaths", "aws:sourceaccount")


def _bool_is(st: Statement, key: str, value: str) -> bool:
    return any(
        c.key_lower == key and c.operator is not None and c.operator.family == "bool"
        and any(t.lower() == value for _p, t in c.values())
        for c in clauses(st)
    )


def _null_false(st: Statement, keys: tuple[str, ...]) -> bool:
    return any(
        c.key_lower in keys and c.operator_name.lower() == "null" and any(t.lower() == "false" for _p, t in c.values())
        for c in clauses(st)
    )


@check("security", "RCP_MISSING_RELATED_PRINCIPAL_CONDITION_KEY", "RCP_MISSING_RELATED_SERVICE_PRINCIPAL_CONDITION_KEY",
       "RCP_MISSING_SERVICE_CONDITION_KEY_NULL_CHECK")
def rcp_pairings(ctx: LintContext) -> None:
    """RCP Deny statements that test principal keys should exempt service principals
    (``aws:PrincipalIsAWSService`` false); those testing source keys should apply only to service principals
    and check that the source key is present."""
    if ctx.kind != "rcp":
        return
    for st in ctx.statements:
        if st.effect != "Deny":
            continue
        for c in clauses(st):
            if c.operator is None or c.operator.family == "null":
                continue
            if c.key_lower.startswith(_RCP_PRINCIPAL_KEYS) and not _bool_is(st, "aws:principalisawsservice", "false"):
                ctx.report("RCP_MISSING_RELATED_PRINCIPAL_CONDITION_KEY", c.path,
                           f"`{c.key}` in an RCP also denies service principals",
                           hint='add "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}', on_key=True)
            elif c.key_lower in _RCP_SOURCE_KEYS:
                if not _bool_is(st, "aws:principalisawsservice", "true"):
                    ctx.report("RCP_MISSING_RELATED_SERVICE_PRINCIPAL_CONDITION_KEY", c.path,
                               f"`{c.key}` in an RCP also applies to your own principals",
                               hint='add "BoolIfExists": {"aws:PrincipalIsAWSService": "true"}', on_key=True)
                elif not _null_false(st, ("aws:sourceaccount", "aws:sourcearn")):
                    ctx.report("RCP_MISSING_SERVICE_CONDITION_KEY_NULL_CHECK", c.path,
                               f"`{c.key}` may be missing for some service integrations",
                               hint='add "Null": {"aws:SourceAccount": "false"}', on_key=True)


# --- our own -----------------------------------------------------------------------------------------------

_BEST_PRACTICES = "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html"
_ESCALATION_PAGE = "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"
_ESCALATION_PAGE_2 = "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation-part-2/"

own_rule("FULL_ADMIN_ACCESS", Severity.SECURITY_WARNING, "Full administrator access", "security",
         "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html",
         "an Allow of every action (`*` or `*:*`) on every resource grants full administrator access")
own_rule("ALLOW_WITH_NOT_ACTION", Severity.SECURITY_WARNING, "Allow with NotAction", "security",
         "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
         "Allow with NotAction allows every action not listed, including actions AWS adds later")
own_rule("ALLOW_WITH_NOT_RESOURCE", Severity.SECURITY_WARNING, "Allow with NotResource", "security",
         "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html",
         "Allow with NotResource allows every resource not listed, including resources created later")
own_rule("PRIVILEGE_ESCALATION", Severity.SECURITY_WARNING, "IAM privilege escalation", "security",
         _ESCALATION_PAGE,
         "the policy allows a set of actions known to let a principal raise its own permissions")
own_rule("PRIVILEGED_ACTION_WITHOUT_MFA", Severity.WARNING, "Privileged action without MFA", "security",
         "https://docs.aws.amazon.com/IAM/latest/UserGuide/tutorial_users-self-manage-mfa-and-creds.html",
         "privileged actions (iam:*, organizations:*, sts:AssumeRole, Permissions management actions on *) allowed "
         "without aws:MultiFactorAuthPresent")
own_rule("PUBLIC_ACCESS", Severity.SECURITY_WARNING, "Public access", "security",
         "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-concepts.html",
         "a resource policy that allows everyone (Principal * or AWS *) without a condition that pins the caller")


def _element(st: Statement) -> str:
    return "Action" if "Action" in st.data else "NotAction"


@check("security", "FULL_ADMIN_ACCESS", "ALLOW_WITH_NOT_ACTION", "ALLOW_WITH_NOT_RESOURCE")
def broad_allows(ctx: LintContext) -> None:
    """Every action on every resource; ``Allow`` with ``NotAction`` or ``NotResource``."""
    if ctx.kind in ("scp", "rcp"):
        return
    for st in ctx.statements:
        if st.effect != "Allow":
            continue
        if ctx.kind == "identity":
            stars = [p for p, a in st.strings("Action") if a in ("*", "*:*")]
            if stars and any(r == "*" for _p, r in st.strings("Resource")):
                ctx.report("FULL_ADMIN_ACCESS", stars[0], "the statement allows every action on every resource",
                           hint="grant only the actions and resources needed")
        if "NotAction" in st.data:
            ctx.report("ALLOW_WITH_NOT_ACTION", (*st.path, "NotAction"),
                       "`Allow` with `NotAction` allows every other action, including future ones",
                       hint="list the allowed actions in Action", on_key=True)
        if "NotResource" in st.data:
            ctx.report("ALLOW_WITH_NOT_RESOURCE", (*st.path, "NotResource"),
                       "`Allow` with `NotResource` allows every other resource",
                       hint="list the allowed resources in Resource", on_key=True)


@dataclass(frozen=True, slots=True)
class Escalation:
    """A set of actions that together let a principal raise its own permissions, with the page naming it."""

    actions: tuple[str, ...]
    source: str


ESCALATIONS: tuple[Escalation, ...] = (
    Escalation(("iam:CreatePolicyVersion",), _ESCALATION_PAGE),
    Escalation(("iam:SetDefaultPolicyVersion",), _ESCALATION_PAGE),
    Escalation(("iam:PassRole", "ec2:RunInstances"), _ESCALATION_PAGE),
    Escalation(("iam:CreateAccessKey",), _ESCALATION_PAGE),
    Escalation(("iam:CreateLoginProfile",), _ESCALATION_PAGE),
    Escalation(("iam:UpdateLoginProfile",), _ESCALATION_PAGE),
    Escalation(("iam:AttachUserPolicy",), _ESCALATION_PAGE),
    Escalation(("iam:AttachGroupPolicy",), _ESCALATION_PAGE),
    Escalation(("iam:AttachRolePolicy",), _ESCALATION_PAGE),
    Escalation(("iam:PutUserPolicy",), _ESCALATION_PAGE),
    Escalation(("iam:PutGroupPolicy",), _ESCALATION_PAGE),
    Escalation(("iam:PutRolePolicy",), _ESCALATION_PAGE),
    Escalation(("iam:AddUserToGroup",), _ESCALATION_PAGE),
    Escalation(("iam:UpdateAssumeRolePolicy", "sts:AssumeRole"), _ESCALATION_PAGE),
    Escalation(("iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"), _ESCALATION_PAGE),
    Escalation(("iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"), _ESCALATION_PAGE),
    Escalation(("lambda:UpdateFunctionCode",), _ESCALATION_PAGE),
    Escalation(("iam:PassRole", "glue:CreateDevEndpoint"), _ESCALATION_PAGE),
    Escalation(("glue:UpdateDevEndpoint",), _ESCALATION_PAGE),
    Escalation(("iam:PassRole", "cloudformation:CreateStack"), _ESCALATION_PAGE),
    Escalation(("iam:PassRole", "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"),
               _ESCALATION_PAGE),
    Escalation(("iam:PassRole", "codestar:CreateProject"), _ESCALATION_PAGE_2),
    Escalation(("codestar:CreateProjectFromTemplate",), _ESCALATION_PAGE_2),
    Escalation(("iam:PassRole", "sagemaker:CreateNotebookInstance", "sagemaker:CreatePresignedNotebookInstanceUrl"),
               _ESCALATION_PAGE_2),
    Escalation(("sagemaker:CreatePresignedNotebookInstanceUrl",), _ESCALATION_PAGE_2),
)


def _statement_allows(ctx: LintContext, st: Statement, action: str) -> bool:
    """Whether an Allow statement grants ``action`` on some resource (conditions are not evaluated)."""
    if "Action" in st.data:
        if not _matches_any(ctx, st, "Action", action):
            return False
    elif "NotAction" in st.data:
        if _matches_any(ctx, st, "NotAction", action):
            return False
    else:
        return False
    if "NotResource" in st.data:
        return not any(r == "*" for _p, r in st.strings("NotResource"))
    return bool(st.strings("Resource"))


def _denied_everywhere(ctx: LintContext, action: str) -> bool:
    """Whether an unconditional Deny of ``action`` on ``*`` removes it."""
    return any(
        "Condition" not in st.data and "Action" in st.data
        and _matches_any(ctx, st, "Action", action)
        and any(r == "*" for _p, r in st.strings("Resource"))
        for st in _candidates(ctx, "Deny", action)
    )


def _services_of(ctx: LintContext, effect: str) -> tuple[dict[str, list[Statement]], list[Statement]]:
    """The ``effect`` statements by the services of the escalation paths their ``Action`` names (the only
    services looked up: every action asked about is one of :data:`ESCALATIONS`), and those that may name any
    service (a wildcard in the service part, or ``NotAction``): a statement outside both cannot match an
    action."""
    key = ("security.services_of", effect)
    found = ctx.cache.get(key)
    if found is None:
        by_service: dict[str, list[Statement]] = {}
        anywhere: list[Statement] = []
        for st in ctx.statements:
            if st.effect != effect:
                continue
            if "Action" not in st.data:
                if "NotAction" in st.data:
                    anywhere.append(st)
                continue
            services, wild = _action_services(st)
            if wild:
                anywhere.append(st)
            for service in _ESCALATION_SERVICES.intersection(services):
                by_service.setdefault(service, []).append(st)
        found = (by_service, anywhere)
        ctx.cache[key] = found
    return found


#: the service part of each line of a text (the line's text up to its first colon)
_SERVICE_HEADS = re.compile(r"^([^:\n]*):", re.MULTILINE)


def _action_services(st: Statement) -> tuple[set[str], bool]:
    """The (lower-case) service parts of the statement's ``Action`` entries, and whether an entry may match any
    service (no colon, or a wildcard in its service part): :func:`_by_service`'s keys (plus the service parts
    with a wildcard, which no lookup of a service names) and whether its wildcard list is not empty, read from
    the entries joined by newlines with one regex (in C). Entries with a newline of their own are read by
    :func:`_by_service_of`."""
    key = ("security.action_services",)
    found: tuple[set[str], bool] | None = st.memo.get(key)
    if found is None:
        texts = [text for _path, text in st.strings("Action")]
        joined = "\n".join(texts)
        if joined.count("\n") != max(len(texts) - 1, 0):
            by_service, wild = _by_service_of(st.strings("Action"))
            found = (set(by_service), bool(wild))
        else:
            heads = _SERVICE_HEADS.findall(joined)
            services_text = "".join(heads)
            wildcard = len(heads) < len(texts) or "*" in services_text or "?" in services_text
            found = (set(map(str.lower, heads)), wildcard)
        st.memo[key] = found
    return found


def _candidates(ctx: LintContext, effect: str, action: str) -> list[Statement]:
    """The ``effect`` statements that may match ``action`` (one of :data:`ESCALATIONS`), in document order."""
    by_service, anywhere = _services_of(ctx, effect)
    named = by_service.get(action.partition(":")[0].lower(), [])
    if not anywhere:
        return named
    if not named:
        return anywhere
    return sorted({st.index: st for st in (*named, *anywhere)}.values(), key=lambda st: st.index)


def _granting(ctx: LintContext, action: str) -> Statement | None:
    key = ("security.granting", action.lower())
    if key not in ctx.cache:
        ctx.cache[key] = next(
            (st for st in _candidates(ctx, "Allow", action) if _statement_allows(ctx, st, action)), None
        )
    found: Statement | None = ctx.cache[key]
    return found


#: the Action entries that mean every action
_FULL_ACCESS = frozenset({"*", "*:*"})
#: the services the escalation paths' actions belong to (lower-case)
_ESCALATION_SERVICES = frozenset(a.partition(":")[0].lower() for esc in ESCALATIONS for a in esc.actions)


@check("security", "PRIVILEGE_ESCALATION")
def privilege_escalation(ctx: LintContext) -> None:
    """Every action of a known escalation set allowed by some Allow statement of an identity policy (skipped
    when the policy already grants full administrator access)."""
    if ctx.kind != "identity":
        return
    if any(st.effect == "Allow" and not _FULL_ACCESS.isdisjoint(map(itemgetter(1), st.strings("Action")))
           and any(r == "*" for _p, r in st.strings("Resource")) for st in ctx.statements):
        return
    by_service, anywhere = _services_of(ctx, "Allow")
    if not anywhere and _ESCALATION_SERVICES.isdisjoint(by_service):
        return  # no Allow statement names a service of any escalation path
    for esc in ESCALATIONS:
        granting = []
        for action in esc.actions:
            st = _granting(ctx, action)
            if st is None or _denied_everywhere(ctx, action):
                break
            granting.append(st)
        else:
            st = granting[0]
            path = (*st.path, _element(st))
            ctx.report("PRIVILEGE_ESCALATION", path,
                       f"the policy allows `{' + '.join(esc.actions)}`, a known privilege escalation path",
                       hint=f"remove one of the actions or scope it to specific resources (see {esc.source})",
                       on_key=True)


#: actions (lower-cased, as written) that are privileged on any resource
PRIVILEGED_ACTIONS = frozenset({"*", "*:*", "iam:*", "organizations:*", "sts:*", "sts:assumerole"})
#: services whose "Permissions management" actions change who may do what across the account or organization
PERMISSION_SERVICES = frozenset({"iam", "organizations", "sso", "identitystore"})
MFA_KEYS = frozenset({"aws:multifactorauthpresent", "aws:multifactorauthage"})


@check("security", "PRIVILEGED_ACTION_WITHOUT_MFA")
def privileged_without_mfa(ctx: LintContext) -> None:
    """``iam:*``, ``organizations:*``, ``sts:AssumeRole``, and single actions of access level "Permissions
    management" in AWS's catalog, on ``*`` in an identity policy without an MFA condition."""
    if ctx.kind != "identity":
        return
    for st in ctx.statements:
        if st.effect != "Allow" or not any(r == "*" for _p, r in st.strings("Resource")):
            continue
        if condition_keys(st) & MFA_KEYS:
            continue
        for path, action in _privileged_candidates(ctx, st):
            if action.lower() in PRIVILEGED_ACTIONS or _permissions_management(ctx, action):
                ctx.report("PRIVILEGED_ACTION_WITHOUT_MFA", path,
                           f"`{action}` on `*` is allowed without multi-factor authentication",
                           hint='add "Bool": {"aws:MultiFactorAuthPresent": "true"}')


#: the services of :data:`PRIVILEGED_ACTIONS` and :data:`PERMISSION_SERVICES`
_PRIVILEGED_SERVICES = ("iam", "organizations", "sso", "identitystore", "sts")


def _privileged_candidates(ctx: LintContext, st: Statement) -> list[tuple[Path, str]]:
    """The ``Action`` entries that may be privileged, in document order: those of the services of
    :data:`_PRIVILEGED_SERVICES` and those whose service part has a wildcard or that have no colon (``*``). Any
    other entry names a service outside both lists, so it is neither a privileged action nor a "Permissions
    management" action of :data:`PERMISSION_SERVICES`: the statement's entries by service (shared with the
    other security checks) give the few to test."""
    by_service, wild = _by_service(ctx, st, "Action")
    picked = [entry for service in _PRIVILEGED_SERVICES for entry in by_service.get(service, ())]
    if not picked:
        return wild
    if wild or len(picked) > 1:  # entries of a list: their paths end with their index in it
        picked = sorted([*picked, *wild], key=_list_index)
    return picked


def _list_index(entry: tuple[Path, str]) -> int:
    """The position of an entry of a list element (its path ends with it); sorted only when there are two."""
    index = entry[0][-1]
    return index if isinstance(index, int) else 0


def _permissions_management(ctx: LintContext, action: str) -> bool:
    """Whether ``action`` names one action (no wildcard) of access level "Permissions management" in AWS's
    catalog of a service that manages who may do what (:data:`PERMISSION_SERVICES`: ``iam:AttachRolePolicy``,
    ``organizations:AttachPolicy``, ``sso:PutInlinePolicyToPermissionSet``). Other services' resource-policy
    and grant actions (``kms:CreateGrant``, ``ec2:CreateNetworkInterfacePermission``) are what service roles
    need, and AWS's managed policies list hundreds of them: not reported. False without a catalog."""
    if "*" in action or "?" in action or action.partition(":")[0].lower() not in PERMISSION_SERVICES:
        return False
    levels: dict[str, str | None] = ctx.cache.setdefault("security.access_levels", {})
    low = action.lower()
    if low not in levels:
        catalog = ctx.catalog
        info = catalog.action(action) if catalog is not None else None
        levels[low] = info.access_level if info is not None else None
    return levels[low] == "Permissions management"


@check("security", "PUBLIC_ACCESS")
def public_access(ctx: LintContext) -> None:
    """A resource policy statement that allows everyone without a condition that pins the caller (the engine's
    reading of public access, :func:`iameval.reference.public_access.public_statements`)."""
    if ctx.kind != "resource":
        return
    from iameval.reference.public_access import public_statements

    try:
        indexes = public_statements(ctx.text)
    except Exception:  # an invalid policy is the grammar checks' finding, not a public one
        return
    by_index = {st.index: st for st in ctx.statements}
    for index in indexes:
        st = by_index.get(index)
        if st is None:
            continue
        principal = st.data.get("Principal")
        path = (*st.path, "Principal") if principal is not None else st.path
        everyone = principal == "*" or (isinstance(principal, Mapping) and principal.get("AWS") == "*")
        shown = "*" if everyone else "everyone"
        ctx.report("PUBLIC_ACCESS", path, f"the statement allows `{shown}` without a condition pinning the caller",
                   hint="name the principals, or add aws:PrincipalOrgID, aws:SourceArn or aws:SourceAccount")
