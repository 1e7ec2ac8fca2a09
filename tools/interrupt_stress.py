"""Interrupts `ecocredit measure` at random moments while it replaces a previous output, and
checks after each interruption what VerifyCLITests' signal tests check once per moment: the
output folder is one whole run (every file its index.json lists, with that SHA-256, and no
other), nothing is left beside it, and the status is 0, 130 or 143 (or -2/-15: the signal came
before the handler was installed). Many more moments than the test, and optionally several
stressers at once (the races show most under load).

    python3 tools/interrupt_stress.py ECOCREDIT BUNDLE [KILLS [FROM_S TO_S [SEED [STRESSERS]]]]

e.g. `python3 tools/interrupt_stress.py .build/release/ecocredit geodata/shanwei-beach 400 0.015 0.045 31 3`.
Prints each broken moment and a summary per stresser; exits 1 when any was broken.
"""
import hashlib, json, os, random, shutil, signal, subprocess, sys, tempfile, threading

def stresser(exe, bundle, kills, lo, hi, seed, results):
    rng = random.Random(seed)
    d = tempfile.mkdtemp(prefix="ecocredit-interrupt-")
    out = os.path.join(d, "out")
    subprocess.run([exe, "measure", bundle, "--output", out], stdout=subprocess.DEVNULL, check=True)
    def broken():
        idx = json.load(open(os.path.join(out, "index.json")))
        names = sorted(f["name"] for f in idx["files"]) + ["index.json"]
        if sorted(os.listdir(out)) != sorted(names):
            return "files differ: %s" % sorted(set(os.listdir(out)) ^ set(names))
        for f in idx["files"]:
            if hashlib.sha256(open(os.path.join(out, f["name"]), "rb").read()).hexdigest() != f["sha256"]:
                return "SHA-256 of " + f["name"]
        return None
    bad, statuses = 0, {}
    for _ in range(kills):
        p = subprocess.Popen([exe, "measure", bundle, "--output", out], env=dict(os.environ, TMPDIR=d),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t = rng.uniform(lo, hi)
        threading.Event().wait(t)
        p.send_signal(rng.choice([signal.SIGTERM, signal.SIGINT]))
        rc = p.wait()
        statuses[rc] = statuses.get(rc, 0) + 1
        problem = broken()
        left = [x for x in os.listdir(d) if x != "out"]
        if problem or left or rc not in (0, 130, 143, -2, -15):
            bad += 1
            print(f"seed {seed}: at {t * 1000:.1f} ms status {rc}: {problem or ''} {left or ''}", flush=True)
            if problem: subprocess.run([exe, "measure", bundle, "--output", out], stdout=subprocess.DEVNULL, check=True)
    shutil.rmtree(d, ignore_errors=True)
    results.append((seed, bad, kills, statuses))

def main():
    exe, bundle = sys.argv[1], sys.argv[2]
    kills = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    lo, hi = (float(sys.argv[4]), float(sys.argv[5])) if len(sys.argv) > 5 else (0.0, 0.05)
    seed = int(sys.argv[6]) if len(sys.argv) > 6 else random.randrange(1 << 30)
    n = int(sys.argv[7]) if len(sys.argv) > 7 else 1
    results = []
    threads = [threading.Thread(target=stresser, args=(exe, bundle, kills, lo, hi, seed + i, results)) for i in range(n)]
    for t in threads: t.start()
    for t in threads: t.join()
    for seed, bad, k, statuses in sorted(results):
        print(f"seed {seed}: {bad} broken of {k}; statuses {dict(sorted(statuses.items()))}")
    sys.exit(1 if any(bad for _, bad, _, _ in results) or len(results) < n else 0)

if __name__ == "__main__":
    main()
