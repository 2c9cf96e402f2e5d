"""Benchmarks of the account questions (issue 11, "Scale"); prints one table (``--markdown`` for README).

    python benches/accounts.py [--quick] [--markdown] [--only cloudsplaining,org,memory]

- ``cloudsplaining``: ``what_can`` for every principal of ``../shared/data/gaad/cloudsplaining-example.json``
  (every catalog action on ``*`` and on the loaded roles) and ``who_can`` for 200 catalog actions on ``*``:
  wall time, cells decided per second, rows reported. Skipped without ``../shared``.
- ``org``: a generated organization of 100 accounts x 200 roles (three OUs, SCPs at every level including a
  region deny, an RCP on S3, each role two of six customer managed policies with conditions, a bucket with a
  policy and a KMS key with a key policy per account) decided on 2,000 catalog actions x 3 resources: 120
  million decisions with :func:`iameval.questions.grid.decide_chunk` (no row explained; every request in
  ``us-east-1`` over TLS): one process and one
  engine thread, one process and every core's threads, ``--workers 2`` processes, and a Dask ``LocalCluster``
  of 2 workers; decisions/s. The pure-Python reference decides a seeded sample of the same cells in the same
  run (its rate is the ratio's base; its decisions must equal the engine's).
- ``memory``: resident memory per loaded account (GAAD of 200 roles loaded, every base set compiled), in a fresh
  interpreter; and for the cloudsplaining account.

``--quick``: 10 accounts x 50 roles x 500 actions, and 20 actions for ``who_can``. Nothing is asserted but the
engine/reference agreement; numbers go to benches/README.md ("Accounts").
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import functools
import json
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GAAD = HERE.parent.parent / "shared" / "data" / "gaad" / "cloudsplaining-example.json"
REGIONS = ["us-east-1", "eu-west-1"]
#: the context every generated request carries (besides the principal's keys): a request in an allowed region
CONTEXT = {"aws:RequestedRegion": "us-east-1", "aws:SecureTransport": "true"}


def _doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _managed(account: str) -> list[tuple[str, dict[str, Any]]]:
    """Six customer managed policies of an account: typical grants, with conditions and a Deny."""
    arn = f"arn:aws:iam::{account}"
    return [
        ("read-only", _doc({"Effect": "Allow", "Action": ["s3:Get*", "s3:List*", "ec2:Describe*", "kms:Describe*",
                                                          "iam:Get*", "iam:List*", "lambda:Get*", "lambda:List*"],
                            "Resource": "*"})),
        ("data", _doc({"Effect": "Allow", "Action": ["s3:*Object*", "kms:Decrypt", "kms:GenerateDataKey*"],
                       "Resource": [f"arn:aws:s3:::data-{account}/*", f"arn:aws:kms:*:{account}:key/*"],
                       "Condition": {"StringEquals": {"aws:PrincipalTag/team": "data"}}})),
        ("ops", _doc({"Effect": "Allow", "Action": ["ec2:*", "ssm:*", "cloudwatch:*", "logs:*"], "Resource": "*",
                      "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}},
                     {"Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*",
                      "Condition": {"StringNotEquals": {"aws:PrincipalTag/role": "admin"}}})),
        ("deploy", _doc({"Effect": "Allow", "Action": ["lambda:*", "iam:PassRole", "cloudformation:*"],
                         "Resource": "*"},
                        {"Effect": "Deny", "Action": "iam:PassRole", "NotResource": f"{arn}:role/app-*"})),
        ("security", _doc({"Effect": "Allow", "Action": ["guardduty:*", "securityhub:*", "access-analyzer:*",
                                                         "config:*", "cloudtrail:*"], "Resource": "*"})),
        ("admin", _doc({"Effect": "Allow", "Action": "*", "Resource": "*",
                        "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}})),
    ]


def generate_gaad(account: str, roles: int, seed: int) -> dict[str, Any]:
    """A GAAD dump of ``roles`` roles, each attaching two of the account's six managed policies."""
    rng = random.Random(seed)
    managed = _managed(account)
    policies = [{"PolicyName": name, "Arn": f"arn:aws:iam::{account}:policy/{name}", "Path": "/",
                 "DefaultVersionId": "v1",
                 "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": True, "Document": doc}]}
                for name, doc in managed]
    trust = _doc({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"})
    role_list = []
    for i in range(roles):
        picked = rng.sample(range(len(managed)), 2)
        role_list.append({
            "RoleName": f"app-{i:04d}", "Path": "/", "Arn": f"arn:aws:iam::{account}:role/app-{i:04d}",
            "RoleId": f"AROA{account}{i:05d}", "AssumeRolePolicyDocument": trust, "RolePolicyList": [],
            "Tags": [{"Key": "team", "Value": rng.choice(["data", "web", "ml"])}],
            "AttachedManagedPolicies": [{"PolicyName": managed[j][0],
                                         "PolicyArn": f"arn:aws:iam::{account}:policy/{managed[j][0]}"}
                                        for j in picked]})
    return {"RoleDetailList": role_list, "Policies": policies}


def generate_org(accounts: list[str]) -> dict[str, Any]:
    """Three OUs under the root; SCPs at the root (FullAWSAccess, region deny), on each OU (FullAWSAccess, one
    deny) and on each account (FullAWSAccess); an RCP at the root keeping S3 inside the organization."""
    full = _doc({"Effect": "Allow", "Action": "*", "Resource": "*"})
    ous = [{"id": f"ou-root-{n}", "name": n, "parent": "r-root"} for n in ("prod", "dev", "shared")]
    policies: dict[str, Any] = {
        "p-FullAWSAccess": {"type": "SCP", "name": "FullAWSAccess", "aws_managed": True, "document": full},
        "p-regions": {"type": "SCP", "name": "DenyOtherRegions", "document": _doc(
            {"Effect": "Deny", "NotAction": ["iam:*", "sts:*", "organizations:*", "support:*"], "Resource": "*",
             "Condition": {"StringNotEquals": {"aws:RequestedRegion": REGIONS}}})},
        "p-noiamusers": {"type": "SCP", "name": "NoIamUsers", "document": _doc(
            {"Effect": "Deny", "Action": ["iam:CreateUser", "iam:CreateAccessKey"], "Resource": "*"})},
        "p-rcp-s3": {"type": "RCP", "name": "S3InsideOrg", "document": _doc(
            {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
             "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-bench"},
                           "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}})},
    }
    attachments: dict[str, list[str]] = {"r-root": ["p-FullAWSAccess", "p-regions", "p-rcp-s3"]}
    for ou in ous:
        attachments[ou["id"]] = ["p-FullAWSAccess", "p-noiamusers"]
    placed = []
    for i, account in enumerate(accounts):
        placed.append({"id": account, "name": f"acct-{i}", "parent": ous[i % 3]["id"]})
        attachments[account] = ["p-FullAWSAccess"]
    return {"root": "r-root", "id": "o-bench", "organizational_units": ous, "accounts": placed,
            "policies": policies, "attachments": attachments}


def build_environment(accounts: int, roles: int) -> tuple[Any, list[str]]:
    """The generated organization as an :class:`~iameval.questions.Environment`, and its 3 resources per
    account's first bucket and key (the benchmark's resource column: a bucket object, a key, ``*``)."""
    from iameval.account import load_gaad, organization_from_layout
    from iameval.account.resources import make_resource
    from iameval.questions import Environment

    ids = [f"{100000000000 + i:012d}" for i in range(accounts)]
    loaded = [load_gaad(generate_gaad(a, roles, seed=i)) for i, a in enumerate(ids)]
    org = organization_from_layout(generate_org(ids))
    first = ids[0]
    bucket = make_resource(f"arn:aws:s3:::data-{first}", _doc(
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::data-{first}/*",
         "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-bench"}}}), first)
    key = make_resource(f"arn:aws:kms:us-east-1:{first}:key/k1", _doc(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{first}:root"}, "Action": "kms:*", "Resource": "*"}),
        first)
    env = Environment.of(loaded, org, [bucket, key])
    return env, [f"arn:aws:s3:::data-{first}/report.csv", key.arn, "*"]


def catalog_actions(count: int, seed: int = 11) -> list[str]:
    from iameval.catalog import default_catalog

    catalog = default_catalog()
    every = [f"{s}:{a}" for s in catalog.services() for a in catalog.actions(s)]
    return sorted(random.Random(seed).sample(every, min(count, len(every))))


def _timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def bench_org(quick: bool) -> list[dict[str, Any]]:
    from iameval import reference
    from iameval.questions import run
    from iameval.questions.grid import Block, Partial, decide_chunk

    accounts, roles, n_actions = (10, 50, 500) if quick else (100, 200, 2000)
    seconds, (env, resources) = _timed(lambda: build_environment(accounts, roles))
    actions = catalog_actions(n_actions)
    blocks = [Block(tuple(actions), tuple(resources))]
    cells = accounts * roles * len(actions) * len(resources)
    rows = [{"measure": f"org: load {accounts} accounts x {roles} roles", "seconds": seconds, "cells": None,
             "rate": None, "ratio": None}]

    # the reference on a seeded sample of cells, in this run (its decisions must equal the engine's)
    rng = random.Random(5)
    principals = env.principals
    size = 300 if quick else 2000
    sample = [(rng.choice(principals), rng.choice(actions), rng.choice(resources)) for _ in range(size)]
    ref_sets: dict[tuple[str, str], Any] = {}
    engine_codes, ref_codes = [], []
    start = time.perf_counter()
    for principal, action, resource in sample:
        subject = env.subject(resource, action)
        org = env.organization
        key = (principal.arn, resource if subject.resource is not None else "")
        if key not in ref_sets:
            ref_sets[key] = reference.PolicySet(
                identity=principal.identity_documents, scps=org.scp_levels(principal.account_id),
                rcps=org.rcp_levels(subject.owner_account or principal.account_id),
                resource=None if subject.resource is None else subject.resource.policy)
        request = env.request(principal, action, subject, CONTEXT)
        ref_codes.append(str(ref_sets[key].evaluate(reference.Request(**request.to_dict())).decision))
    ref_seconds = time.perf_counter() - start
    for principal, action, resource in sample:
        subject = env.subject(resource, action)
        engine_codes.append(str(env.policy_set(principal, subject).evaluate(
            env.request(principal, action, subject, CONTEXT)).decision))
    mismatches = sum(a != b for a, b in zip(engine_codes, ref_codes, strict=True))
    ref_rate = len(sample) / ref_seconds
    rows.append({"measure": f"org: reference, {len(sample)} sampled cells ({mismatches} mismatches)",
                 "seconds": ref_seconds, "cells": len(sample), "rate": ref_rate, "ratio": 1.0})

    def add(name: str, fn: Any) -> None:
        took, part = _timed(fn)
        assert part.cells == cells, (part.cells, cells)
        rate = cells / took
        rows.append({"measure": f"org: {name}", "seconds": took, "cells": cells, "rate": rate,
                     "ratio": rate / ref_rate, "allowed": part.allowed})

    one = functools.partial(decide_chunk, blocks=blocks, context=CONTEXT, threads=1)
    every = functools.partial(decide_chunk, blocks=blocks, context=CONTEXT, threads=None)
    add("one process, 1 engine thread", lambda: run(env, one, empty=Partial(), chunk_size=512))
    add(f"one process, all {os.cpu_count()} cores' threads", lambda: run(env, every, empty=Partial(),
                                                                         chunk_size=512))
    add("--workers 2 (processes, 1 thread each)", lambda: run(env, one, workers=2, empty=Partial()))
    try:
        import distributed
    except ImportError:
        return rows
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with cluster, distributed.Client(cluster) as client:
        add("Dask LocalCluster, 2 workers", lambda: run(env, one, client=client, empty=Partial()))
    return rows


def bench_cloudsplaining(quick: bool) -> list[dict[str, Any]]:
    if not GAAD.exists():
        return [{"measure": "cloudsplaining: skipped (no ../shared/data)", "seconds": None, "cells": None,
                 "rate": None, "ratio": None}]
    from iameval.account import load_gaad
    from iameval.questions import Environment, what_can, who_can

    env = Environment.of(load_gaad(str(GAAD)))
    principals = [p for p in env.principals if p.error is None]

    def every_what_can() -> int:
        return sum(len(what_can(env, p)) for p in principals)

    took, reported = _timed(every_what_can)
    rows = [{"measure": f"cloudsplaining: what-can for each of {len(principals)} principals", "seconds": took,
             "cells": None, "rate": None, "ratio": None, "reported": reported}]
    actions = catalog_actions(20 if quick else 200)
    took, reported = _timed(lambda: sum(len(who_can(env, a, "*")) for a in actions))
    rows.append({"measure": f"cloudsplaining: who-can for {len(actions)} actions on *", "seconds": took,
                 "cells": len(actions) * len(env.principals), "rate": len(actions) * len(env.principals) / took,
                 "ratio": None, "reported": reported})
    return rows


_MEMORY = """
import gc, json, sys
sys.path.insert(0, {here!r})
from measure import rss_bytes
from accounts import generate_gaad
from iameval.account import load_gaad
count, roles = {count}, {roles}
dumps = [generate_gaad(f"{{200000000000 + i:012d}}", roles, seed=i) for i in range(count)]
gc.collect(); before = rss_bytes()
accounts = [load_gaad(d) for d in dumps]
for a in accounts:
    for p in a.principals:
        p.policy_set()
gc.collect(); after = rss_bytes()
out = {{"generated": (after - before) / count}}
if {gaad!r}:
    gc.collect(); before = rss_bytes()
    big = load_gaad({gaad!r})
    for p in big.principals:
        if p.error is None:
            p.policy_set()
    gc.collect(); out["cloudsplaining"] = rss_bytes() - before
print(json.dumps(out))
"""


def bench_memory(quick: bool) -> list[dict[str, Any]]:
    count, roles = (3, 50) if quick else (10, 200)
    code = _MEMORY.format(here=str(HERE), count=count, roles=roles, gaad=str(GAAD) if GAAD.exists() else "")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    rows = [{"measure": f"memory per generated account ({roles} roles, base sets compiled)",
             "seconds": None, "cells": None, "rate": None, "ratio": None, "bytes": found["generated"]}]
    if "cloudsplaining" in found:
        rows.append({"measure": "memory: the cloudsplaining account (122 principals, base sets compiled)",
                     "seconds": None, "cells": None, "rate": None, "ratio": None, "bytes": found["cloudsplaining"]})
    return rows


def _fmt(row: dict[str, Any]) -> list[str]:
    def num(v: Any, spec: str) -> str:
        return "" if v is None else format(v, spec)

    extra = ""
    if "allowed" in row:
        extra = f"{row['allowed']:,} allowed"
    elif "reported" in row:
        extra = f"{row['reported']:,} rows reported"
    elif "bytes" in row:
        extra = f"{row['bytes'] / 2**20:.1f} MiB"
    return [row["measure"], num(row["seconds"], ".2f"), num(row["cells"], ","), num(row["rate"], ",.0f"),
            "" if row["ratio"] is None else f"{row['ratio']:,.0f}x", extra]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--only", default="cloudsplaining,org,memory")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from measure import print_table

    wanted = args.only.split(",")
    rows: list[dict[str, Any]] = []
    if "cloudsplaining" in wanted:
        rows += bench_cloudsplaining(args.quick)
    if "org" in wanted:
        rows += bench_org(args.quick)
    if "memory" in wanted:
        rows += bench_memory(args.quick)
    header = ["measure", "seconds", "cells", "decisions/s", "vs reference", "notes"]
    table = [_fmt(r) for r in rows]
    print_table(header, table, args.markdown)


if __name__ == "__main__":
    main()
