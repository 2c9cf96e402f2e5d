"""``privesc``: which principals can raise their own privileges, and how (issue 11, part 2).

Every path is decided **with the engine**, for the principal, with its permissions boundary, the SCP levels
of its account and the policy of the resource the step acts on (:class:`Environment`), never by matching
policy text. A path holds when each of its actions is allowed on a suitable resource of the loaded accounts:

- the principal's own attached customer-managed policies (``iam:CreatePolicyVersion``,
  ``iam:SetDefaultPolicyVersion``), its own user or role (``iam:AttachUserPolicy``, ``iam:PutRolePolicy``...),
  its own groups (``iam:PutGroupPolicy``, ``iam:AttachGroupPolicy``), the roles it can assume
  (``iam:AttachRolePolicy``, ``iam:PutRolePolicy`` on them);
- a target that is **more privileged** than the principal (below): another user (``iam:CreateAccessKey``,
  ``iam:CreateLoginProfile``, ``iam:UpdateLoginProfile``), a group it would join (``iam:AddUserToGroup``),
  a role whose trust policy it would rewrite (``iam:UpdateAssumeRolePolicy`` + ``sts:AssumeRole``, the
  latter decided with a trust policy naming the principal), a role it can assume (``sts:AssumeRole``, the
  role's real trust policy deciding, R19), or a role it can pass (``iam:PassRole`` on the role's ARN) to a
  service the role trusts (the trust policy decided by the engine for the service principal, e.g.
  ``lambda.amazonaws.com``) together with the service's actions (``lambda:CreateFunction`` +
  ``lambda:InvokeFunction``, ``ec2:RunInstances``, ...);
- ``*`` for the actions on resources the export does not describe (``lambda:CreateFunction``,
  ``ec2:RunInstances``), and for the "takeover" paths that act on an existing function, endpoint, stack or
  instance whose role the export does not show (``lambda:UpdateFunctionCode``, ``ssm:SendCommand``): those
  are reported with kind ``takeover`` and target ``*`` (or a loaded resource of that service), since
  whether they escalate depends on that unknown role.

**More privileged.** The privileges of a principal are measured on :data:`PROBE_ACTIONS` (the admin probe,
every action of every path, and a few sensitive data actions), each on ``*``, decided by the engine with its
boundary and SCPs: ``allowed(X)`` is the set of probe actions whose decision is ``Allow``. X is an **admin**
when every action of :data:`ADMIN_PROBE` is allowed: a made-up action that only ``*`` (or ``NotAction``)
grants, and the IAM actions that rewrite any permission. Target R is more privileged than principal P when R
is an admin and P is not, or ``allowed(R)`` is a strict superset of ``allowed(P)``. A principal that is
already an admin is reported once, as kind ``admin`` (action ``*`` on ``*``), and not for its paths.

**Conditional.** A step holds when its decision is ``Allow``, or ``ImplicitDeny`` with context keys missing
(the Allow that could apply has a condition the question did not answer). A finding with such a step, or an
``Allow`` that depends on missing keys, is conditional, with the union of the keys; pass ``context`` to
answer them (e.g. ``aws:TokenIssueTime``).

The paths: :data:`PATHS`, from Rhino Security Labs' two articles (the linter's table
:data:`iameval.lint.checks.security.ESCALATIONS`, each path here names its entry) and, for the
``codebuild``/``sagemaker`` job, ``cloudformation:UpdateStack``, ``ssm`` and EC2 Instance Connect paths,
BishopFox's IAM Vulnerable scenarios.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from iameval.account import Account, Principal
from iameval.engine import PolicySet, Request
from iameval.lint.checks.security import ESCALATIONS, Escalation
from iameval.questions.answer import FIELDS, Answer, Answers, Table
from iameval.questions.can import answer_of
from iameval.questions.environment import Environment, Subject

__all__ = ["ADMIN_PROBE", "EXTRA_FIELDS", "PATHS", "PROBE_ACTIONS", "Finding", "Findings", "Kind", "Path",
           "Step", "Target", "privesc", "privesc_chunk"]

RHINO = "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"
RHINO_2 = "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation-part-2/"
BISHOPFOX = "https://github.com/BishopFox/iam-vulnerable"

#: the kinds of finding
Kind = Literal["admin", "escalation", "assume-role", "pass-role", "takeover"]

#: what the actions of a path act on (module docstring)
Target = Literal["own_policy", "self_user", "own_or_assumable_role", "own_group", "group", "other_user",
                 "updatable_role", "passed_role", "existing"]

#: columns added after :data:`FIELDS` in JSON and CSV: the finding each row belongs to
EXTRA_FIELDS = ("kind", "path", "target")

#: an action no policy names: only ``*``, ``*:*`` or ``NotAction`` grant it
ANY_ACTION = "iameval-probe:AnyAction"

#: a principal allowed all of these on ``*`` is an admin
ADMIN_PROBE: tuple[str, ...] = (
    ANY_ACTION, "iam:AttachRolePolicy", "iam:AttachUserPolicy", "iam:PutRolePolicy", "iam:PutUserPolicy",
    "iam:CreatePolicyVersion", "iam:CreateUser", "iam:UpdateAssumeRolePolicy", "iam:PassRole",
)


@dataclass(frozen=True, slots=True)
class Step:
    """One action of a path; ``on_target``: decided on the path's target (else on ``*``, or loaded resources
    of the action's service for a takeover); ``rewritten_trust``: ``sts:AssumeRole`` decided with a trust
    policy that names the principal (after ``iam:UpdateAssumeRolePolicy``)."""

    action: str
    on_target: bool = False
    rewritten_trust: bool = False


@dataclass(frozen=True, slots=True)
class Path:
    """A known escalation path: its ``name``, its steps, what its target is, the service principal a passed
    role must trust, the page describing it, and the linter's entry with the same actions (if any)."""

    name: str
    target: Target
    steps: tuple[Step, ...]
    source: str
    service: str | None = None
    lint: Escalation | None = None

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(s.action for s in self.steps)

    @property
    def kind(self) -> Kind:
        if self.target == "passed_role":
            return "pass-role"
        return "takeover" if self.target == "existing" else "escalation"


