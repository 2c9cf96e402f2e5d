"""The pure-Python reference evaluator: AWS's IAM policy evaluation logic, written to be read.

Every rule of IAM_RULES.md is implemented in a function or branch that names its rule id. Standard library
only. The Rust engine (``iameval.PolicySet`` once it lands) is checked against this one.

Modules, in the order a request meets them: :mod:`.document` (JSON text), :mod:`.policy` (grammar;
:mod:`.hints`: "did you mean" in its errors), :mod:`.variables` (R13), :mod:`.pattern` (R3, R4, ArnLike),
:mod:`.conditions` (R8-R12), :mod:`.request` (R1, R2), :mod:`.principal` (R5, R6), :mod:`.evaluate` (R7: one
statement), :mod:`.public_access` (R20c: when a bucket policy is public), :mod:`.authorize` (R14-R21, R20b,
R20c), :mod:`.result` (R22).
"""

from iameval.errors import IamEvalError, PolicyError, RequestError
from iameval.reference.authorize import RCP_SERVICES, PolicySet
from iameval.reference.document import PolicyDocument
from iameval.reference.policy import KINDS, PolicyKind, validate_policy
from iameval.reference.public_access import is_public, public_statements
from iameval.reference.request import Request, principal_context
from iameval.reference.result import Decision, MatchedStatement, Result

__all__ = [
    "KINDS",
    "RCP_SERVICES",
    "Decision",
    "IamEvalError",
    "MatchedStatement",
    "PolicyDocument",
    "PolicyError",
    "PolicyKind",
    "PolicySet",
    "Request",
    "RequestError",
    "Result",
    "is_public",
    "principal_context",
    "public_statements",
    "validate_policy",
]
