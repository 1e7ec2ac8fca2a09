"""Several `ecocredit serve` instances on one PostgreSQL: what the service promises when it is
scaled out behind a load balancer.

    python3 tools/multi_instance_test.py ECOCREDIT_BINARY ARTIFACT_FOLDER

Needs ECOCREDIT_TEST_PG_URL (a superuser; `make test` runs this under .ci/with-postgres.sh,
which starts a throw-away cluster). Two instances share one new database and one data folder
(uploaded bundles and job outputs are files; a shared file system in a real deployment).

1. Sessions: a person signs in on instance A; the cookie works on B (a page and a CSRF-checked
   upload); signing out on B ends it on A.
2. 20 uploads sent alternately to A and B: every job ends `done`, each was claimed exactly once
   (attempts 1 in the database, one "job ID: done" line in one instance's log), outputs indexed.
3. 32 conflicting registry commands (32 officers' requests to prepare the same voucher number,
   each with its own idempotency key) sent at once, alternately to A and B: exactly one succeeds,
   31 are refused with 409 and a stable code; the event log as both instances serve it is one
   chain — sequence numbers 1..n without gap or repeat, each event's `prev` the hash before it —
   and the database holds exactly those events. A second officer approves on the other instance.
4. Kill -9: both restarted with their workers held at the start of each job
   (ECOCREDIT_WORKER_HOLD_MS, the worker's fault-injection hook); a job is uploaded, the instance
   whose worker claimed it is killed with SIGKILL mid-job; its worker ends itself; the other
   instance takes the job when the lease runs out and completes it: `done`, attempts 2, one result.
   The survivor kept serving throughout.
Exits non-zero, saying what failed, on the first failure. Logs go to ARTIFACT_FOLDER.
"""
import json, os, signal, socket, subprocess, sys, tempfile, threading, time, urllib.error, urllib.request, uuid, zipfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOOK = os.path.join(REPO, "tools/registry-scenario/jiangyin-bureau-test.json")


def fail(message):
    raise SystemExit("multi-instance test: " + message)


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    return port


