#!/usr/bin/env python3
"""The facts a run of EcoCredit establishes about a bundle, in a form two releases can be
compared on: verification findings (code, severity, layer, record), every measured value
(id -> value, unit), beach segments, transects.csv byte for byte (SHA-256), the check's verdicts
per criterion and subject, and the quantities (id -> amount). Presentation (wording, statuses, formats) is left out.

  tools/results_facts.py write BIN OUTDIR BUNDLE...   record the facts of BIN's runs
  tools/results_facts.py check BIN DIR                compare BIN's facts with those recorded in DIR

Numbers agree when within 1e-9 relative (or 1e-9 absolute near zero). Standard library only.
"""
import hashlib, json, os, subprocess, sys, tempfile

def run(args):
    p = subprocess.run(args, capture_output=True, text=True)
    return p.returncode, p.stdout

def quantity_value(q):
    if "units" in q:  # fixed point since 0.4.0
        if q["units"] is None:
            return None
        d = q["decimals"]
        return ("%d.%0*d" % (abs(q["units"]) // 10**d, d, abs(q["units"]) % 10**d)) if d else str(q["units"])
    return q.get("value")

def facts(bin_, bundle):
    out = {}
    _, v = run([bin_, "verify", bundle, "--json"])
    v = json.loads(v)
    out["findings"] = sorted([f["code"], f["severity"], f.get("layer") or "", f.get("featureIndex", -1) if f.get("featureIndex") is not None else -1]
                             for f in v["findings"])
    with tempfile.TemporaryDirectory() as tmp:
        d = os.path.join(tmp, "m")
        run([bin_, "measure", bundle, "-o", d])
        m = json.load(open(os.path.join(d, "measurements.json")))
        # transects.csv (position, width, truncation, segment, change of every transect), byte for byte.
        out["transectsCSV"] = hashlib.sha256(open(os.path.join(d, "transects.csv"), "rb").read()).hexdigest()
    out["values"] = {x["id"]: [x["value"], x["unit"]] for x in m["values"]}
    out["segments"] = [[s["from_m"], s["to_m"], s["length_m"], s.get("qualifies")] for s in m.get("segments", [])]
    out["transects"] = len(m.get("transects", [])) if "transects" in m else None
    _, c = run([bin_, "check", bundle, "--json"])
    c = json.loads(c)
    out["overall"] = c["overall"]
    out["verdicts"] = sorted([r["criterion"], r.get("subject") or "", r["verdict"]] for r in c["results"])
    out["quantities"] = {q["id"]: quantity_value(q) for q in c["quantities"]}
    return out

def close(a, b):
    if isinstance(a, float) or isinstance(b, float):
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
        return False
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)
    return a == b

def diff(a, b, path=""):
    if close(a, b):
        return []
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            if k not in a: out.append(f"{path}.{k}: only now: {b[k]}")
            elif k not in b: out.append(f"{path}.{k}: only before: {a[k]}")
            else: out += diff(a[k], b[k], f"{path}.{k}")
        return out
    return [f"{path}: before {a}, now {b}"]

def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "write":
        bin_, outdir = sys.argv[2], sys.argv[3]
        os.makedirs(outdir, exist_ok=True)
        for b in sys.argv[4:]:
            name = os.path.basename(b.rstrip("/"))
            json.dump({"bundle": name, "path": b.rstrip("/"), "facts": facts(bin_, b)}, open(os.path.join(outdir, name + ".json"), "w"), indent=1, sort_keys=True, ensure_ascii=False)
            print("recorded", name)
        return 0
    if len(sys.argv) == 4 and sys.argv[1] == "check":
        bin_, d = sys.argv[2], sys.argv[3]
        bad = 0; n = 0
        for f in sorted(os.listdir(d)):
            if not f.endswith(".json"): continue
            rec = json.load(open(os.path.join(d, f)))
            now = facts(bin_, rec.get("path") or os.path.join("geodata", rec["bundle"]))
            problems = diff(rec["facts"], now, rec["bundle"])
            n += 1
            if problems:
                bad += 1
                print("\n".join(problems))
        print(f"results facts: {n - bad} passed, {bad} failed")
        return 1 if bad else 0
    print(__doc__); return 2

sys.exit(main())