def _lint(*actions: str) -> Escalation:
    """The linter's entry with exactly these actions (a KeyError at import when the tables drift apart)."""
    for entry in ESCALATIONS:
        if entry.actions == actions:
            return entry
    raise KeyError(f"no lint escalation {actions}")


def _one(name: str, action: str, target: Target, source: str = RHINO) -> Path:
    return Path(name, target, (Step(action, on_target=True),), source, lint=_lint(action))


def _pass(name: str, service: str, actions: tuple[str, ...], source: str, lint: bool = True) -> Path:
    steps = (Step("iam:PassRole", on_target=True), *(Step(a) for a in actions))
    return Path(name, "passed_role", steps, source, service,
                _lint("iam:PassRole", *actions) if lint else None)


def _existing(name: str, actions: tuple[str, ...], source: str, lint: bool = True) -> Path:
    return Path(name, "existing", tuple(Step(a, on_target=True) for a in actions), source,
                lint=_lint(*actions) if lint else None)


#: the escalation paths (Rhino Security Labs methods 1-21 and part 2, BishopFox IAM Vulnerable)
PATHS: tuple[Path, ...] = (
    _one("CreatePolicyVersion", "iam:CreatePolicyVersion", "own_policy"),
    _one("SetDefaultPolicyVersion", "iam:SetDefaultPolicyVersion", "own_policy"),
    _pass("PassRole+EC2", "ec2.amazonaws.com", ("ec2:RunInstances",), RHINO),
    _one("CreateAccessKey", "iam:CreateAccessKey", "other_user"),
    _one("CreateLoginProfile", "iam:CreateLoginProfile", "other_user"),
    _one("UpdateLoginProfile", "iam:UpdateLoginProfile", "other_user"),
    _one("AttachUserPolicy", "iam:AttachUserPolicy", "self_user"),
    _one("AttachGroupPolicy", "iam:AttachGroupPolicy", "own_group"),
    _one("AttachRolePolicy", "iam:AttachRolePolicy", "own_or_assumable_role"),
    _one("PutUserPolicy", "iam:PutUserPolicy", "self_user"),
    _one("PutGroupPolicy", "iam:PutGroupPolicy", "own_group"),
    _one("PutRolePolicy", "iam:PutRolePolicy", "own_or_assumable_role"),
    _one("AddUserToGroup", "iam:AddUserToGroup", "group"),
    Path("UpdateAssumeRolePolicy", "updatable_role",
         (Step("iam:UpdateAssumeRolePolicy", on_target=True), Step("sts:AssumeRole", True, True)), RHINO,
         lint=_lint("iam:UpdateAssumeRolePolicy", "sts:AssumeRole")),
    _pass("PassRole+Lambda", "lambda.amazonaws.com", ("lambda:CreateFunction", "lambda:InvokeFunction"), RHINO),
    _pass("PassRole+Lambda+EventSource", "lambda.amazonaws.com",
          ("lambda:CreateFunction", "lambda:CreateEventSourceMapping"), RHINO),
    _existing("UpdateFunctionCode", ("lambda:UpdateFunctionCode",), RHINO),
    _pass("PassRole+Glue", "glue.amazonaws.com", ("glue:CreateDevEndpoint",), RHINO),
    _existing("UpdateDevEndpoint", ("glue:UpdateDevEndpoint",), RHINO),
    _pass("PassRole+CloudFormation", "cloudformation.amazonaws.com", ("cloudformation:CreateStack",), RHINO),
    _pass("PassRole+DataPipeline", "datapipeline.amazonaws.com",
          ("datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"), RHINO),
    _pass("PassRole+CodeStar", "codestar.amazonaws.com", ("codestar:CreateProject",), RHINO_2),
    _existing("CreateProjectFromTemplate", ("codestar:CreateProjectFromTemplate",), RHINO_2),
    _pass("PassRole+SageMakerNotebook", "sagemaker.amazonaws.com",
          ("sagemaker:CreateNotebookInstance", "sagemaker:CreatePresignedNotebookInstanceUrl"), RHINO_2),
    _existing("CreatePresignedNotebookInstanceUrl", ("sagemaker:CreatePresignedNotebookInstanceUrl",), RHINO_2),
    # BishopFox IAM Vulnerable (not in the linter's table)
    _pass("PassRole+CodeBuild", "codebuild.amazonaws.com", ("codebuild:CreateProject", "codebuild:StartBuild"),
          BISHOPFOX, lint=False),
    _pass("PassRole+SageMakerTrainingJob", "sagemaker.amazonaws.com", ("sagemaker:CreateTrainingJob",),
          BISHOPFOX, lint=False),
    _pass("PassRole+SageMakerProcessingJob", "sagemaker.amazonaws.com", ("sagemaker:CreateProcessingJob",),
          BISHOPFOX, lint=False),
    _existing("CloudFormationUpdateStack", ("cloudformation:UpdateStack",), BISHOPFOX, lint=False),
    _existing("SSMSendCommand", ("ssm:SendCommand",), BISHOPFOX, lint=False),
    _existing("SSMStartSession", ("ssm:StartSession",), BISHOPFOX, lint=False),
    _existing("EC2InstanceConnect", ("ec2-instance-connect:SendSSHPublicKey",), BISHOPFOX, lint=False),
)

