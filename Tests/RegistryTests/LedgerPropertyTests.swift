import Foundation
import XCTest
import Plumbing
import SampleData
@testable import Registry

/// Invariants under random commands, and tamper evidence of the hash chain.
final class LedgerPropertyTests: XCTestCase {
    /// 10 000 random commands from every role, legal and illegal, over three years of clock: after
    /// each, per issuance the vouchers' serial ranges are disjoint and cover 1…q exactly (supply
    /// conserved through sales, buyouts, splits, surrenders, cancellations, returns and
    /// reissues), at most one certificate per number, and every refusal has a code; at the end the
    /// chain verifies and replaying it gives the same registry.
    func testInvariantsUnderRandomCommands() throws {
        let seed = UInt64(ProcessInfo.processInfo.environment["ECOCREDIT_SEED"].flatMap { UInt64($0) } ?? 20261203)
        print("testInvariantsUnderRandomCommands: seed \(seed) (ECOCREDIT_SEED=\(seed) repeats it)")
        var source = RandomCommands(seed: seed)
        var d = Desk()
        var applied = 0, refused: [String: Int] = [:]
        // Under the leak check (AddressSanitizer unwinding every allocation) 1 000 steps: it looks
        // for leaks, not rare states; the ordinary suite runs 10 000.
        let steps = ProcessInfo.processInfo.environment["ASAN_OPTIONS"] == nil ? 10_000 : 1_000
        for step in 0..<steps {
            let (c, actor, now) = source.next(d.state)
            if let code = d.run(c, by: actor, at: now) {
                XCTAssertTrue(code.hasPrefix("REG."), code); refused[code, default: 0] += 1
            } else { applied += 1 }
            if step % 97 == 0 {   // the sweeper, now and then
                let due = VoucherRules.sweep(d.state, at: now, rules: d.rules)
                for r in due { VoucherRules.apply(r, to: &d.state) }
                d.log.append(due)
            }
            try checkPartition(d.state, "step \(step), seed \(seed)")
            // The public register's totals per state add up to what was issued (I1).
            XCTAssertEqual(Supply.vouchers(d.state).reduce(0) { $0 + $1.baseUnits }, d.state.issued.values.reduce(0, +), "step \(step)")
        }
        XCTAssertGreaterThan(applied, steps / 20, "the random commands must do things: \(refused)")
        let types = Set(d.log.entries.map(\.type))
        if steps == 10_000 { XCTAssertEqual(types, ["issuePrepared", "issueApproved", "directSaleRecorded", "boughtOutAtMinimumPrice", "holderChangeRegistered", "split",
                               "surrendered", "useRecorded", "cancelled", "returned", "lossNoticePublished", "lossNoticeWithdrawn", "reissuePrepared", "reissued",
                               "listed", "bidCommitted", "bidRevealed", "auctionEvaluated",
                               "pledged", "dealingConsented", "pledgeReleased", "purchasePlanPublished", "offeredToPlan"],
                       "every kind of event happens") }
        XCTAssertGreaterThan(d.state.vouchers.values.filter { if case .cancelled = $0.state { return true }; return false }.count, 0)
        XCTAssertEqual(try d.log.replay(), d.state, "replaying the log gives the registry")
        XCTAssertEqual(Set(d.untranslated).sorted(), [], "refusals in Chinese")
        print("applied \(applied); refused \(refused.sorted { $0.key < $1.key })")
    }

    func checkPartition(_ s: VoucherRegistry, _ context: String) throws {
        var byIssuance: [String: [SerialRange]] = [:]
        for v in s.vouchers.values { byIssuance[v.issuance, default: []].append(v.range) }
        for (issuance, q) in s.issued {
            let ranges = (byIssuance[issuance] ?? []).sorted { $0.first < $1.first }
            var next: Int64 = 1
            for r in ranges {
                guard r.first == next, r.last >= r.first else { return XCTFail("\(issuance): ranges \(ranges) do not partition 1…\(q) (\(context))") }
                next = r.last + 1
            }
            guard next == q + 1 else { return XCTFail("\(issuance): ranges \(ranges) do not cover 1…\(q) (\(context))") }
        }
        XCTAssertEqual(Set(byIssuance.keys), Set(s.issued.keys), context)
    }

    /// A changed byte, a deleted, inserted, swapped or truncated event: each is found, naming
    /// the sequence number.
    func testTamperingIsDetected() throws {
        var d = Desk()
        d.issue("JY-1", 10_000, on: "2026-02-01")
        d.issue("JY-2", 20_000, on: "2026-02-02")
        XCTAssertNil(d.run(.surrender(number: "JY-2", quantity: 5_000, landRef: "GY-1"), by: Desk.alice, at: .china(CivilDate("2026-03-01")!)))
        let log = d.log, n = UInt64(log.entries.count)
        XCTAssertEqual(try log.verify().count, Int(n))
        let head = (seq: n, hash: log.head)
        func damage(_ edit: (inout [EventLog.Entry]) -> Void) -> EventLog.Damage? {
            var e = log.entries; edit(&e)
            do { _ = try EventLog(entries: e).verify(expectedHead: head); return nil } catch { return error as? EventLog.Damage }
        }
        // A changed byte in event 3's payload ("holder":"alice" → "holder":"alicf").
        XCTAssertEqual(damage { e in let i = e[2].payload.lastIndex(of: UInt8(ascii: "e"))!; e[2].payload[i] = UInt8(ascii: "f") }, .hash(at: 3))
        // A byte changed and the hash recomputed: the next event's link breaks.
        XCTAssertEqual(damage { e in
            let i = e[2].payload.lastIndex(of: UInt8(ascii: "e"))!; e[2].payload[i] = UInt8(ascii: "f")
            e[2].hash = EventLog.hash(seq: 3, prev: e[2].prev, type: e[2].type, payload: e[2].payload)
        }, .link(at: 4))
        XCTAssertEqual(damage { e in e.remove(at: 1) }, .sequence(at: 2))
        XCTAssertEqual(damage { e in e.swapAt(1, 2) }, .sequence(at: 2))
        XCTAssertEqual(damage { e in e.removeLast() }, .truncated(expected: n, found: n - 1))
        XCTAssertEqual(damage { e in var x = e[0]; x.seq = 2; e.insert(x, at: 1); for i in 2..<e.count { e[i].seq += 1 } }, .link(at: 2))
        // Renumbered after a deletion and re-hashed from there on: the published head no longer matches.
        XCTAssertEqual(damage { e in
            e.remove(at: 1)
            for i in 1..<e.count {
                e[i].seq = UInt64(i + 1); e[i].prev = e[i - 1].hash
                e[i].hash = EventLog.hash(seq: e[i].seq, prev: e[i].prev, type: e[i].type, payload: e[i].payload)
            }
        }, .truncated(expected: n, found: n - 1))
        XCTAssertNil(damage { _ in })
        // An empty log verifies against the empty head (found crashing `ledger verify` on a new ledger).
        XCTAssertEqual(try EventLog().verify(expectedHead: (0, EventLog.genesis)).count, 0)
        XCTAssertThrowsError(try EventLog().verify(expectedHead: (0, [UInt8](repeating: 1, count: 32))))
    }
}
