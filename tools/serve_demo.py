"""The demo `make serve` sets up on a fresh data folder, once the service answers: every
geodata/ bundle uploaded as a contractor's job, then a demo registry made through the API as
people would make it — a Jiangyin voucher issued from the jiangyin-restoration job (one officer
prepares, another approves) and listed for sealed bids; a Shanwei lot from each shanwei-* job
(prepared and approved), two of them in an approved sale plan auctioned by the platform.

    python3 tools/serve_demo.py ECOCREDIT_BINARY DATA_FOLDER PORT

The demo runs under the bureau *test* rulebooks (tools/registry-scenario/), so its quantities
are issuable; nothing in it is official. Prints the accounts (password for the pages) and where
to open the pages.
"""
import json, os, subprocess, sys, time, urllib.error, urllib.request, zipfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "demo-password-2026"
PEOPLE = [("demo-contractor", "CON"), ("demo-officer", "OFF"), ("demo-approver", "CHK"), ("demo-bidder", "CON"), ("demo-platform", "OPS"),
          ("demo-auditor", "AUD")]


def main(binary, data, port):
    base = f"http://127.0.0.1:{port}"
    tokens = {}
    for actor, role in PEOPLE:
        tokens[actor] = subprocess.run([binary, "admin", "token-create", "--data", data, "--actor", actor, "--role", role, "--days", "7"],
                                       check=True, capture_output=True, text=True).stdout.strip()
        subprocess.run([binary, "admin", "user-create", "--data", data, "--actor", actor, "--role", role],
                       input=(PASSWORD + "\n").encode(), check=True, capture_output=True)

    def call(method, path, actor, body=None, key=None, raw=None):
        headers = {"Authorization": "Bearer " + tokens[actor]}
        if raw is not None:
            headers["Content-Type"] = "application/zip"; data_ = raw
        else:
            headers["Content-Type"] = "application/json"; data_ = json.dumps(body).encode() if body is not None else None
        if key: headers["Idempotency-Key"] = key
        req = urllib.request.Request(base + path, data=data_, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return json.load(r)
        except urllib.error.HTTPError as e:
            sys.exit(f"demo: {method} {path}: {e.code} {e.read().decode()}")

    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/health", timeout=2); break
        except OSError:
            time.sleep(0.2)
    jobs = {}
    for name in sorted(os.listdir(os.path.join(REPO, "geodata"))):
        src = os.path.join(REPO, "geodata", name)
        if not os.path.isdir(src): continue
        zipped = os.path.join(data, "..", name + ".zip")
        with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as z:
            for f in sorted(os.listdir(src)): z.write(os.path.join(src, f), name + "/" + f)
        jobs[name] = call("POST", "/v1/jobs", "demo-contractor", raw=open(zipped, "rb").read())["id"]
        print(f"demo: job {jobs[name]}: {name}")
    for name, job in jobs.items():
        while call("GET", "/v1/jobs/" + job, "demo-auditor")["state"] in ("queued", "running"): time.sleep(0.3)
    now = int(time.time() * 1000)
    call("POST", "/v1/jy/issues", "demo-officer", {"number": "JY-DEMO-1", "holder": "demo-contractor", "landRightsHolder": "江阴市某村",
                                                   "job": jobs["jiangyin-restoration"]}, key="demo-issue")
    call("POST", "/v1/jy/commands", "demo-approver", {"approveIssue": {"number": "JY-DEMO-1"}}, key="demo-approve")
    call("POST", "/v1/jy/commands", "demo-contractor", {"list": {"number": "JY-DEMO-1", "askingFenPerUnit": 260000,
                                                                  "opens": {"milliseconds": now}, "closes": {"milliseconds": now + 600000}}}, key="demo-list")
    lots = []
    for name in (n for n in jobs if n.startswith("shanwei-")):
        lot = "SW-DEMO-" + name.split("-", 1)[1]
        call("POST", "/v1/sw/lots", "demo-officer", {"lot": lot, "job": jobs[name], "socialShare": "0", "district": "陆丰市"}, key="lot-" + lot)
        call("POST", "/v1/sw/commands", "demo-approver", {"approveLot": {"lot": lot}}, key="approve-" + lot)
        lots.append(lot)
    call("POST", "/v1/sw/commands", "demo-officer", {"draftPlan": {"plan": "P-DEMO-1", "lots": lots[:2], "reserveFenPerMetre": 25000000,
                                                                   "validUntil": {"milliseconds": now + 30 * 86400000}}}, key="demo-plan")
    call("POST", "/v1/sw/commands", "demo-approver", {"approvePlan": {"plan": "P-DEMO-1", "decisionRef": "演示 demo decision"}}, key="demo-plan-ok")
    call("POST", "/v1/sw/commands", "demo-platform", {"openAuction": {"plan": "P-DEMO-1", "opens": {"milliseconds": now},
                                                                      "closes": {"milliseconds": now + 600000}}}, key="demo-auction")
    print(f"demo: voucher JY-DEMO-1 issued and listed; lots {', '.join(lots)} in the library, {lots[0]} and {lots[1]} auctioned (P-DEMO-1#1); "
          "bids close in 10 minutes")
    print(f"demo: sign in on {base}/login as " + ", ".join(f"{a} ({r})" for a, r in PEOPLE) + f" — password {PASSWORD}")
    print(f"demo: pages {base}/ (register), {base}/upload, {base}/desk, {base}/trading; API {base}/openapi.yaml; "
          f"the bureau test rulebooks, nothing official")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3])
