"""`make bench`'s headline: the whole `ecocredit measure` process, default outputs included, against
the Python peer's fastest whole pipeline (bench/peer_measure.py), as a user runs them.

    python whole.py ECOCREDIT PEER_PYTHON WORKDIR ROUNDS [STARTFLOOR]

WORKDIR holds the workloads gentle-100, gentle-1000, wavy-100, wavy-1000 (written by
`ecocredit-bench shoreline|wavy KM --keep DIR --generate-only`; both programs read the same
files). Each round runs every workload with both programs, one after the other (interleaved, so
that both meet the same machine load), each a fresh process writing into a fresh folder on disk,
started once everything written before it is on the disk (`sync`).
Wall time from the parent; peak memory is the child's maximum resident set (wait4). Prints a
Markdown table of medians with ranges, the ratio of medians, time per km and peak memory, and
where our time goes (`--timings`, medians per stage). Also checks that both programs found the
same widths (transects.csv) and crossing pairs.

Time per km: as measured (1000 km ÷ 100 km), and split into a fixed cost and a marginal cost
per km (the straight line through the 100 and 1000 km medians), with the largest fixed cost that
would keep the measured ratio within ±20 % beside what starting a process costs: STARTFLOOR
(bench/startfloor.c, an empty C program linking the same C libraries, alone and with a GEOS and
a PROJ context), `ecocredit --version` and the whole 1 km run, timed in the same rounds.
"""
import csv, json, os, re, shutil, statistics, subprocess, sys, time

def run(cmd):
    # Each run starts from the same state: nothing another run wrote is still waiting to reach
    # the disk (the peer does not fsync its outputs, so its writeback would otherwise fall
    # inside the next run's time, and into the fsync with which ours makes its outputs durable).
    os.sync()
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    if status != 0:
        sys.exit(f"{' '.join(cmd)} failed ({status}):\n{err[-2000:]}")
    return wall, ru.ru_maxrss / 1024, err

def stages(err):
    return {m.group(1): float(m.group(2)) / 1000 for m in re.finditer(r"^timing (.+): ([0-9.]+) ms(?: \(processor [0-9.]+ ms\))?$", err, re.M)}

def start_ups(ours_bin, floor_bin):
    """Median wall time (s) of 11 starts of each program that only starts: the C floor alone,
    the C floor with its contexts, and `ecocredit --version`."""
    cmds = {"floor": [floor_bin], "floor+contexts": [floor_bin, "contexts"], "version": [ours_bin, "--version"]} if floor_bin else {"version": [ours_bin, "--version"]}
    out = {}
    for name, cmd in cmds.items():
        walls = []
        for _ in range(11):
            t = time.perf_counter()
            p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, status, _ = os.wait4(p.pid, 0)
            walls.append(time.perf_counter() - t)
            if status != 0: sys.exit(f"{' '.join(cmd)} failed ({status})")
        out[name] = statistics.median(walls)
    return out

