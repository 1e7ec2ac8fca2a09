"""The pages in a real browser: Debian's headless Chromium driven over the DevTools protocol
(CDP over a pipe, `--remote-debugging-pipe`: no WebSocket library needed), against a live
`ecocredit serve`.

    python3 tools/browser_test.py ECOCREDIT_BINARY ARTIFACT_FOLDER

A contractor signs in and uploads a geodata/ zip on the upload page and sees the upload and
stage progress, then the Chinese results with the verdicts and the annex link; an officer
prepares an issue from that job on the officer desk and a second officer approves it; the same two
enter a Shanwei lot from a contractor's shanwei-mudflat job on the desk; the holder lists the
voucher, and the city's plan for the lot is approved and auctioned by the platform; a bidder
commits a sealed bid on each from the trading page (nonce and commitment made by Web Crypto, the
receipt offered for download) and reveals both after the close; the public
register page's totals equal GET /v1/register/summary. No console errors, no uncaught
exceptions, no CSP violations; CJK glyphs render (two different characters draw differently,
which missing-glyph boxes do not). Screenshots of every page go to ARTIFACT_FOLDER.
Exits non-zero, saying what failed, on the first failure.
"""
import base64, json, os, shutil, socket, subprocess, sys, tempfile, threading, time, urllib.error, urllib.request, zipfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class CDP:
    """Chromium's DevTools protocol over the pipe on fds 3 (to Chromium) and 4 (from it)."""

    def __init__(self, profile):
        chromium = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
        if not chromium:
            sys.exit("browser test: no chromium on PATH (make deps installs Debian's)")
        to_r, self.to_w = os.pipe()
        self.from_r, from_w = os.pipe()

        def child():
            # Via fds above 4, so that neither lands on itself (dup2 onto itself keeps close-on-exec).
            a, b = os.dup(to_r), os.dup(from_w)
            a, b = os.dup2(a, 100), os.dup2(b, 101)
            os.dup2(100, 3)
            os.dup2(101, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        self.proc = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe", "--no-first-run",
             "--user-data-dir=" + profile, "--window-size=1280,1600", "--lang=zh-CN", "about:blank"],
            preexec_fn=child, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_r); os.close(from_w)
        self.next_id, self.replies, self.events = 0, {}, []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buf = b""
        while True:
            chunk = os.read(self.from_r, 1 << 16)
            if not chunk:
                return
            buf += chunk
            while b"\0" in buf:
                msg, buf = buf.split(b"\0", 1)
                m = json.loads(msg)
                with self.cond:
                    if "id" in m:
                        self.replies[m["id"]] = m
                    else:
                        self.events.append(m)
                    self.cond.notify_all()

    def send(self, method, params=None, session=None, timeout=60):
        self.next_id += 1
        i = self.next_id
        msg = {"id": i, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_w, json.dumps(msg).encode() + b"\0")
        with self.cond:
            if not self.cond.wait_for(lambda: i in self.replies, timeout):
                raise SystemExit(f"browser test: no reply to {method} in {timeout} s")
            r = self.replies.pop(i)
        if "error" in r:
            raise SystemExit(f"browser test: {method} failed: {r['error']}")
        return r.get("result", {})

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except SystemExit:
            pass
        self.proc.kill()
        self.proc.wait()


