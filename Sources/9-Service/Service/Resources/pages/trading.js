// Sealed bids from the browser (JY Art. 28): the nonce is 32 bytes from Web Crypto, the
// commitment SHA-256("ecocredit/bid/v1" ‖ lp(auction) ‖ lp(bidder) ‖ u64be(fen per unit) ‖ nonce)
// (lp = u32be(length) ‖ UTF-8; the registry's SealedBid), and only the commitment is sent. The
// receipt (auction, bidder, price, nonce, commitment) is offered for download and kept in this
// browser's storage for the reveal after the close.
"use strict";
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const bidder = document.querySelector('meta[name="actor"]').content;
  const $ = (id) => document.getElementById(id);
  const utf8 = (s) => new TextEncoder().encode(s);
  const hex = (b) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, "0")).join("");
  function u32(n) { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, n, false); return b; }
  function u64(n) { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, BigInt(n), false); return b; }
  function lp(s) { const b = utf8(s); return [u32(b.length), b]; }
  function concat(parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let i = 0; for (const p of parts) { out.set(p, i); i += p.length; } return out;
  }
  async function commitment(auction, price, nonce) {
    const bytes = concat([utf8("ecocredit/bid/v1"), ...lp(auction), ...lp(bidder), u64(price), nonce]);
    return hex(await crypto.subtle.digest("SHA-256", bytes));
  }
  function say(state, text) { const r = $("trade-result"); r.dataset.state = state; r.textContent = text; r.className = state === "ok" ? "" : "error"; }
  async function post(command, registry) {
    const r = await fetch(registry === "sw" ? "/v1/sw/commands" : "/v1/jy/commands", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, "Idempotency-Key": crypto.randomUUID() },
      body: JSON.stringify(command),
    });
    const reply = await r.json();
    if (!r.ok) say("refused", "[" + reply.code + "] " + reply.zh + " / " + reply.en);
    return r.ok ? reply : null;
  }
  // A voucher listing (JY: the command names the voucher, prices per unit) or an indicator
  // auction (SW: the command names the auction, prices per metre); one commitment format.
  for (const row of document.querySelectorAll("tr[data-auction]")) {
    const registry = row.dataset.registry || "jy", number = row.dataset.number, auction = row.dataset.auction;
    const commitCommand = (c) => registry === "sw" ? { commitBid: { auction: auction, commitment: c } } : { commitBid: { number: number, commitment: c } };
    const revealCommand = (r) => registry === "sw" ? { revealBid: { auction: auction, fenPerMetre: r.fenPerUnit, nonce: r.nonce } }
                                                   : { revealBid: { number: number, fenPerUnit: r.fenPerUnit, nonce: r.nonce } };
    const bid = row.querySelector("button.bid"), reveal = row.querySelector("button.reveal");
    if (bid) bid.addEventListener("click", async () => {
      const price = parseInt(row.querySelector("input.bid-price").value, 10);
      if (!(price > 0)) { say("refused", "价格须为正整数（分/单位） / the price must be a positive whole number of fen per unit"); return; }
      const nonce = crypto.getRandomValues(new Uint8Array(32));
      const c = await commitment(auction, price, nonce);
      const receipt = { registry: registry, auction: auction, bidder: bidder, commitment: c, fenPerUnit: price, nonce: hex(nonce), number: number };
      localStorage.setItem("bid:" + auction + ":" + bidder, JSON.stringify(receipt));
      const reply = await post(commitCommand(c), registry);
      if (!reply) return;
      const link = $("receipt-link");
      link.href = URL.createObjectURL(new Blob([JSON.stringify(receipt, null, 2)], { type: "application/json" }));
      link.download = "bid-" + auction.replace(/[^A-Za-z0-9-]/g, "_") + ".json";
      link.hidden = false;
      say("ok", "已提交承诺值，台账序号 " + reply.ledgerSeq + "；请保存回执 / commitment recorded at ledger sequence " + reply.ledgerSeq + "; keep the receipt");
    });
    if (reveal) reveal.addEventListener("click", async () => {
      const kept = localStorage.getItem("bid:" + auction + ":" + bidder);
      if (!kept) { say("refused", "此浏览器中没有该竞价的回执 / no receipt for this auction in this browser"); return; }
      const r = JSON.parse(kept);
      const reply = await post(revealCommand(r), registry);
      if (reply) say("ok", "已揭示，台账序号 " + reply.ledgerSeq + " / revealed at ledger sequence " + reply.ledgerSeq);
    });
  }
})();