def main(ours_bin, peer_py, work, rounds, floor_bin=None):
    starts = []
    workloads = [(shape, km) for shape in ("gentle", "wavy") for km in (100, 1000)] + [("gentle", 1)]
    res = {w: {"ours": [], "peer": [], "oursMB": [], "peerMB": [], "stages": []} for w in workloads}
    for r in range(rounds):
        for (shape, km) in workloads:
            d = os.path.join(work, f"{shape}-{km}")
            for who in ("ours", "peer"):
                out = os.path.join(work, f"out-{who}-{shape}-{km}")
                shutil.rmtree(out, ignore_errors=True)
                cmd = [ours_bin, "measure", d, "-o", out, "--timings"] if who == "ours" else [peer_py, os.path.join(os.path.dirname(__file__), "peer_measure.py"), d, out]
                wall, mb, err = run(cmd)
                res[(shape, km)][who].append(wall); res[(shape, km)][who + "MB"].append(mb)
                if who == "ours": res[(shape, km)]["stages"].append(stages(err))
            if km == 1: starts.append(start_ups(ours_bin, floor_bin))
            print(f"round {r + 1}/{rounds} {shape} {km} km: ours {res[(shape, km)]['ours'][-1]:.2f} s, peer {res[(shape, km)]['peer'][-1]:.2f} s", file=sys.stderr)
    # The same numbers: widths per transect and crossing pairs.
    checks = []
    for (shape, km) in workloads[:-1]:
        ours = os.path.join(work, f"out-ours-{shape}-{km}"); peer = os.path.join(work, f"out-peer-{shape}-{km}")
        ow = [float(row["width_m"]) for row in csv.DictReader(open(os.path.join(ours, "transects.csv")))]
        pw = [float(row["width_m"]) for row in csv.DictReader(open(os.path.join(peer, "transects.csv")))]
        diff = max(abs(a - b) for a, b in zip(ow, pw)) if len(ow) == len(pw) else float("inf")
        oc = json.load(open(os.path.join(ours, "measurements.json")))["crossings"]["pairs"]
        pc = json.load(open(os.path.join(peer, "measurements.json")))["crossings"]["pairs"]
        # The geodesic cross-check: our beach area (authalic sphere, Geodesic.shortEdgeRingArea)
        # against Karney's (the peer's pyproj.Geod), to the bound the method states (1e-7 + 0.01 m²/ring).
        ga = next(v["geodesic"] for v in json.load(open(os.path.join(ours, "measurements.json")))["values"] if v["id"] == "layer.beach.area_m2")
        gk = json.load(open(os.path.join(peer, "measurements.json")))["geodesic_area_m2"]
        checks.append((shape, km, len(ow), diff, oc, pc, abs(ga - gk) / gk))
        if diff > 1e-6 or oc != pc or abs(ga - gk) > 1e-7 * gk + 0.01 * 10 * km:
            sys.exit(f"{shape} {km} km: the programs disagree (widths differ by {diff} m; crossing pairs {oc} vs {pc}; geodesic areas {ga} vs {gk} m²)")
    med = statistics.median
    print(f"\n### The whole `ecocredit measure` against the peer's fastest pipeline (medians of {rounds} interleaved rounds, outputs on disk)\n")
    print("| workload | transects | peer (s) median [range] | ours (s) median [range] | peer ÷ ours | ours per km | peak memory peer / ours (MiB) |")
    print("|---|---|---|---|---|---|---|")
    for (shape, km), (_, _, n, _, oc, _, _) in zip(workloads[:-1], checks):
        x = res[(shape, km)]
        o, p = med(x["ours"]), med(x["peer"])
        print(f"| {shape} {km} km ({oc} crossing pairs) | {n} | {p:.2f} [{min(x['peer']):.2f}–{max(x['peer']):.2f}] | "
              f"{o:.3f} [{min(x['ours']):.3f}–{max(x['ours']):.3f}] | **{p / o:.1f}×** | {o / km * 1000:.2f} ms | "
              f"{max(x['peerMB']):.0f} / {max(x['oursMB']):.0f} |")
    s_o, s_p = med(res[("gentle", 1)]["ours"]), med(res[("gentle", 1)]["peer"])
    print(f"\nStart-up (the whole process on 1 km): ours {s_o:.3f} s, peer {s_p:.3f} s.")
    print("\nTime per km, 1000 km ÷ 100 km, as measured: " + ", ".join(
        f"{shape} {med(res[(shape, 1000)]['ours']) / 10 / med(res[(shape, 100)]['ours']):.2f} (peer {med(res[(shape, 1000)]['peer']) / 10 / med(res[(shape, 100)]['peer']):.2f})"
        for shape in ("gentle", "wavy")) + "; with the start-up taken off: " + ", ".join(
        f"{shape} {(med(res[(shape, 1000)]['ours']) - s_o) / 10 / (med(res[(shape, 100)]['ours']) - s_o):.2f} (peer {(med(res[(shape, 1000)]['peer']) - s_p) / 10 / (med(res[(shape, 100)]['peer']) - s_p):.2f})"
        for shape in ("gentle", "wavy")))
    # Fixed and marginal cost: the line through the 100 and 1000 km medians. The measured ratio
    # t1000 / (10 t100) = (F + 1000 m) / (10 F + 1000 m) is at least 0.8 only while F ≤ 200 m / 7.
    print("\nFixed cost and cost per km (the straight line through the 100 and 1000 km medians), and the largest fixed cost "
          "that keeps time per km within ±20 % (1000 ÷ 100 ≥ 0.8 holds only while fixed ≤ 200 × per km ÷ 7):\n")
    print("| workload | per km from 100 to 1000 km | per km at 1000 km (as measured) | fixed cost | largest fixed cost within ±20 % |")
    print("|---|---|---|---|---|")
    for shape in ("gentle", "wavy"):
        t100, t1000 = med(res[(shape, 100)]["ours"]), med(res[(shape, 1000)]["ours"])
        m = (t1000 - t100) / 900; f = t100 - 100 * m
        print(f"| {shape} | {m * 1e6:.1f} µs | {t1000 * 1e3:.1f} µs | {f * 1e3:.1f} ms | {200 * m / 7 * 1e3:.1f} ms |")
    if starts:
        st = {k: med([s[k] for s in starts]) for k in starts[0]}
        parts = []
        if "floor" in st:
            parts.append(f"an empty C program linking the same C libraries (bench/startfloor.c) {st['floor'] * 1e3:.1f} ms, "
                         f"with a GEOS and a PROJ context {st['floor+contexts'] * 1e3:.1f} ms")
        parts.append(f"`ecocredit --version` {st['version'] * 1e3:.1f} ms")
        parts.append(f"the whole 1 km run {s_o * 1e3:.1f} ms")
        print("\nWhat starting costs (medians of 11 starts in each round): " + "; ".join(parts) + ".")
    print("\nSame numbers: " + "; ".join(f"{s} {k} km: widths agree to {d:.1e} m, {oc} crossing pairs both, geodesic beach area within {g:.1e} of Karney's" for s, k, _, d, oc, _, g in checks))
    print("\n#### Where our time goes at 1000 km (`ecocredit measure --timings`, medians, s; process start-up and exit are the rest of the wall time)\n")
    names = []
    for shape in ("gentle", "wavy"):
        for st in res[(shape, 1000)]["stages"]:
            for k in st:
                if k not in names: names.append(k)
    print("| stage | gentle 1000 km | wavy 1000 km |\n|---|---|---|")
    for k in names:
        vals = [med([st.get(k, 0) for st in res[(shape, 1000)]["stages"]]) for shape in ("gentle", "wavy")]
        print(f"| {k} | {vals[0]:.3f} | {vals[1]:.3f} |")
    walls = [med(res[(shape, 1000)]["ours"]) for shape in ("gentle", "wavy")]
    print(f"| wall time of the process | {walls[0]:.3f} | {walls[1]:.3f} |")

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5] if len(sys.argv) > 5 else None)
