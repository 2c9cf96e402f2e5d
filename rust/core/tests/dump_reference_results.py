"""Write the reference results for tests/vectors.rs (IAMEVAL_REFERENCE_RESULTS): python3 dump_reference_results.py OUT.jsonl"""
import json, sys, glob, pathlib
ROOT = pathlib.Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "python"))
from iameval.reference import PolicySet
from iameval.errors import IamEvalError
out = open(sys.argv[1], "w")
files = sorted(glob.glob(str(ROOT / "tests/vectors/*.jsonl"))) + sorted(glob.glob(str(ROOT.parent / "shared/conformance/*.jsonl")))
for f in files:
    for line in open(f):
        if not line.strip(): continue
        case = json.loads(line)
        try:
            r = PolicySet.from_vector(case["policies"]).evaluate(case["request"]).to_dict()
        except IamEvalError as e:
            r = {"error": [(x["type"], x["policy"], x["pointer"]) for x in e.errors()]}
        out.write(json.dumps({"id": case["id"], "result": r}) + "\n")
