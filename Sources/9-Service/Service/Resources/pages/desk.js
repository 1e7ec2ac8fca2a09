// The officer desk: prepare an issue from a job, approve another officer's; register a holder
// change, record a loss notice, prepare and approve a reissue. Each change is one
// POST with the session's CSRF token and a fresh Idempotency-Key (a retry is answered once).
"use strict";
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const $ = (id) => document.getElementById(id);
  function say(state, text) { const r = $("desk-result"); r.dataset.state = state; r.textContent = text; r.className = state === "ok" ? "" : "error"; }
  async function post(path, body) {
    const r = await fetch(path, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, "Idempotency-Key": crypto.randomUUID() },
      body: JSON.stringify(body),
    });
    const reply = await r.json();
    if (r.ok) say("ok", "已记录，台账序号 " + reply.ledgerSeq + " / recorded at ledger sequence " + reply.ledgerSeq);
    else say("refused", "[" + reply.code + "] " + reply.zh + " / " + reply.en + (reply.article ? " (" + reply.article + ")" : ""));
  }
  $("issue").addEventListener("submit", (e) => e.preventDefault());
  $("prepare").addEventListener("click", () => post("/v1/jy/issues", {
    job: $("issue-job").value.trim(), number: $("issue-number").value.trim(),
    holder: $("issue-holder").value.trim(), landRightsHolder: $("issue-land").value.trim(),
  }));
  for (const b of document.querySelectorAll("#pending button[data-number]")) {
    b.addEventListener("click", () => post("/v1/jy/commands", { approveIssue: { number: b.dataset.number } }));
  }
  $("lot").addEventListener("submit", (e) => e.preventDefault());
  $("prepare-lot").addEventListener("click", () => post("/v1/sw/lots", {
    job: $("lot-job").value.trim(), lot: $("lot-id").value.trim(),
    socialShare: $("lot-share").value.trim(), district: $("lot-district").value.trim(),
  }));
  for (const b of document.querySelectorAll("#pending-lots button[data-lot]")) {
    b.addEventListener("click", () => post("/v1/sw/commands", { approveLot: { lot: b.dataset.lot } }));
  }
  const on = (selector, command) => {
    for (const b of document.querySelectorAll(selector)) b.addEventListener("click", () => post("/v1/jy/commands", command(b)));
  };
  on("button.holder-change", (b) => ({ registerHolderChange: { number: b.dataset.number } }));
  on("button.prepare-reissue", (b) => ({ prepareReissue: { number: b.dataset.number } }));
  on("button.approve-reissue", (b) => ({ approveReissue: { number: b.dataset.number } }));
  on("button.loss-notice", (b) => {
    const row = b.closest("tr");
    return { publishLossNotice: { number: b.dataset.number, noticeDate: row.querySelector(".notice-date").value,
                                  media: row.querySelector(".notice-media").value.trim() } };
  });
})();