class Page:
    def __init__(self, cdp):
        self.cdp = cdp
        target = cdp.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = cdp.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "DOM"):
            self.send(domain + ".enable")

    def send(self, method, params=None, timeout=60):
        return self.cdp.send(method, params, self.session, timeout)

    def eval(self, expr):
        r = self.send("Runtime.evaluate", {"expression": expr, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in r:
            raise SystemExit(f"browser test: {expr[:80]}… threw {r['exceptionDetails']}")
        return r["result"].get("value")

    def wait(self, expr, what, timeout=120):
        end = time.time() + timeout
        while time.time() < end:
            try:
                v = self.eval(expr)
            except SystemExit:
                v = None
            if v:
                return v
            time.sleep(0.2)
        raise SystemExit(f"browser test: timed out waiting for {what}")

    def goto(self, url):
        self.send("Page.navigate", {"url": url})
        self.wait("document.readyState === 'complete' && location.href !== 'about:blank'", "the page to load")

    def screenshot(self, path):
        png = base64.b64decode(self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})["data"])
        with open(path, "wb") as f:
            f.write(png)

    def problems(self):
        """Console errors, uncaught exceptions and error log entries (CSP violations among them) of this page."""
        out = []
        for e in self.cdp.events:
            if e.get("sessionId") != self.session:
                continue
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.exceptionThrown":
                out.append("exception: " + json.dumps(p.get("exceptionDetails", {}))[:300])
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append("console.error: " + json.dumps(p.get("args", []))[:300])
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append("log: " + p["entry"].get("text", "")[:300] + " " + p["entry"].get("url", ""))
        return out

    def cjk_renders(self):
        """Two different CJK characters draw different pixels (missing-glyph boxes are identical)."""
        return self.eval("""(() => {
            const draw = (ch) => { const c = document.createElement('canvas'); c.width = 64; c.height = 64;
              const g = c.getContext('2d'); g.font = '48px "Noto Sans CJK SC", sans-serif'; g.fillText(ch, 4, 52);
              return Array.from(g.getImageData(0, 0, 64, 64).data).join(','); };
            const a = draw('江'), b = draw('阴');
            return a !== b && /[1-9]/.test(a);
        })()""")


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def api(base, path, token=None):
    req = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token} if token else {})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)


