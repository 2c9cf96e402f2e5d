"""How the cost of a decision grows with the statements its action cannot match (issue 12, "cost growth").

    python benches/growth.py [--rows N] [--markdown]

A policy of N Allow statements ``ec2:Act<i>*`` (N = 1, 10, 100, 1,000, 5,000, 10,000; prefix patterns of one
service, as generated or over-long policies have them), and the same rows for every N: ``decide_many`` with one
thread on ``--rows`` requests (default 200,000) whose actions are ``ec2:Act<j>Thing`` for random j below 10,000
(so most actions are matched by no statement, or by one), ``s3:GetObject`` and ``iam:PassRole``. Decisions per
second and the ratio to N = 10; the target is that a row's cost does not grow with the statements its action
cannot match (>= 50% of the N = 10 rate at N = 5,000). A cross-check: the decisions at every N equal the pure-Python
reference's on a seeded sample of 2,000 rows.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import random
import time
from typing import Any

SIZES = (1, 10, 100, 1_000, 5_000, 10_000)
PRINCIPAL = "arn:aws:iam::111122223333:role/app"


def policy(n: int) -> dict[str, Any]:
    return {"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": f"ec2:Act{i}*", "Resource": "*"} for i in range(n)]}


def rows(count: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    actions = []
    for _ in range(count):
        pick = rng.random()
        if pick < 0.8:
            actions.append(f"ec2:Act{rng.randrange(10_000)}Thing")
        elif pick < 0.9:
            actions.append("s3:GetObject")
        else:
            actions.append("iam:PassRole")
    return actions


def main() -> None:
    import iameval
    from iameval import reference
    from measure import print_table

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    actions = rows(args.rows)
    resources = ["*"] * len(actions)
    sample = random.Random(9).sample(range(len(actions)), 2_000)
    results = []
    for n in SIZES:
        doc = policy(n)
        ps = iameval.PolicySet(identity=[doc])
        ps.decide_many(actions[:1000], resources[:1000], principal=PRINCIPAL, threads=1)  # warm
        best = float("inf")
        codes: Any = None
        for _ in range(3):
            start = time.perf_counter()
            codes = ps.decide_many(actions, resources, principal=PRINCIPAL, threads=1)
            best = min(best, time.perf_counter() - start)
        ref = reference.PolicySet(identity=[doc])
        mismatches = sum(
            int(codes[i]) != {"ImplicitDeny": 0, "Allow": 1, "ExplicitDeny": 2}[str(ref.evaluate(
                reference.Request(principal=PRINCIPAL, action=actions[i])).decision)]
            for i in sample)
        results.append((n, len(actions) / best, mismatches))
    base = dict((n, rate) for n, rate, _ in results)[10]
    header = ["statements", "decisions/s", "vs 10 statements", "mismatches (2,000 sampled)"]
    lines = [[f"{n:,}", f"{rate:,.0f}", f"{rate / base:.0%}", str(m)] for n, rate, m in results]
    print_table(header, lines, args.markdown)


if __name__ == "__main__":
    main()