#: the path reported for "can assume a more privileged role"
ASSUME_ROLE = Path("AssumeRole", "updatable_role", (Step("sts:AssumeRole", on_target=True),), RHINO)

#: sensitive data actions the privilege comparison also counts
_DATA_PROBE = ("s3:GetObject", "s3:PutObject", "s3:PutBucketPolicy", "dynamodb:GetItem", "dynamodb:PutItem",
               "secretsmanager:GetSecretValue", "kms:Decrypt", "ssm:GetParameter", "ec2:TerminateInstances",
               "rds:DeleteDBInstance", "cloudtrail:StopLogging", "organizations:LeaveOrganization")

#: the actions on which privileges are compared (module docstring)
PROBE_ACTIONS: tuple[str, ...] = tuple(dict.fromkeys(
    (*ADMIN_PROBE, *(a for p in PATHS for a in p.actions), "sts:AssumeRole", *_DATA_PROBE)))

_ALLOW = 1

#: the reason given for a service-linked role left out
SERVICE_LINKED = "service-linked role: only its AWS service can use it (ask to include service-linked roles)"

#: the most roles assumed one after the other in an ``AssumeRole chain``
MAX_CHAIN = 4


# -- results ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    """One way ``principal`` escalates (or is already an admin): the ``kind``, the ``path`` name, the
    ``target`` (a policy, user, group or role ARN, or ``*``), one :class:`Answer` per action with its deciding
    statements, and the page describing the path."""

    principal: str
    kind: Kind
    path: str
    target: str
    steps: tuple[Answer, ...]
    source: str = ""

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(a.action for a in self.steps)

    @property
    def missing_context_keys(self) -> tuple[str, ...]:
        """The context keys any step's decision depends on, sorted."""
        return tuple(sorted({k for a in self.steps for k in a.missing_context_keys}))

    @property
    def conditional(self) -> bool:
        """True when a step may be decided otherwise with context the question did not give."""
        return any(a.conditional for a in self.steps)

    def to_dicts(self) -> list[dict[str, Any]]:
        """One row per step: the keys of :data:`FIELDS`, then ``kind``, ``path`` and ``target``."""
        return [{**a.to_dict(), "kind": self.kind, "path": self.path, "target": self.target} for a in self.steps]


