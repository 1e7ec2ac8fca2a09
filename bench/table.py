"""Prints the benchmark tables from the JSON files `make bench` writes into DIR: per phase, the
median over the runs of each program."""
import glob, json, os, statistics, sys

d = sys.argv[1]
def load(name):
    """The runs NAME-stem.R.json (or NAME itself) merged: each phase and the total their median
    over the runs, peak memory the largest; `runs` says how many."""
    stem = name[:-len(".json")]
    runs = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(d, stem + ".*.json")))]
    if not runs and os.path.exists(os.path.join(d, name)): runs = [json.load(open(os.path.join(d, name)))]
    if not runs: return None
    out = dict(runs[0])
    out["phases"] = {ph: statistics.median(r["phases"][ph] for r in runs if ph in r.get("phases", {})) for ph in runs[0].get("phases", {})}
    out["total"] = statistics.median(r["total"] for r in runs)
    out["peakMB"] = max(r["peakMB"] for r in runs)
    for k in ("maxWidthDifference_m", "maxDifference"):
        if k in out: out[k] = max(r[k] for r in runs)
    out["runs"] = len(runs)
    return out

def fmt(v): return "—" if v is None else f"{v:.3f}"
def ratio(a, b): return "—" if a is None or b is None or a <= 0 else f"{b / a:.1f}×"

same = ["read", "verify", "transects", "intersect", "statistics", "write results"]
for km in (1, 100, 1000):
    ours, peer, c = load(f"ours-shoreline-{km}.json"), load(f"peer-shoreline-{km}.json"), load(f"cfloor-shoreline-{km}.json")
    if not ours: continue
    print(f"\n### {km} km shoreline, {ours['units']} transects at 10 m (EPSG:4547); medians of {ours['runs']} runs\n")
    print("| phase | ours (s) | Python peer (s) | C floor (s) | peer ÷ ours | C floor ÷ ours |")
    print("|---|---|---|---|---|---|")
    for ph in same:
        o, p, cf = ours["phases"].get(ph), (peer or {}).get("phases", {}).get(ph), (c or {}).get("phases", {}).get(ph)
        print(f"| {ph} | {fmt(o)} | {fmt(p)} | {fmt(cf)} | {ratio(o, p)} | {ratio(o, cf)} |")
    o_same = sum(ours["phases"].get(ph, 0) for ph in same)
    p_total = peer["total"] if peer else None
    print(f"| **total, the peer's computation** (read → write) | **{fmt(o_same)}** | **{fmt(p_total)}** | {fmt(c['total'] if c else None)} | **{ratio(o_same, p_total)}** | {ratio(ours['phases'].get('intersect'), c['phases']['intersect'] if c else None)} (intersect) |")
    whole = ours["total"]
    print(f"| ours, whole report (read, verify, §2–§3 measure with area cross-check and inscribed circles, write) | {fmt(whole)} | | | | |")
    print(f"| time per km, peer's computation / whole report | {o_same / km * 1000:.2f} ms / {whole / km * 1000:.2f} ms | {fmt(p_total / km * 1000 if p_total else None)} ms | | | |")
    print(f"| peak memory (MB) | {ours['peakMB']:.0f} | {peer['peakMB'] if peer else 0:.0f} | {c['peakMB'] if c else 0:.0f} | | |")
    if peer: print(f"\nwidths: peer − ours at most {peer.get('maxWidthDifference_m')} m; C floor − ours at most {c.get('maxWidthDifference_m') if c else '—'} m")
# Scaling: time per km at 100 and 1000 km, as measured and with the start-up (the 1 km run) taken off.
rows = []
for label, tool, key in (("ours, the peer's computation", "ours", "same"), ("ours, whole report", "ours", "total"), ("Python peer", "peer", "total")):
    t = {}
    for km in (1, 100, 1000):
        j = load(f"{tool}-shoreline-{km}.json")
        if j: t[km] = sum(j["phases"].get(ph, 0) for ph in same) if key == "same" else j["total"]
    if 100 in t and 1000 in t: rows.append((label, t))
if rows:
    print("\n### Scaling: time per km (shoreline)\n")
    print("| computation | 1 km run (start-up) | per km at 100 km | per km at 1000 km | 1000 ÷ 100 | after start-up: per km at 100 km | at 1000 km | 1000 ÷ 100 |")
    print("|---|---|---|---|---|---|---|---|")
    for label, t in rows:
        p100, p1000 = t[100] / 100 * 1000, t[1000] / 1000 * 1000
        line = (f"| {label} | {t[1] * 1000:.1f} ms |" if 1 in t else f"| {label} | — |") + f" {p100:.3f} ms | {p1000:.3f} ms | {p1000 / p100:.2f} |"
        if 1 in t:
            m100, m1000 = (t[100] - t[1]) / 99 * 1000, (t[1000] - t[1]) / 999 * 1000
            line += f" {m100:.3f} ms | {m1000:.3f} ms | {m1000 / m100:.2f} |"
        else: line += " — | — | — |"
        print(line)

for n in (10000, 100000):
    ours, peer = load(f"ours-parcels-{n}.json"), load(f"peer-parcels-{n}.json")
    if not ours: continue
    print(f"\n### {n} parcels over land use; medians of {ours['runs']} runs\n")
    print("| phase | ours (s) | Python peer (s) | peer ÷ ours |\n|---|---|---|---|")
    pp = (peer or {}).get("phases", {})
    for ph in ["read", "verify", "class areas + eligibility", "measure (whole §8 report)", "write results"]:
        o = ours["phases"].get(ph)
        # The peer's computation is class areas + eligibility (older peer files: "… (measure)").
        p = pp.get(ph, pp.get("class areas + eligibility (measure)")) if ph == "class areas + eligibility" else pp.get(ph)
        print(f"| {ph} | {fmt(o)} | {fmt(p)} | {ratio(o, p)} |")
    print(f"| total | {fmt(ours['total'])} | {fmt(peer['total'] if peer else None)} | {ratio(ours['total'], peer['total'] if peer else None)} |")
    print(f"| peak memory (MB) | {ours['peakMB']:.0f} | {peer['peakMB'] if peer else 0:.0f} | |")
    if peer: print(f"\nper-parcel after-class area and construction share: peer − ours at most {peer.get('maxDifference')}")
