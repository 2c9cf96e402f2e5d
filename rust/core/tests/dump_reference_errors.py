"""Write reference policy errors (original + mutated vectors) for tests/vectors.rs (IAMEVAL_REFERENCE_ERRORS)."""
import json, sys, glob, random, copy, pathlib
ROOT = pathlib.Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "python"))
from iameval.reference import PolicySet
from iameval.errors import IamEvalError
random.seed(7)
out = open(sys.argv[1], "w")
def dump(pid, policies):
    try:
        PolicySet.from_vector(policies); r = []
    except IamEvalError as e:
        r = [[x["type"], x["policy"], x["pointer"]] for x in e.errors()]
    out.write(json.dumps({"id": pid, "policies": policies, "errors": r}) + "\n")
cases = [json.loads(l) for l in open(ROOT / "tests/vectors/errors/grammar_errors.jsonl")]
base = [json.loads(l) for f in sorted(glob.glob(str(ROOT / "tests/vectors/*.jsonl"))) for l in open(f)]
for c in cases: dump(c["id"], c["policies"])
junk = [None, 1, 1.5, True, "", "*", [], {}, ["s3:x", 2], "x${a}", "2012-10-17", {"AWS": []}, "NaN",
        "1.2.3.4/33", "QQ=", "2024-02-30", "{\"a\":1,\"a\":2}", "[", {"StringLike": {"k": [{}]}}]
keys = ["Version","Id","Statement","Sid","Effect","Action","NotAction","Resource","NotResource","Principal",
        "NotPrincipal","Condition","Bogus","NumericLessThan","DateEquals","IpAddress","Bool","Null","AWS","Service","k"]
def mutate(v, depth=0):
    if isinstance(v, dict) and v and random.random() < 0.7:
        k = random.choice(list(v))
        r = random.random()
        if r < 0.3: v[k] = copy.deepcopy(random.choice(junk))
        elif r < 0.45: del v[k]
        elif r < 0.6: v[random.choice(keys)] = copy.deepcopy(random.choice(junk))
        else: mutate(v[k], depth+1)
    elif isinstance(v, list) and v:
        i = random.randrange(len(v))
        if random.random() < 0.3: v[i] = copy.deepcopy(random.choice(junk))
        else: mutate(v[i], depth+1)
n = 0
for c in base:
    for j in range(3):
        p = copy.deepcopy(c["policies"])
        mutate(p); mutate(p)
        if random.random() < 0.2 and isinstance(p.get("identity"), list) and p["identity"]:
            p["identity"][0] = json.dumps(p["identity"][0])[:-random.randrange(0,3)] if random.random()<0.5 else json.dumps(p["identity"][0])
        dump(f"{c['id']}-m{j}", p); n += 1
print(n)