class Findings(Table[Finding]):
    """The findings of :func:`privesc`, in principal order; ``not_evaluated`` as in :class:`Answers`.
    :meth:`answers` gives their steps as :class:`Answers` rows; JSON and CSV add :data:`EXTRA_FIELDS`."""

    __slots__ = ()

    def of(self, principal: str) -> Findings:
        """The findings of one principal (its ARN)."""
        return Findings([f for f in self._rows if f.principal == principal], self.not_evaluated)

    def principals(self) -> tuple[str, ...]:
        """The principals with a finding, in order."""
        return tuple(dict.fromkeys(f.principal for f in self._rows))

    def answers(self) -> Answers:
        """Every step of every finding as an :class:`Answers` row (the common row shape)."""
        return Answers([a for f in self._rows for a in f.steps], self.not_evaluated)

    def to_dicts(self) -> list[dict[str, Any]]:
        return [row for f in self._rows for row in f.to_dicts()]

    def to_json(self) -> str:
        """One JSON array, one object per step (:data:`FIELDS` and :data:`EXTRA_FIELDS`)."""
        import json

        return json.dumps(self.to_dicts(), ensure_ascii=False)

    def to_csv(self) -> str:
        """CSV as :meth:`Answers.to_csv`, with the columns of :data:`EXTRA_FIELDS` after them."""
        import csv
        import io

        base = list(csv.reader(io.StringIO(self.answers().to_csv())))
        extra = [[f.kind, f.path, f.target] for f in self._rows for _ in f.steps]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([*FIELDS, *EXTRA_FIELDS])
        for row, more in zip(base[1:], extra, strict=True):
            writer.writerow([*row, *more])
        return out.getvalue()

    def to_arrow(self) -> Any:
        """An Arrow table: :meth:`Answers.to_arrow` with the columns of :data:`EXTRA_FIELDS`."""
        import pyarrow as pa

        table = self.answers().to_arrow()
        for i, name in enumerate(EXTRA_FIELDS):
            values = [str((f.kind, f.path, f.target)[i]) for f in self._rows for _ in f.steps]
            table = table.append_column(name, pa.array(values, pa.string()))
        return table

    def to_pandas(self) -> Any:
        return self.to_arrow().to_pandas()


# -- the question ----------------------------------------------------------------------------------------------


def privesc_chunk(env: Environment, principals: Sequence[str], *, context: Mapping[str, Any] | None = None,
                  include_service_linked: bool = False) -> Findings:
    """:func:`privesc` for some principals (ARNs): the question :func:`iameval.questions.run` sends to worker
    processes or a Dask cluster, chunk by chunk."""
    return privesc(env, context=context, principals=principals, include_service_linked=include_service_linked)


def privesc(env: Environment, *, context: Mapping[str, Any] | None = None,
            principals: Iterable[Principal | str] | None = None, include_service_linked: bool = False,
            progress: Callable[[int, int], None] | None = None) -> Findings:
    """The principals of ``env`` (or only ``principals``) that are admins or can escalate by a path of
    :data:`PATHS` or by assuming or passing a more privileged role (module docstring), with ``context`` keys
    over the ones AWS sets for each principal. ``progress(done, total)`` is called after each principal.
    A principal that is not evaluated is listed in ``Findings.not_evaluated`` with the reason; so are
    service-linked roles unless ``include_service_linked`` (only their AWS service can use them, and their
    policies are AWS's)."""
    chosen = env.principals if principals is None else tuple(
        p if isinstance(p, Principal) else env.principal(p) for p in principals)
    search = _Search(env, dict(context or {}))
    found: list[Finding] = []
    skipped: list[tuple[str, str]] = []
    for done, principal in enumerate(chosen, 1):
        error = principal.error
        if error is not None:
            skipped.append((principal.arn, error))
        elif principal.service_linked and not include_service_linked:
            skipped.append((principal.arn, SERVICE_LINKED))
        else:
            found.extend(search.findings(principal))
        if progress is not None:
            progress(done, len(chosen))
    return Findings(found, skipped)


