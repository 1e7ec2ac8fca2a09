"""Prints the benchmark table from the JSON files `make bench` writes into DIR."""
import json, os, sys

d = sys.argv[1]
def load(name):
    p = os.path.join(d, name)
    return json.load(open(p)) if os.path.exists(p) else None

def fmt(v): return "—" if v is None else f"{v:.3f}"
def ratio(a, b): return "—" if a is None or b is None or a <= 0 else f"{b / a:.1f}×"

same = ["read", "verify", "transects", "intersect", "statistics", "write results"]
for km in (100, 1000):
    ours, peer, c = load(f"ours-shoreline-{km}.json"), load(f"peer-shoreline-{km}.json"), load(f"cfloor-shoreline-{km}.json")
    if not ours: continue
    print(f"\n### {km} km shoreline, {ours['units']} transects at 10 m (EPSG:4547)\n")
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
for n in (10000, 100000):
    ours, peer = load(f"ours-parcels-{n}.json"), load(f"peer-parcels-{n}.json")
    if not ours: continue
    print(f"\n### {n} parcels over land use\n")
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
