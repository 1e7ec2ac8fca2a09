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
  async function show(id, job) {
    const report = await (await fetch("/v1/jobs/" + id + "/report", { credentials: "same-origin" })).json();
    for (const f of report.verification.findings) {
      const where = f.location && f.location.lonLat ? f.location.lonLat.map((v) => v.toFixed(6)).join(", ") : (f.layer || "");
      row("findings", [f.code, f.severity, f.message.zh + " / " + f.message.en, where], f.severity);
    }
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
