"""Two builds of `ecocredit measure`, interleaved: what a change did to the whole command.

    python ab.py OLD_ECOCREDIT NEW_ECOCREDIT WORKDIR ROUNDS [WORKLOADS]

WORKLOADS: comma-separated folders of WORKDIR (default gentle-1,gentle-100,wavy-100,gentle-1000,
wavy-1000, as `make bench` writes them). Each round runs every workload with both builds, the
order alternating from round to round; each run a fresh process writing into a fresh folder,
started once everything written before it is on the disk (`sync`). Wall time from the parent,
peak memory (wait4). Prints a Markdown table of medians with ranges. Not a test.
"""
import os, shutil, statistics, sys

from whole import run   # one way of timing a process: sync first, wall time, peak memory

def main(old, new, work, rounds, workloads):
    bins = {"old": old, "new": new}
    res = {(b, w): [] for b in bins for w in workloads}
    rss = {(b, w): [] for b in bins for w in workloads}
    out = os.path.join(work, "out-ab")
    for i in range(rounds):
        for w in workloads:
            for b in (["old", "new"] if i % 2 == 0 else ["new", "old"]):
                shutil.rmtree(out, ignore_errors=True)
                wall, mb, _ = run([bins[b], "measure", os.path.join(work, w), "-o", out])
                res[(b, w)].append(wall * 1000); rss[(b, w)].append(mb)
    med = statistics.median
    print(f"{rounds} interleaved rounds:\n")
    print("| workload | before (ms) median [range] | after (ms) median [range] | after ÷ before | peak MiB before / after |")
    print("|---|---|---|---|---|")
    for w in workloads:
        o, n = res[("old", w)], res[("new", w)]
        print(f"| {w} | {med(o):.1f} [{min(o):.1f}–{max(o):.1f}] | {med(n):.1f} [{min(n):.1f}–{max(n):.1f}] | {med(n) / med(o):.2f} | "
              f"{max(rss[('old', w)]):.0f} / {max(rss[('new', w)]):.0f} |")

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]),
         (sys.argv[5] if len(sys.argv) > 5 else "gentle-1,gentle-100,wavy-100,gentle-1000,wavy-1000").split(","))