@dataclass
class _Search:
    """The engine calls of one question, with their results cached."""

    env: Environment
    context: dict[str, Any]
    _probes: dict[str, frozenset[str]] = field(default_factory=dict)
    _answers: dict[tuple[str, str, str, bool], Answer] = field(default_factory=dict)
    _trusts: dict[tuple[str, str], bool] = field(default_factory=dict)
    _trust_sets: dict[str, PolicySet] = field(default_factory=dict)
    _rewritten: dict[str, dict[str, Any]] = field(default_factory=dict)
    _assumable: dict[str, list[tuple[Principal, Answer]]] = field(default_factory=dict)
    _roles: dict[tuple[str, ...], list[Principal]] = field(default_factory=dict)

    def account_of(self, principal: Principal) -> Account:
        """The loaded account listing ``principal`` (an export may hold ARNs of another account id)."""
        return next(a for a in self.env.accounts if any(p is principal for p in a.principals))

    # -- privileges --------------------------------------------------------------------------------------------

    def probe(self, principal: Principal, policy_set: PolicySet | None = None, key: str | None = None
              ) -> frozenset[str]:
        """The probe actions ``principal`` (or ``policy_set`` deciding for it) is allowed on ``*``."""
        key = key or principal.arn
        cached = self._probes.get(key)
        if cached is None:
            star = self.env.subject("*")
            policy_set = policy_set or self.env.policy_set(principal, star)
            request = self.env.request(principal, ANY_ACTION, star, self.context)
            codes = policy_set.decide_many(list(PROBE_ACTIONS), ["*"] * len(PROBE_ACTIONS),
                                           principal=principal.arn, contexts=dict(request.context),
                                           principal_accounts=request.principal_account,
                                           resource_accounts=request.resource_account)
            cached = frozenset(a for a, c in zip(PROBE_ACTIONS, codes, strict=True) if int(c) == _ALLOW)
            self._probes[key] = cached
        return cached

    def admin(self, allowed: frozenset[str]) -> bool:
        return all(a in allowed for a in ADMIN_PROBE)

    def more_privileged(self, target: frozenset[str], than: frozenset[str]) -> bool:
        return (self.admin(target) and not self.admin(than)) or target > than

    # -- decisions ---------------------------------------------------------------------------------------------

    def ask(self, principal: Principal, action: str, resource: str, rewritten_trust: bool = False) -> Answer:
        """The decision for one step, explained (cached)."""
        key = (principal.arn, action, resource, rewritten_trust)
        found = self._answers.get(key)
        if found is None:
            subject = self.env.subject(resource, action)
            if rewritten_trust:
                org = self.env.organization
                scps = org.scp_levels(principal.account_id) if org and principal.account_id in org else None
                owner = subject.owner_account or principal.account_id
                rcps = org.rcp_levels(owner) if org and owner in org else None
                subject = Subject(resource, subject.owner_account, None)
                policy_set = principal.policy_set(scps=scps, rcps=rcps, resource=self._trust_for(principal))
            else:
                policy_set = self.env.policy_set(principal, subject)
            request = self.env.request(principal, action, subject, self.context)
            found = answer_of(self.env, principal, action, subject, policy_set.evaluate(request))
            if rewritten_trust:
                found = _rename_resource(found, resource)
            self._answers[key] = found
        return found

    def _trust_for(self, principal: Principal) -> dict[str, Any]:
        """A trust policy naming ``principal`` (the one it would write with ``iam:UpdateAssumeRolePolicy``);
        one object per principal, so the principal's policy-set cache hits."""
        doc = self._rewritten.get(principal.arn)
        if doc is None:
            doc = {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": principal.arn}, "Action": "sts:AssumeRole"}]}
            self._rewritten[principal.arn] = doc
        return doc

    def trusts_service(self, role: Principal, service: str) -> bool:
        """Whether ``role``'s trust policy lets ``service`` assume it (the engine, service principal)."""
        key = (role.arn, service)
        found = self._trusts.get(key)
        if found is None:
            found = False
            if role.trust_policy is not None:
                result = self._trust_set(role).evaluate(Request(
                    principal=service, action="sts:AssumeRole", resource=role.arn, resource_account=role.account_id))
                found = str(result.decision) == "Allow"
            self._trusts[key] = found
        return found

    # -- one principal -----------------------------------------------------------------------------------------

    def findings(self, principal: Principal) -> list[Finding]:
        allowed = self.probe(principal)
        if self.admin(allowed):
            return [self._admin(principal)]
        out: list[Finding] = []
        account = self.account_of(principal)
        for path in PATHS:
            for target in self._targets(principal, account, path, allowed):
                finding = self._try(principal, path, target)
                if finding is not None:
                    out.append(finding)
        out.extend(self._assume_findings(principal, allowed))
        return out

    def _assume_findings(self, principal: Principal, allowed: frozenset[str]) -> list[Finding]:
        """The more privileged roles ``principal`` reaches by ``sts:AssumeRole``: directly (path
        ``AssumeRole``), or through roles it assumes first (``AssumeRole chain``, each hop's answer)."""
        out: list[Finding] = []
        seen = {principal.arn}
        frontier: list[tuple[Principal, tuple[Answer, ...]]] = [(principal, ())]
        for _depth in range(MAX_CHAIN):
            following: list[tuple[Principal, tuple[Answer, ...]]] = []
            for here, hops in frontier:
                for role, answer in self.assumable(here):
                    if role.arn in seen:
                        continue
                    seen.add(role.arn)
                    chain = (*hops, answer)
                    if self.more_privileged(self.probe(role), allowed):
                        name = ASSUME_ROLE.name if len(chain) == 1 else f"{ASSUME_ROLE.name} chain"
                        out.append(Finding(principal.arn, "assume-role", name, role.arn, chain, ASSUME_ROLE.source))
                    following.append((role, chain))
            frontier = following
        return out

    def assumable(self, principal: Principal) -> list[tuple[Principal, Answer]]:
        """The roles (not service-linked, evaluated) ``principal`` may assume, with the answer (cached). A
        cheap superset first: the principal's identity side allows ``sts:AssumeRole`` on the role's ARN, or the
        role's trust policy alone allows it (it names the principal); then the exact decision."""
        found = self._assumable.get(principal.arn)
        if found is None:
            roles = [r for r in self._evaluated_roles(self.env.accounts) if r.arn != principal.arn]
            found = []
            if roles:
                arns = [r.arn for r in roles]
                request = self.env.request(principal, "sts:AssumeRole", self.env.subject("*"), self.context)
                org = self.env.organization
                scps = org.scp_levels(principal.account_id) if org and principal.account_id in org else None
                codes = principal.policy_set(scps=scps).decide_many(
                    ["sts:AssumeRole"] * len(arns), arns, principal=principal.arn, contexts=dict(request.context),
                    principal_accounts=principal.account_id)
                for role, code in zip(roles, codes, strict=True):
                    if int(code) == _ALLOW or self._trust_names(role, principal, request):
                        answer = self.ask(principal, "sts:AssumeRole", role.arn)
                        if _holds(answer):
                            found.append((role, answer))
            self._assumable[principal.arn] = found
        return found

    def _trust_names(self, role: Principal, principal: Principal, request: Request) -> bool:
        """Whether ``role``'s trust policy alone allows ``principal`` (conditionally counts)."""
        if role.trust_policy is None:
            return False
        result = self._trust_set(role).evaluate(Request(
            principal=principal.arn, action="sts:AssumeRole", resource=role.arn, context=request.context,
            principal_account=principal.account_id, resource_account=role.account_id))
        return str(result.decision) == "Allow" or bool(result.missing_context_keys)

    def _trust_set(self, role: Principal) -> PolicySet:
        policy_set = self._trust_sets.get(role.arn)
        if policy_set is None:
            policy_set = PolicySet(resource=role.trust_policy)
            self._trust_sets[role.arn] = policy_set
        return policy_set

    def _admin(self, principal: Principal) -> Finding:
        any_action = self.ask(principal, ANY_ACTION, "*")
        row = Answer(principal.arn, "*", "*", any_action.decision, any_action.decided_by,
                     any_action.missing_context_keys, any_action.matched)
        return Finding(principal.arn, "admin", "admin", "*", (row,))

    def _try(self, principal: Principal, path: Path, target: str, kind: Kind | None = None) -> Finding | None:
        steps = []
        for step in path.steps:
            resource = target if step.on_target else "*"
            answer = self.ask(principal, step.action, resource, step.rewritten_trust)
            if not _holds(answer):
                return None
            steps.append(answer)
        return Finding(principal.arn, kind or path.kind, path.name, target, tuple(steps), path.source)

    def _evaluated_roles(self, accounts: Iterable[Account]) -> list[Principal]:
        """The roles of ``accounts`` that can be targets: evaluated, not service-linked (cached)."""
        key = tuple(a.id for a in accounts)
        found = self._roles.get(key)
        if found is None:
            found = [r for a in accounts for r in a.roles if not r.service_linked and r.error is None]
            self._roles[key] = found
        return found

    def _targets(self, principal: Principal, account: Account, path: Path, allowed: frozenset[str]
                 ) -> Iterator[str]:
        """The resources the path's target can be for ``principal`` (module docstring)."""
        kind = path.target
        if kind == "own_policy":
            yield from dict.fromkeys(p.arn for p in principal.policies
                                     if p.kind == "managed" and p.arn and p.arn.split(":")[4:5] != ["aws"])
        elif kind == "self_user":
            if principal.kind == "user":
                yield principal.arn
        elif kind == "own_group":
            yield from (g.arn for g in account.groups.values() if g.name in principal.groups)
        elif kind == "group":
            if principal.kind == "user":
                yield from (g.arn for g in account.groups.values()
                            if g.name not in principal.groups and self._group_raises(principal, g.arn, allowed))
        elif kind == "other_user":
            yield from (u.arn for u in account.users if u.arn != principal.arn and u.error is None
                        and self.more_privileged(self.probe(u), allowed))
        elif kind == "own_or_assumable_role":
            if principal.kind == "role":
                yield principal.arn
            yield from (r.arn for r, _answer in self.assumable(principal))
        elif kind == "updatable_role":
            yield from (r.arn for r in self._evaluated_roles([account])
                        if r.arn != principal.arn and self.more_privileged(self.probe(r), allowed))
        elif kind == "passed_role":
            assert path.service is not None
            yield from (r.arn for r in self._evaluated_roles([account])
                        if r.arn != principal.arn and self.trusts_service(r, path.service)
                        and self.more_privileged(self.probe(r), allowed))
        else:  # existing: `*`, else the loaded resources of the action's service
            yield "*"
            if not self.ask(principal, path.steps[0].action, "*").allowed:
                service = path.steps[0].action.split(":", 1)[0]
                yield from (arn for arn in self.env.resources if arn.split(":")[2:3] == [service])

    def _group_raises(self, principal: Principal, group_arn: str, allowed: frozenset[str]) -> bool:
        """Whether ``principal`` with ``group_arn``'s policies added is more privileged than without."""
        group = self.account_of(principal).groups[group_arn]
        org = self.env.organization
        scps = org.scp_levels(principal.account_id) if org and principal.account_id in org else None
        policy_set = PolicySet(identity=[*principal.identity_documents, *(p.document for p in group.policies)],
                               permission_boundary=None if principal.boundary is None
                               else principal.boundary.document, scps=None if principal.service_linked else scps)
        joined = self.probe(principal, policy_set, key=f"{principal.arn}+{group_arn}")
        return self.more_privileged(joined, allowed)


def _holds(answer: Answer) -> bool:
    """A step holds when allowed, or denied only for want of context keys the question did not give."""
    return answer.allowed or (answer.decision == "ImplicitDeny" and answer.conditional)


def _rename_resource(answer: Answer, resource: str) -> Answer:
    """Name the rewritten trust policy in the matched statements (it is not the role's current one)."""
    from iameval.questions.answer import PolicyRef

    refs = tuple(PolicyRef(m.policy_type, "trust policy after iam:UpdateAssumeRolePolicy", m.statement_index,
                           m.sid, m.effect) if m.policy_type == "resource" else m for m in answer.matched)
    return Answer(answer.principal, answer.action, resource, answer.decision, answer.decided_by,
                  answer.missing_context_keys, refs)
