"""``iameval.account.load_resource_policies`` and ``trust_resources``: resource-based policies by ARN.

Fixture folder ``tests/account/resources``: ``bucket.json`` (one resource with its ``account``), ``map.json``
(a bare ``{ARN: policy}`` map: SQS queue, KMS key given as JSON text, SNS topic) and ``more/owned.json``
(``{"account", "policies"}``: S3 bucket, Lambda function, Secrets Manager secret, ECR repository).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from iameval import Decision, PolicySet
from iameval.account import AccountError, load_gaad, load_resource_policies, resource_type, trust_resources

HERE = Path(__file__).resolve().parent / "account"
FOLDER = HERE / "resources"


def test_folder_loads_every_resource_with_type_and_owner() -> None:
    resources = load_resource_policies(FOLDER)
    summary = {arn: (r.type, r.owner_account) for arn, r in resources.items()}
    assert summary == {
        "arn:aws:s3:::prod-data": ("s3:bucket", "222222222222"),
        "arn:aws:sqs:eu-west-1:222222222222:jobs": ("sqs:queue", "222222222222"),
        "arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab": ("kms:key", "222222222222"),
        "arn:aws:sns:eu-west-1:222222222222:alerts": ("sns:topic", "222222222222"),
        "arn:aws:s3:::sandbox-logs": ("s3:bucket", "333333333333"),
        "arn:aws:lambda:eu-west-1:333333333333:function:hook": ("lambda:function", "333333333333"),
        "arn:aws:secretsmanager:eu-west-1:333333333333:secret:db-AbCdEf": ("secretsmanager:secret", "333333333333"),
        "arn:aws:ecr:eu-west-1:333333333333:repository/app": ("ecr:repository", "333333333333"),
    }
    assert all(r.error is None for r in resources.values())
    key = resources["arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
    assert isinstance(key.policy, dict) and key.policy["Statement"][0]["Action"] == "kms:*"  # JSON text parsed
    assert key.location == (f"{FOLDER / 'map.json'}: /arn:aws:kms:eu-west-1:222222222222:key~1"
                            "1234abcd-12ab-34cd-56ef-1234567890ab")
    assert resources["arn:aws:s3:::prod-data"].location == f"{FOLDER / 'bucket.json'}: /policy"


def test_a_loaded_bucket_policy_grants_cross_account() -> None:
    bucket = load_resource_policies(FOLDER / "bucket.json")["arn:aws:s3:::prod-data"]
    caller = "arn:aws:iam::333333333333:role/reader"
    identity = [{"Version": "2012-10-17",
                 "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}]
    ps = PolicySet(identity=identity, resource=bucket.policy)
    result = ps.evaluate({"principal": caller, "action": "s3:GetObject", "resource": "arn:aws:s3:::prod-data/k",
                          "resource_account": bucket.owner_account})
    assert (result.decision, result.decided_by) == (Decision.ALLOW, "identity+resource")


def test_s3_owner_comes_from_default_account_or_is_an_error(tmp_path: Path) -> None:
    file = tmp_path / "map.json"
    file.write_text(json.dumps({"arn:aws:s3:::b": {"Version": "2012-10-17", "Statement": []}}))
    assert load_resource_policies(file, default_account="444444444444")["arn:aws:s3:::b"].owner_account == \
        "444444444444"
    with pytest.raises(AccountError) as caught:
        load_resource_policies(file)
    assert str(caught.value) == (f"{file}: /arn:aws:s3:::b: no owner account for `arn:aws:s3:::b`: give `account` "
                                 "in the file or default_account")


def test_invalid_policy_is_kept_with_its_error(tmp_path: Path) -> None:
    file = tmp_path / "one.json"
    file.write_text(json.dumps({"arn": "arn:aws:sqs:eu-west-1:222222222222:q",
                                "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                                                                                   "Action": "sqs:*"}]}}))
    queue = load_resource_policies(file)["arn:aws:sqs:eu-west-1:222222222222:q"]
    assert queue.error is not None and queue.error.startswith(f"{file}: /policy/Statement/0: ")


def test_shape_errors_name_the_pointer(tmp_path: Path) -> None:
    file = tmp_path / "x.json"
    file.write_text(json.dumps({"Version": "2012-10-17", "Statement": []}))
    with pytest.raises(AccountError, match=r"x\.json: /Version: expected a resource arn as key"):
        load_resource_policies(file)
    file.write_text(json.dumps({"arn": "arn:aws:sqs:eu-west-1:222222222222:q"}))
    with pytest.raises(AccountError, match=r"x\.json: missing `policy`$"):
        load_resource_policies(file)
    file.write_text(json.dumps({"arn": "not-an-arn", "policy": {}}))
    with pytest.raises(AccountError, match=r"x\.json: /arn: `not-an-arn` is not an arn$"):
        load_resource_policies(file)


def test_an_arn_given_twice_is_an_error(tmp_path: Path) -> None:
    doc = {"Version": "2012-10-17", "Statement": []}
    (tmp_path / "a.json").write_text(json.dumps({"arn:aws:sns:eu-west-1:222222222222:t": doc}))
    (tmp_path / "b.json").write_text(json.dumps({"arn": "arn:aws:sns:eu-west-1:222222222222:t", "policy": doc}))
    with pytest.raises(AccountError, match=r"b\.json: /arn: `arn:aws:sns:eu-west-1:222222222222:t` is given twice "
                                           r"\(first at .*a\.json: /arn:aws:sns:eu-west-1:222222222222:t\)"):
        load_resource_policies(tmp_path)


@pytest.mark.parametrize(("arn", "expected"), [
    ("arn:aws:s3:::bucket", ("s3", "bucket")),
    ("arn:aws:s3:::bucket/a/b", ("s3", "object")),
    ("arn:aws:kms:us-east-1:111111111111:key/abc", ("kms", "key")),
    ("arn:aws:kms:us-east-1:111111111111:alias/x", ("kms", "alias")),
    ("arn:aws:sqs:us-east-1:111111111111:q", ("sqs", "queue")),
    ("arn:aws:sns:us-east-1:111111111111:t", ("sns", "topic")),
    ("arn:aws:lambda:us-east-1:111111111111:function:f:1", ("lambda", "function")),
    ("arn:aws:secretsmanager:us-east-1:111111111111:secret:s-AbC", ("secretsmanager", "secret")),
    ("arn:aws:ecr:us-east-1:111111111111:repository/r", ("ecr", "repository")),
    ("arn:aws:iam::111111111111:role/path/r", ("iam", "role")),
    ("arn:aws:dynamodb:us-east-1:111111111111:table/t", ("dynamodb", "table")),
    ("arn:aws-cn:s3:::b", ("s3", "bucket")),
])
def test_resource_type(arn: str, expected: tuple[str, str]) -> None:
    assert resource_type(arn) == expected


def test_trust_resources_from_gaad() -> None:
    account = load_gaad(HERE / "gaad-small.json")
    roles = trust_resources(account)
    assert [r.arn.rsplit("/", 1)[-1] for r in roles] == ["app", "AWSReservedSSO_Admin_0123456789abcdef",
                                                         "AWSServiceRoleForAmazonSSM"]
    assert {r.type for r in roles} == {"iam:role"} and {r.owner_account for r in roles} == {"111111111111"}
    assert roles[0].location.endswith("gaad-small.json: /RoleDetailList/0/AssumeRolePolicyDocument")
    assert all(r.error is None for r in roles)
