// The pre-acceptance upload page: the zip goes up as the raw body (XHR, for upload progress),
// then the job is polled until it ends, then its report is shown. Plain JS, no build step.
"use strict";
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const $ = (id) => document.getElementById(id);
  const text = (s) => document.createTextNode(s == null ? "" : String(s));
  function row(table, cells, cls) {
    const tr = document.createElement("tr");
    if (cls) tr.className = cls;
    for (const c of cells) { const td = document.createElement("td"); td.appendChild(text(c)); tr.appendChild(td); }
    $(table).querySelector("tbody").appendChild(tr);
  }
  function send(file) {
    const result = $("result");
    result.dataset.state = "uploading";
    for (const t of ["findings", "criteria", "quantities"]) $(t).querySelector("tbody").textContent = "";
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/v1/jobs?lang=zh");
    xhr.setRequestHeader("Content-Type", "application/zip");
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.upload.onprogress = (e) => {
      if (!e.lengthComputable) return;
      const p = Math.round(100 * e.loaded / e.total);
      $("upload-progress").value = p; $("upload-percent").textContent = p + "%";
    };
    xhr.onload = () => {
      const body = JSON.parse(xhr.responseText);
      if (xhr.status !== 202) { fail(body); return; }
      $("upload-progress").value = 100; $("upload-percent").textContent = "100%";
      result.dataset.state = "running";
      poll(body.id);
    };
    xhr.onerror = () => fail({ code: "HTTP.NETWORK", zh: "网络错误", en: "network error" });
    xhr.send(file);
  }
  function fail(e) {
    $("job-error").textContent = "[" + e.code + "] " + e.zh + " / " + e.en;
    $("result").dataset.state = "failed";
  }
  async function poll(id) {
    const r = await fetch("/v1/jobs/" + id, { credentials: "same-origin" });
    const job = await r.json();
    $("stage").textContent = (job.stage || "—") + " · " + job.state;
    $("stage-progress").value = job.percent;
    if (job.state === "queued" || job.state === "running") { setTimeout(() => poll(id), 400); return; }
    if (job.error) $("job-error").textContent = "[" + job.error.code + "] " + job.error.zh + " / " + job.error.en;
    if (job.outputs.includes("verification.json")) await show(id, job);
    $("result").dataset.state = job.state;
  }
  // The map: the job's layers (its GeoJSON outputs, longitude/latitude) drawn as outlines, and
  // every finding that has a place as a numbered marker, the same number as its row in the
  // table. An equirectangular view scaled by cos(latitude); no base map, nothing from elsewhere.
  const SVG = "http://www.w3.org/2000/svg";
  function svg(name, attrs) { const e = document.createElementNS(SVG, name); for (const k in attrs) e.setAttribute(k, attrs[k]); return e; }
  async function drawMap(id, job, placed) {
    const map = $("map");
    map.textContent = "";
    const layers = [];
    for (const name of job.outputs.filter((n) => n.endsWith(".geojson") && n !== "transects.geojson")) {
      const r = await fetch("/v1/jobs/" + id + "/outputs/" + encodeURIComponent(name), { credentials: "same-origin" });
      if (r.ok) layers.push(await r.json());
    }
    const rings = [];
    const walk = (c) => { if (typeof c[0] === "number") return; if (typeof c[0][0] === "number") { rings.push(c); return; } c.forEach(walk); };
    for (const fc of layers) for (const f of fc.features || []) if (f.geometry) walk(f.geometry.coordinates);
    const pts = rings.flat().concat(placed.map((p) => p.lonLat));
    if (!pts.length) { map.setAttribute("hidden", ""); return; }
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [x, y] of pts) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
    const k = Math.cos((y0 + y1) / 2 * Math.PI / 180), w = 640, h = 420, pad = 16;
    const dx = Math.max((x1 - x0) * k, 1e-5), dy = Math.max(y1 - y0, 1e-5);
    const scale = Math.min((w - 2 * pad) / dx, (h - 2 * pad) / dy);
    const ox = (w - dx * scale) / 2, oy = (h - dy * scale) / 2;  // centred
    const px = ([x, y]) => [ox + (x - x0) * k * scale, h - oy - (y - y0) * scale];
    map.setAttribute("viewBox", "0 0 " + w + " " + h);
    for (const ring of rings) {
      map.appendChild(svg("polyline", { points: ring.map((c) => px(c).map((v) => v.toFixed(1)).join(",")).join(" "), fill: "none", stroke: "#5b7f95", "stroke-width": "1" }));
    }
    placed.forEach((p, i) => {
      const [cx, cy] = px(p.lonLat);
      const g = svg("g", { class: "marker " + p.severity });
      g.appendChild(svg("circle", { cx: cx.toFixed(1), cy: cy.toFixed(1), r: "7", fill: p.severity === "error" ? "#c0392b" : "#d68910", stroke: "#fff" }));
      const t = svg("text", { x: cx.toFixed(1), y: (cy + 3.5).toFixed(1), "text-anchor": "middle", "font-size": "9", fill: "#fff" });
      t.textContent = String(p.n);
      g.appendChild(t);
      const title = svg("title", {}); title.textContent = p.n + ". " + p.code; g.appendChild(title);
      map.appendChild(g);
    });
    map.removeAttribute("hidden");
  }
  async function show(id, job) {
    const report = await (await fetch("/v1/jobs/" + id + "/report", { credentials: "same-origin" })).json();
    const placed = [];
    report.verification.findings.forEach((f, i) => {
      const lonLat = f.location && f.location.lonLat;
      const where = lonLat ? lonLat.map((v) => v.toFixed(6)).join(", ") : (f.layer || "");
      if (lonLat) placed.push({ n: i + 1, lonLat: lonLat, code: f.code, severity: f.severity });
      row("findings", [String(i + 1), f.code, f.severity, f.message.zh + " / " + f.message.en, where], f.severity);
    });
    await drawMap(id, job, placed);
    const check = report.check;
    if (check) {
      $("verdict").textContent = "结论 Verdict: " + check.overall;
      for (const c of check.results) {
        const short = c.verdict === "fail" && typeof c.value === "number" && typeof c.threshold === "number" ? Math.abs(c.threshold - c.value).toFixed(2) + " " + (c.unit || "") : "";
        row("criteria", [c.label.zh + " / " + c.label.en, c.subject, typeof c.value === "number" ? c.value.toFixed(2) + " " + (c.unit || "") : (c.value == null ? "" : c.value),
                         c.comparison != null && c.threshold != null ? c.comparison + " " + c.threshold : "", c.verdict, short, c.article], c.verdict);
      }
      for (const q of check.quantities) {
        const v = q.units == null ? "—" : (q.units / Math.pow(10, q.decimals)).toFixed(q.decimals) + " " + q.unit;
        row("quantities", [q.label.zh + " / " + q.label.en, v, q.status, (q.reasons || []).map((r) => r.code).join(", ")]);
      }
    }
    if (job.outputs.includes("annex.html")) {
      const a = $("annex-link"); a.href = "/v1/jobs/" + id + "/outputs/annex.html"; a.hidden = false;
    }
  }
  $("bundle").addEventListener("change", (e) => { if (e.target.files.length) send(e.target.files[0]); });
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); if (e.dataTransfer.files.length) send(e.dataTransfer.files[0]); });
})();