def call(base, method, path, token=None, body=None, headers=None, cookie=None):
    """(status, headers, parsed JSON or raw bytes)."""
    h = dict(headers or {})
    if token: h["Authorization"] = "Bearer " + token
    if cookie: h["Cookie"] = cookie
    data = body
    if isinstance(body, (dict, list)):
        data = json.dumps(body).encode(); h.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(base + path, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            status, rh, raw = r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        status, rh, raw = e.code, e.headers, e.read()
    try:
        return status, rh, json.loads(raw)
    except ValueError:
        return status, rh, raw


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def page(base, path, cookie):
    """A page's status and body, redirects not followed."""
    opener = urllib.request.build_opener(NoRedirect)
    req = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
    try:
        with opener.open(req, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Location", "")


class Instance:
    def __init__(self, name, binary, data, pg, artifacts, env=None):
        self.name, self.port = name, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = os.path.join(artifacts, f"serve-{name}.log")
        self.proc = subprocess.Popen(
            [binary, "serve", "--port", str(self.port), "--data", data, "--postgres", pg, "--rulebook", BOOK, "--lease-seconds", "3"],
            stdout=open(self.log, "a"), stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        for _ in range(300):
            if self.proc.poll() is not None:
                fail(f"instance {name} exited at start ({self.proc.returncode}); see {self.log}")
            try:
                if call(self.base, "GET", "/health")[0] == 200: return
            except OSError:
                pass
            time.sleep(0.1)
        fail(f"instance {name} did not start")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill(); fail(f"instance {self.name} did not shut down on SIGTERM")

    def workers(self):
        """Pids of this instance's `ecocredit job` worker processes."""
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout.split()
        return [int(p) for p in out]


def psql(url, sql):
    return subprocess.run(["psql", url, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True, check=True).stdout.strip()


def wait_jobs(base, token, ids, seconds=240):
    deadline = time.time() + seconds
    pending = set(ids); ended = {}
    while pending and time.time() < deadline:
        for j in list(pending):
            status, _, body = call(base, "GET", "/v1/jobs/" + j, token=token)
            if status != 200: fail(f"GET /v1/jobs/{j}: {status} {body}")
            if body["state"] in ("done", "failed", "cancelled"):
                ended[j] = body; pending.discard(j)
        time.sleep(0.3)
    if pending: fail(f"{len(pending)} job(s) did not end within {seconds} s: {sorted(pending)[:3]}")
    return ended


def check_chain(events, where):
    prev = "0" * 64
    for i, e in enumerate(events, start=1):
        if e["seq"] != i: fail(f"{where}: event {i} has seq {e['seq']} (a gap or a repeat)")
        if e["prev"] != prev: fail(f"{where}: event {i}'s prev is not the hash before it: a fork")
        prev = e["hash"]
    return prev


def main(binary, artifacts):
    binary = os.path.abspath(binary)
    os.makedirs(artifacts, exist_ok=True)
    for old in os.listdir(artifacts):
        if old.startswith("serve-"): os.remove(os.path.join(artifacts, old))
    admin_url = os.environ.get("ECOCREDIT_TEST_PG_URL")
    if not admin_url:
        fail("ECOCREDIT_TEST_PG_URL is not set (run under .ci/with-postgres.sh; make test does)")
    name = "multi_" + uuid.uuid4().hex[:12]
    psql(admin_url, f"CREATE DATABASE {name}")
    pg = admin_url.rsplit("/", 1)[0] + "/" + name
    work = tempfile.mkdtemp(prefix="ecocredit-multi-")
    data = os.path.join(work, "data")

    def admin(*args, stdin=None):
        r = subprocess.run([binary, "admin", *args, "--data", data, "--postgres", pg], input=stdin, capture_output=True, check=True)
        return r.stdout.decode().strip()

    tokens = {a: admin("token-create", "--actor", a, "--role", r, "--days", "1")
              for a, r in [("con-a", "CON"), ("auditor", "AUD")] + [(f"off-{i:02d}", "OFF") for i in range(32)] + [("chk-li", "CHK")]}
    admin("user-create", "--actor", "coop", "--role", "CON", stdin=b"multi-instance-password\n")
    bundle = os.path.join(work, "jiangyin-restoration.zip")
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as z:
        src = os.path.join(REPO, "geodata", "jiangyin-restoration")
        for f in sorted(os.listdir(src)):
            z.write(os.path.join(src, f), "jiangyin-restoration/" + f)
    zip_bytes = open(bundle, "rb").read()
    zip_headers = {"Content-Type": "application/zip"}

    a = Instance("A", binary, data, pg, artifacts)
    b = Instance("B", binary, data, pg, artifacts)
    instances = [a, b]
    try:
        # 1. A session made on A works on B, and ends everywhere.
        status, headers, body = call(a.base, "POST", "/v1/sessions", body={"actor": "coop", "password": "multi-instance-password"})
        if status != 200: fail(f"sign-in on A: {status} {body}")
        cookie, csrf = headers["Set-Cookie"].split(";", 1)[0], body["csrf"]
        status, html = page(b.base, "/upload", cookie)
        if status != 200 or "coop" not in html: fail(f"A's session on B's upload page: {status}")
        status, _, body = call(b.base, "POST", "/v1/jobs", body=zip_bytes, headers=zip_headers, cookie=cookie)
        if status != 403 or body.get("code") != "AUTH.CSRF": fail(f"B took a session upload without the CSRF token: {status} {body}")
        status, _, body = call(b.base, "POST", "/v1/jobs", body=zip_bytes, headers={**zip_headers, "X-CSRF-Token": csrf}, cookie=cookie)
        if status != 202: fail(f"an upload on B with a session from A and its CSRF token: {status} {body}")
        session_job = body["id"]
        status, _, _ = call(b.base, "DELETE", "/v1/sessions", headers={"X-CSRF-Token": csrf}, cookie=cookie)
        if status != 204: fail(f"signing out on B: {status}")
        status, where = page(a.base, "/upload", cookie)
        if status != 303 or not where.startswith("/login"): fail(f"a session ended on B still works on A: {status} {where}")
        print("multi-instance: a session made on A works on B (page, CSRF-checked upload); signed out on B, it is gone on A")

        # 2. 20 uploads across both instances: each job processed exactly once.
        ids, lock = [], threading.Lock()

        def upload(i):
            inst = instances[i % 2]
            status, _, body = call(inst.base, "POST", "/v1/jobs", token=tokens["con-a"], body=zip_bytes, headers=zip_headers)
            if status != 202: fail(f"upload {i} to {inst.name}: {status} {body}")
            with lock: ids.append(body["id"])
        threads = [threading.Thread(target=upload, args=(i,)) for i in range(20)]
        for t in threads: t.start()
        for t in threads: t.join()
        if len(ids) != 20: fail(f"{len(ids)} of 20 uploads accepted")
        ended = wait_jobs(a.base, tokens["auditor"], ids + [session_job])
        bad = {j: (e["state"], e["attempts"], e.get("error")) for j, e in ended.items() if e["state"] != "done" or e["attempts"] != 1}
        if bad: fail(f"jobs not done exactly once: {bad}")
        if any("verification.json" not in e["outputs"] or "annex.html" not in e["outputs"] for e in ended.values()):
            fail("a job without its outputs")
        rows = psql(pg, "SELECT count(*), sum(attempts), count(*) FILTER (WHERE state = 'done') FROM jobs")
        if rows != "21|21|21": fail(f"the jobs table: count|attempts|done = {rows}, expected 21|21|21")
        logs = open(a.log).read() + open(b.log).read()
        ran = {j: logs.count(f"job {j}: done") for j in ids}
        if any(n != 1 for n in ran.values()): fail(f"a job recorded done other than once in the logs: {ran}")
        by = {inst.name: sum(open(inst.log).read().count(f"job {j}: done") for j in ids) for inst in instances}
        print(f"multi-instance: 20 uploads across A and B, each job done exactly once (attempts 1; run by A {by['A']}, B {by['B']})")

        # 3. 32 conflicting commands, alternately to A and B, at once.
        job = ids[0]
        results, start = [], threading.Event()

        def prepare(i):
            inst = instances[i % 2]
            start.wait()
            status, _, body = call(inst.base, "POST", "/v1/jy/issues", token=tokens[f"off-{i:02d}"],
                                   body={"number": "JY-M-1", "holder": "coop", "landRightsHolder": "village", "job": job},
                                   headers={"Idempotency-Key": f"prep-{i}"})
            with lock: results.append((i, status, body))
        threads = [threading.Thread(target=prepare, args=(i,)) for i in range(32)]
        for t in threads: t.start()
        start.set()
        for t in threads: t.join()
        ok = [r for r in results if r[1] == 200]
        refused = [r for r in results if r[1] == 409 and r[2].get("code", "").startswith("REG.")]
        if len(ok) != 1 or len(refused) != 31:
            fail(f"32 conflicting commands: {len(ok)} succeeded, {len(refused)} refused with 409; others: "
                 f"{[(r[1], r[2]) for r in results if r not in ok and r not in refused][:3]}")
        codes = sorted({r[2]['code'] for r in refused})
        winner = ok[0]
        # The second officer approves on the other instance.
        other = instances[(winner[0] + 1) % 2]
        status, _, body = call(other.base, "POST", "/v1/jy/commands", token=tokens["chk-li"], body={"approveIssue": {"number": "JY-M-1"}},
                               headers={"Idempotency-Key": "approve-1"})
        if status != 200: fail(f"approve on {other.name}: {status} {body}")
        heads = []
        for inst in instances:
            status, _, page_ = call(inst.base, "GET", "/v1/ledger/events?limit=1000", token=tokens["auditor"])
            if status != 200: fail(f"events on {inst.name}: {status}")
            heads.append((check_chain(page_["events"], inst.name), len(page_["events"]), page_["events"]))
        if heads[0] != heads[1]: fail("A and B serve different event logs")
        n = heads[0][1]
        in_db = psql(pg, "SELECT count(*), min(seq), max(seq), count(DISTINCT seq), encode((SELECT hash FROM ledger_head), 'hex') FROM events")
        if in_db != f"{n}|1|{n}|{n}|{heads[0][0]}": fail(f"the database's events {in_db} are not the chain served ({n} events, head {heads[0][0]})")
        _, _, head_a = call(a.base, "GET", "/v1/ledger/head")
        _, _, head_b = call(b.base, "GET", "/v1/ledger/head")
        if head_a != head_b or head_a["hash"] != heads[0][0]: fail(f"ledger heads differ: {head_a} {head_b}")
        _, _, summary = call(b.base, "GET", "/v1/register/summary")
        if summary["vouchers"] != 1 or summary["ledgerSeq"] != n: fail(f"the register after the approval: {summary}")
        print(f"multi-instance: 32 conflicting commands across A and B: 1 succeeded (on {instances[winner[0] % 2].name}), "
              f"31 refused 409 {codes}; approved on {other.name}; one chain of {n} events, no gap, no fork, the database's own")

        # 4. Kill -9 an instance mid-job: the other completes the job, once.
        for inst in instances: inst.stop()
        hold = {"ECOCREDIT_WORKER_HOLD_MS": "4000"}
        a = Instance("A", binary, data, pg, artifacts, env=hold)
        b = Instance("B", binary, data, pg, artifacts, env=hold)
        instances = [a, b]
        status, _, body = call(a.base, "POST", "/v1/jobs", token=tokens["con-a"], body=zip_bytes, headers=zip_headers)
        if status != 202: fail(f"upload for the kill test: {status} {body}")
        victim_job = body["id"]
        deadline, holder = time.time() + 30, None
        while holder is None and time.time() < deadline:
            for inst in instances:
                if inst.workers(): holder = inst
            time.sleep(0.05)
        if holder is None: fail("no instance started a worker for the job")
        survivor = b if holder is a else a
        worker_pids = holder.workers()
        holder.proc.kill(); holder.proc.wait()
        killed_at = time.time()
        time.sleep(1.0)
        alive = [p for p in worker_pids if os.path.exists(f"/proc/{p}") and open(f"/proc/{p}/stat").read().split()[2] != "Z"]
        if alive: fail(f"the killed instance's worker {alive} is still running (an orphan would finish the job twice)")
        served = 0
        while time.time() - killed_at < 60:
            status, _, body = call(survivor.base, "GET", "/v1/jobs/" + victim_job, token=tokens["auditor"])
            if status != 200: fail(f"the survivor stopped serving: {status}")
            served += 1
            if body["state"] in ("done", "failed", "cancelled"): break
            time.sleep(0.25)
        if body["state"] != "done" or body["attempts"] != 2 or body.get("error"):
            fail(f"after the kill the job is {body['state']} after {body['attempts']} attempt(s): {body.get('error')}")
        row = psql(pg, f"SELECT state, attempts, lease_owner IS NULL FROM jobs WHERE id = '{victim_job}'")
        if row != "done|2|t": fail(f"the job's row after the kill: {row}")
        done_lines = open(survivor.log).read().count(f"job {victim_job}: done") + open(holder.log).read().count(f"job {victim_job}: done")
        if done_lines != 1: fail(f"the job recorded done {done_lines} times")
        print(f"multi-instance: {holder.name} killed -9 mid-job; its worker ended itself; {survivor.name} took the job after the lease "
              f"and completed it (done, 2 attempts, one result) in {time.time() - killed_at:.1f} s, answering {served} status requests meanwhile")
    finally:
        for inst in instances:
            if inst.proc.poll() is None:
                inst.proc.kill(); inst.proc.wait()
    print("multi-instance test: passed")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