def main(binary, artifacts):
    binary = os.path.abspath(binary)
    os.makedirs(artifacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix="ecocredit-browser-")
    data = os.path.join(work, "data")
    book = os.path.join(REPO, "tools/registry-scenario/jiangyin-bureau-test.json")
    sw_book = os.path.join(REPO, "tools/registry-scenario/shanwei-bureau-test.json")
    accounts = [("coop", "CON"), ("off-wang", "OFF"), ("chk-li", "CHK"), ("dev-a", "CON")]
    for actor, role in accounts:
        subprocess.run([binary, "admin", "user-create", "--data", data, "--actor", actor, "--role", role],
                       input=b"browser-test-password\n", check=True, stdout=subprocess.DEVNULL)
    bundle = os.path.join(work, "jiangyin-restoration.zip")
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as z:
        src = os.path.join(REPO, "geodata", "jiangyin-restoration")
        for f in sorted(os.listdir(src)):
            z.write(os.path.join(src, f), "jiangyin-restoration/" + f)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    sw_bundle = os.path.join(work, "shanwei-mudflat.zip")
    with zipfile.ZipFile(sw_bundle, "w", zipfile.ZIP_DEFLATED) as z:
        src = os.path.join(REPO, "geodata", "shanwei-mudflat")
        for f in sorted(os.listdir(src)):
            z.write(os.path.join(src, f), "shanwei-mudflat/" + f)
    server = subprocess.Popen([binary, "serve", "--port", str(port), "--data", data, "--rulebook", book, "--rulebook", sw_book],
                              stdout=open(os.path.join(artifacts, "serve.log"), "w"), stderr=subprocess.STDOUT)
    cdp = None
    try:
        for _ in range(100):
            try:
                api(base, "/health"); break
            except OSError:
                time.sleep(0.1)
        cdp = CDP(os.path.join(work, "profile"))

        def sign_in(page, actor, next_path):
            page.goto(f"{base}/login?next={next_path}")
            page.eval(f"document.getElementById('actor').value = {json.dumps(actor)};"
                      "document.getElementById('password').value = 'browser-test-password';"
                      "document.getElementById('login').submit(); true")
            page.wait(f"location.pathname === {json.dumps(next_path)} && document.readyState === 'complete'", f"{actor} signed in")

        # 1. The contractor's pre-acceptance upload.
        page = Page(cdp)
        sign_in(page, "coop", "/upload")
        root = page.send("DOM.getDocument")["root"]["nodeId"]
        node = page.send("DOM.querySelector", {"nodeId": root, "selector": "#bundle"})["nodeId"]
        page.send("DOM.setFileInputFiles", {"files": [bundle], "nodeId": node})
        page.wait("document.getElementById('upload-progress').value === 100", "the upload to finish")
        state = page.wait("['done','failed'].includes(document.getElementById('result').dataset.state) && document.getElementById('result').dataset.state",
                          "the job to end")
        page.screenshot(os.path.join(artifacts, "upload.png"))
        # The map of the layers and the findings' places (the same numbers as the table's rows).
        outlines = page.eval("document.querySelectorAll('#map polyline').length")
        markers = page.eval("document.querySelectorAll('#map g.marker').length")
        placed = page.eval("Array.from(document.querySelectorAll('#findings tbody tr')).filter(r => /\\d+\\.\\d+, \\d+\\.\\d+/.test(r.cells[4].textContent)).length")
        if page.eval("document.getElementById('map').hasAttribute('hidden')") or outlines < 1 or markers != placed:
            raise SystemExit(f"browser test: the map shows {outlines} outlines and {markers} markers for {placed} placed findings")
        if state != "done":
            raise SystemExit("browser test: the job ended " + state + ": " + page.eval("document.getElementById('job-error').textContent"))
        verdict = page.eval("document.getElementById('verdict').textContent")
        criteria = page.eval("document.querySelectorAll('#criteria tbody tr').length")
        quantities = page.eval("Array.from(document.querySelectorAll('#quantities tbody td')).map(t => t.textContent).join(' | ')")
        annex = page.eval("!document.getElementById('annex-link').hidden && document.getElementById('annex-link').href")
        stage = page.eval("document.getElementById('stage').textContent")
        if "结论" not in verdict or criteria < 1 or "生态券" not in quantities or not annex or "annex" not in stage:
            raise SystemExit(f"browser test: results incomplete: verdict={verdict!r} criteria={criteria} quantities={quantities!r} annex={annex!r} stage={stage!r}")
        if not page.cjk_renders():
            raise SystemExit("browser test: CJK glyphs do not render (install fonts-noto-cjk)")
        job = annex.split("/v1/jobs/")[1].split("/")[0]
        problems = page.problems()
        # The annex the link opens: styled by its own style sheet under its own CSP, no violations.
        annex_page = Page(cdp)
        annex_page.goto(annex)
        if annex_page.eval("document.styleSheets.length") < 1 or "附件" not in annex_page.eval("document.title + document.body.innerText.slice(0, 2000)"):
            raise SystemExit("browser test: the annex did not render with its style sheet")
        annex_page.screenshot(os.path.join(artifacts, "annex.png"))
        problems += annex_page.problems()

        # 2. The officer desk: one officer prepares the issue, another approves it.
        desk = Page(cdp)
        sign_in(desk, "off-wang", "/desk")
        desk.eval(f"document.getElementById('issue-job').value = {json.dumps(job)};"
                  "document.getElementById('issue-number').value = 'JY-2026-001';"
                  "document.getElementById('issue-holder').value = 'coop';"
                  "document.getElementById('issue-land').value = '江阴市某村';"
                  "document.getElementById('prepare').click(); true")
        desk.wait("document.getElementById('desk-result').dataset.state === 'ok'", "the issue to be prepared")
        desk.screenshot(os.path.join(artifacts, "desk-prepared.png"))
        # The same officer cannot approve (maker ≠ checker): the desk shows the refusal.
        problems += desk.problems()
        cdp.send("Storage.clearCookies", {})
        checker = Page(cdp)
        sign_in(checker, "chk-li", "/desk")
        checker.wait("!!document.querySelector('#pending button[data-number=\"JY-2026-001\"]')", "the prepared issue on the desk")
        checker.eval("document.querySelector('#pending button[data-number=\"JY-2026-001\"]').click(); true")
        checker.wait("document.getElementById('desk-result').dataset.state === 'ok'", "the issue to be approved")
        checker.screenshot(os.path.join(artifacts, "desk-approved.png"))
        problems += checker.problems()

        # 2b. A Shanwei lot on the desk: a contractor's shanwei-mudflat job (API), off-wang prepares
        # the lot from it on the desk, chk-li approves it there.
        def token_for(actor, role):
            return subprocess.run([binary, "admin", "token-create", "--data", data, "--actor", actor, "--role", role, "--days", "1"],
                                  check=True, capture_output=True, text=True).stdout.strip()

        def command(path, body, token, key):
            req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                         headers={"Authorization": "Bearer " + token, "Content-Type": "application/json", "Idempotency-Key": key})
            try:
                with urllib.request.urlopen(req, timeout=30) as r:
                    return json.load(r)
            except urllib.error.HTTPError as e:
                raise SystemExit(f"browser test: {path} {body}: {e.code} {e.read().decode()}")
        token = token_for("coop", "CON")
        req = urllib.request.Request(base + "/v1/jobs", data=open(sw_bundle, "rb").read(), method="POST",
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/zip"})
        with urllib.request.urlopen(req, timeout=30) as r:
            sw_job = json.load(r)["id"]
        for _ in range(600):
            if api(base, "/v1/jobs/" + sw_job, token)["state"] in ("done", "failed"): break
            time.sleep(0.2)
        cdp.send("Storage.clearCookies", {})
        desk = Page(cdp)
        sign_in(desk, "off-wang", "/desk")
        desk.eval(f"document.getElementById('lot-job').value = {json.dumps(sw_job)};"
                  "document.getElementById('lot-id').value = 'SW-2026-001';"
                  "document.getElementById('lot-share').value = '0';"
                  "document.getElementById('lot-district').value = '陆丰市';"
                  "document.getElementById('prepare-lot').click(); true")
        desk.wait("document.getElementById('desk-result').dataset.state !== 'idle' && document.getElementById('desk-result').dataset.state", "the lot")
        if desk.eval("document.getElementById('desk-result').dataset.state") != "ok":
            raise SystemExit("browser test: the lot was refused: " + desk.eval("document.getElementById('desk-result').textContent"))
        problems += desk.problems()
        cdp.send("Storage.clearCookies", {})
        checker = Page(cdp)
        sign_in(checker, "chk-li", "/desk")
        checker.wait("!!document.querySelector('#pending-lots button[data-lot=\"SW-2026-001\"]')", "the prepared lot on the desk")
        checker.eval("document.querySelector('#pending-lots button[data-lot=\"SW-2026-001\"]').click(); true")
        checker.wait("document.getElementById('desk-result').dataset.state === 'ok'", "the lot to be approved")
        problems += checker.problems()
        lot = api(base, "/v1/sw/lots/SW-2026-001")
        if lot["state"] != "available" or lot["centimetres"] != 100000:
            raise SystemExit(f"browser test: the approved lot is {lot}")

        # 3. Trading: the holder lists the voucher (API, its token) for a few seconds, and the city's
        # plan for the lot is approved and auctioned by the platform (API) for the same seconds; a
        # bidder commits a sealed bid on each from the page (nonce and commitment made by Web
        # Crypto), gets the receipts, and reveals both from the page after the close.
        now = int(time.time() * 1000)
        command("/v1/sw/commands", {"draftPlan": {"plan": "P-2026-1", "lots": ["SW-2026-001"], "reserveFenPerMetre": 25000000,
                                                  "validUntil": {"milliseconds": now + 86400000}}}, token_for("off-wang", "OFF"), "plan-1")
        command("/v1/sw/commands", {"approvePlan": {"plan": "P-2026-1", "decisionRef": "汕府函〔2026〕1号"}}, token_for("chk-li", "CHK"), "plan-2")
        command("/v1/sw/commands", {"openAuction": {"plan": "P-2026-1", "opens": {"milliseconds": now}, "closes": {"milliseconds": now + 12000}}},
                token_for("ops", "OPS"), "auction-1")
        listing = {"list": {"number": "JY-2026-001", "askingFenPerUnit": 260000, "opens": {"milliseconds": now}, "closes": {"milliseconds": now + 12000}}}
        command("/v1/jy/commands", listing, token, "list-1")
        cdp.send("Storage.clearCookies", {})
        trade = Page(cdp)
        sign_in(trade, "dev-a", "/trading")
        trade.eval("document.querySelector('tr[data-number=\"JY-2026-001\"] input.bid-price').value = '270000';"
                   "document.querySelector('tr[data-number=\"JY-2026-001\"] button.bid').click(); true")
        trade.wait("document.getElementById('trade-result').dataset.state !== 'idle' && document.getElementById('trade-result').dataset.state", "the bid")
        if trade.eval("document.getElementById('trade-result').dataset.state") != "ok" or trade.eval("document.getElementById('receipt-link').hidden"):
            raise SystemExit("browser test: the bid was refused: " + trade.eval("document.getElementById('trade-result').textContent"))
        receipt = trade.eval("document.getElementById('receipt-link').download")
        sw_row = "tr[data-registry=\"sw\"][data-auction=\"P-2026-1#1\"]"
        trade.eval("document.getElementById('trade-result').dataset.state = 'idle';"
                   f"document.querySelector('{sw_row} input.bid-price').value = '26000000';"
                   f"document.querySelector('{sw_row} button.bid').click(); true")
        trade.wait("document.getElementById('trade-result').dataset.state !== 'idle' && document.getElementById('trade-result').dataset.state", "the indicator bid")
        if trade.eval("document.getElementById('trade-result').dataset.state") != "ok":
            raise SystemExit("browser test: the indicator bid was refused: " + trade.eval("document.getElementById('trade-result').textContent"))
        trade.screenshot(os.path.join(artifacts, "trading-bid.png"))
        time.sleep(max(0, (now + 12500 - time.time() * 1000) / 1000))
        trade.goto(base + "/trading")
        trade.eval("document.querySelector('tr[data-number=\"JY-2026-001\"] button.reveal').click(); true")
        trade.wait("document.getElementById('trade-result').dataset.state !== 'idle' && document.getElementById('trade-result').dataset.state", "the reveal")
        if trade.eval("document.getElementById('trade-result').dataset.state") != "ok":
            raise SystemExit("browser test: the reveal was refused: " + trade.eval("document.getElementById('trade-result').textContent"))
        trade.goto(base + "/trading")
        trade.eval(f"document.querySelector('{sw_row} button.reveal').click(); true")
        trade.wait("document.getElementById('trade-result').dataset.state !== 'idle' && document.getElementById('trade-result').dataset.state", "the indicator reveal")
        if trade.eval("document.getElementById('trade-result').dataset.state") != "ok":
            raise SystemExit("browser test: the indicator reveal was refused: " + trade.eval("document.getElementById('trade-result').textContent"))
        trade.goto(base + "/trading")
        sw_counts = trade.eval(f"document.querySelector('{sw_row} td:nth-child(7)').textContent")
        if sw_counts.strip() != "1/1":
            raise SystemExit(f"browser test: the indicator auction shows {sw_counts!r} bids/revealed, expected 1/1")
        counts = trade.eval("document.querySelector('tr[data-number=\"JY-2026-001\"] td:nth-child(6)').textContent")
        trade.screenshot(os.path.join(artifacts, "trading-revealed.png"))
        if counts.strip() != "1/1":
            raise SystemExit(f"browser test: the listing shows {counts!r} bids/revealed, expected 1/1")
        problems += trade.problems()

        # 4. The public register page's totals equal the API's.
        register = Page(cdp)
        register.goto(base + "/")
        register.screenshot(os.path.join(artifacts, "register.png"))
        summary = api(base, "/v1/register/summary")
        total = sum(line["baseUnits"] for line in summary["supply"])
        shown = int(register.eval("document.getElementById('total-base-units').textContent"))
        seq = int(register.eval("document.getElementById('ledger-seq').textContent"))
        if summary["vouchers"] != 1 or shown != total or seq != summary["ledgerSeq"] or total <= 0:
            raise SystemExit(f"browser test: register page shows {shown} base units at seq {seq}; the API {total} at {summary['ledgerSeq']} ({summary})")
        if register.eval("document.scripts.length") != 0:
            raise SystemExit("browser test: the register page runs a script")
        problems += register.problems()
        if problems:
            raise SystemExit("browser test: console errors:\n  " + "\n  ".join(problems))
        print(f"browser test: upload → {verdict.strip()}, {criteria} criteria, quantity {quantities}; issue JY-2026-001 prepared by off-wang, "
              f"approved by chk-li; lot SW-2026-001 prepared and approved on the desk; listed and auctioned, sealed bids committed ({receipt}) and revealed from the page on both; register total {total} base units at ledger seq {seq} = API; no console errors; CJK renders; "
              f"screenshots in {artifacts}")
    finally:
        if cdp:
            cdp.close()
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
