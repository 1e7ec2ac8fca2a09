#!/usr/bin/env python3
"""An independent verifier of an EcoCredit ledger export (`ecocredit ledger export LEDGER`),
standard library only, sharing no code with EcoCredit: recomputes every event's hash

    SHA-256("ecocredit/event/v1" || u64be(seq) || prev || u32be(len type) || type || u64be(len payload) || payload)

checks the links and the head, replays the voucher supply (per issuance, the serial ranges of its
vouchers stay a partition of 1..q), opens every revealed sealed bid against its commitment and
recomputes every auction's winner (highest revealed price at or above the asking price — for a
Shanwei auction at or above the reserve and not among the bids the evaluation voids as outside the
SW 27 bounds — a tie to the earliest commitment) and its void, unrevealed bids; for Shanwei, every
revenue split sums to the payments of its auction. Works on either registry's export.

    python3 tools/verify_ledger.py EXPORT.jsonl      # exit 0 verified, 1 damaged (naming the event)
"""
import hashlib, json, struct, sys

def event_hash(seq, prev, type_, payload):
    t = type_.encode("utf-8")
    return hashlib.sha256(b"ecocredit/event/v1" + struct.pack(">Q", seq) + prev + struct.pack(">I", len(t)) + t
                          + struct.pack(">Q", len(payload)) + payload).digest()

def lp(s):
    b = s.encode("utf-8"); return struct.pack(">I", len(b)) + b

def commitment(auction, bidder, price, nonce_hex):
    return hashlib.sha256(b"ecocredit/bid/v1" + lp(auction) + lp(bidder) + struct.pack(">Q", price) + bytes.fromhex(nonce_hex)).hexdigest()

def main(path):
    lines = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
    head = lines[-1].get("head") if lines else None
    events = [l for l in lines if "seq" in l]
    checkpoints = [l["checkpoint"] for l in lines if "checkpoint" in l]
    prev = bytes(32)
    ranges = {}     # voucher -> (issuance, first, last)
    auctions = {}   # auction -> asking price and bids in commitment order
    evaluated = splits = 0
    for i, e in enumerate(events, 1):
        if e["seq"] != i: return f"event {i}: numbered {e['seq']}"
        if bytes.fromhex(e["prev"]) != prev: return f"event {i}: prev is not the previous event's hash"
        payload = e["payload"].encode("utf-8")
        h = event_hash(i, prev, e["type"], payload)
        if h.hex() != e["hash"]: return f"event {i}: its hash is not that of its bytes"
        record = json.loads(payload)
        (kind, body), = record["event"].items()
        if kind != e["type"]: return f"event {i}: type {e['type']} but payload {kind}"
        if kind == "issuePrepared": ranges.setdefault("pending", {})[body["number"]] = body["source"]["quantity"]
        if kind == "issueApproved":
            q = ranges.get("pending", {}).pop(body["number"], None)
            if q is None: return f"event {i}: approves an issue never prepared"
            ranges[body["number"]] = (body["number"], 1, q)
        if kind == "listed": auctions[body["auction"]] = {"asking": body["askingFenPerUnit"], "bids": []}
        if kind == "auctionOpened": auctions[body["auction"]] = {"asking": body["reserveFenPerMetre"], "bids": [], "paid": 0}
        if kind == "paymentRecorded": auctions[body["auction"]]["paid"] += body["fen"]
        if kind == "revenueSplitRecorded":
            a = auctions[body["auction"]]
            if sum(p["fen"] for p in body["parts"]) != a["paid"] or a["paid"] != a.get("total"):
                return f"event {i}: the split does not sum to the payments and the winning total"
            splits = splits + 1
        if kind == "bidCommitted": auctions[body["auction"]]["bids"].append({"bidder": body["bidder"], "c": body["commitment"], "price": None})
        if kind == "bidRevealed":
            bid = next(b for b in auctions[body["auction"]]["bids"] if b["bidder"] == body["bidder"])
            price = body.get("fenPerUnit", body.get("fenPerMetre"))
            if commitment(body["auction"], body["bidder"], price, body["nonce"]) != bid["c"]:
                return f"event {i}: the revealed price and nonce do not open {body['bidder']}'s commitment"
            bid["price"] = price
        if kind == "auctionEvaluated":
            a = auctions[body["auction"]]; best = None
            void = set(body.get("invalid", []))
            for b in a["bids"]:   # in commitment order: a tie stays with the earlier bid
                if b["bidder"] in void:
                    if b["price"] is None: return f"event {i}: an unrevealed bid is called out of bounds"
                    continue
                if b["price"] is not None and b["price"] >= a["asking"] and (best is None or b["price"] > best["price"]): best = b
            a["total"] = body.get("totalFen")
            if (best["bidder"] if best else None) != body.get("winner") or (best["price"] if best else None) != body.get("fenPerUnit", body.get("fenPerMetre")):
                return f"event {i}: the recorded winner is not the highest valid revealed bid"
            if sorted(b["bidder"] for b in a["bids"] if b["price"] is None) != sorted(body["unrevealed"]):
                return f"event {i}: the unrevealed bids are not those published"
            evaluated += 1
        if kind == "split":
            iss, first, last = ranges[body["parent"]]
            n = body["quantity"]
            if not 0 < n < last - first + 1: return f"event {i}: splits {n} from a range of {last - first + 1}"
            ranges[body["parent"]] = (iss, first, last - n)
            ranges[body["child"]] = (iss, last - n + 1, last)
        prev = h
    if head is None or head["seq"] != len(events) or head["hash"] != prev.hex():
        return "the head does not name the last event"
    # Signed checkpoints: each names an event of this chain with its hash. (Their Ed25519
    # signatures need a library the standard one lacks: `ecocredit ledger verify` checks them.)
    for c in checkpoints:
        if not 1 <= c["seq"] <= len(events): return f"a checkpoint names event {c['seq']}, the log holds {len(events)}"
        if events[c["seq"] - 1]["hash"] != c["hash"]: return f"event {c['seq']}: its hash is not the one the checkpoint signed"
    supply = {}
    for v, r in ranges.items():
        if v == "pending": continue
        supply.setdefault(r[0], []).append((r[1], r[2]))
    for iss, rs in supply.items():
        rs.sort(); nxt = 1
        for a, b in rs:
            if a != nxt: return f"issuance {iss}: serials {rs} are not a partition"
            nxt = b + 1
    print(f"verified independently: {len(events)} events, head {prev.hex()[:16]}…, {len(supply)} issuances partitioned, "
          f"{evaluated} auctions' winners recomputed from the revealed commitments, {splits} revenue splits summed, "
          f"{len(checkpoints)} checkpoints on the chain")
    return None

if __name__ == "__main__":
    if len(sys.argv) != 2: print(__doc__); sys.exit(64)
    problem = main(sys.argv[1])
    if problem:
        print("damaged: " + problem); sys.exit(1)
