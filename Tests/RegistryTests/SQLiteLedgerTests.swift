import Foundation
import XCTest
import GRDB
import Plumbing
import SampleData
@testable import Registry
@testable import RegistryStore

/// The registry stored in SQLite: commands all or nothing, idempotency keys, append-only events,
/// tampering found by `verify`, one winner among concurrent writers, and the same registry as the
/// in-memory model under random commands.
final class SQLiteLedgerTests: XCTestCase {
    func path() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecocredit-ledger-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir + "/ledger.sqlite"
    }
    let t0 = Instant.china(CivilDate("2026-03-01")!, 10)

    func issue(_ ledger: SQLiteLedger, _ number: String, _ bu: Int64, at t: Instant) throws {
        XCTAssertNil(try ledger.execute(.prepareIssue(number: number, holder: "alice", landRightsHolder: "v", source: Desk.source(bu)),
                                        by: Desk.officer, key: "prep-\(number)", at: t, rules: Desk.rules).refusal)
        XCTAssertNil(try ledger.execute(.approveIssue(number: number), by: Desk.approver, key: "appr-\(number)", at: t, rules: Desk.rules).refusal)
    }

    func testCommandsIdempotencyAndVerify() throws {
        let ledger = try SQLiteLedger(path: path())
        try issue(ledger, "JY-1", 10_000, at: t0)
        let surrender = VoucherCommand.surrender(number: "JY-1", quantity: 2_500, landRef: "GY-1")
        let first = try ledger.execute(surrender, by: Desk.alice, key: "k1", at: t0, rules: Desk.rules)
        XCTAssertNil(first.refusal); XCTAssertEqual(first.appended, [3, 4, 5]); XCTAssertFalse(first.replayed)
        // A retry with the same key: the same answer, nothing appended again.
        let retry = try ledger.execute(surrender, by: Desk.alice, key: "k1", at: t0.adding(milliseconds: 5), rules: Desk.rules)
        XCTAssertEqual(retry.appended, [3, 4, 5]); XCTAssertTrue(retry.replayed)
        XCTAssertEqual(try ledger.log().entries.count, 5)
        XCTAssertEqual(try ledger.execute(.withdrawLossNotice(number: "JY-1"), by: Desk.alice, key: "k1", at: t0, rules: Desk.rules).refusal, "REG.IDEMPOTENCY_MISMATCH")
        // A refusal is stored too (and appends nothing).
        let refused = try ledger.execute(.surrender(number: "JY-1", quantity: 1, landRef: "GY-2"), by: Desk.bob, key: "k2", at: t0, rules: Desk.rules)
        XCTAssertEqual(refused.refusal, "REG.NOT_HOLDER"); XCTAssertEqual(refused.appended, [])
        XCTAssertEqual(try ledger.verify(), .success(5))
        // Reopened: the same registry, from the file.
        let again = try SQLiteLedger(path: ledger.path)
        XCTAssertEqual(try again.state().vouchers["JY-1-1"]?.range, SerialRange(7_501, 10_000))
    }

    func testEventsAreAppendOnlyAndTamperingIsFound() throws {
        let ledger = try SQLiteLedger(path: path())
        try issue(ledger, "JY-1", 10_000, at: t0)
        try issue(ledger, "JY-2", 20_000, at: t0)
        _ = try ledger.execute(.surrender(number: "JY-2", quantity: 5_000, landRef: "GY-1"), by: Desk.alice, key: "s", at: t0, rules: Desk.rules)
        XCTAssertEqual(try ledger.verify(), .success(7))
        // Under the application's own connection, UPDATE and DELETE on events are refused.
        let q = try DatabaseQueue(path: ledger.path)
        XCTAssertThrowsError(try q.write { try $0.execute(sql: "UPDATE events SET type = 'x' WHERE seq = 2") }) { XCTAssertTrue("\($0)".contains("REG.APPEND_ONLY")) }
        XCTAssertThrowsError(try q.write { try $0.execute(sql: "DELETE FROM events WHERE seq = 7") }) { XCTAssertTrue("\($0)".contains("REG.APPEND_ONLY")) }
        // The database owner drops the triggers and edits: verify names what and where.
        func tampered(_ sql: String) throws -> String {
            let copy = path()
            try FileManager.default.copyItem(atPath: ledger.path, toPath: copy)
            let w = try DatabaseQueue(path: copy)
            try w.write { db in
                try db.execute(sql: "DROP TRIGGER events_append_only_update; DROP TRIGGER events_append_only_delete")
                try db.execute(sql: sql)
            }
            guard case .failure(let f) = try SQLiteLedger(path: copy).verify() else { return "not found" }
            return f.description
        }
        XCTAssertTrue(try tampered("UPDATE events SET payload = CAST(replace(CAST(payload AS TEXT), 'alice', 'alicf') AS BLOB) WHERE seq = 3").hasPrefix("[LEDGER.HASH] event 3"))
        XCTAssertTrue(try tampered("DELETE FROM events WHERE seq = 4").hasPrefix("[LEDGER.SEQUENCE] event 4"))
        XCTAssertTrue(try tampered("DELETE FROM events WHERE seq = 7").hasPrefix("[LEDGER.TRUNCATED]"))
        XCTAssertTrue(try tampered("UPDATE events SET seq = seq + 100 WHERE seq = 5; UPDATE events SET seq = 5 WHERE seq = 6; UPDATE events SET seq = 6 WHERE seq = 105").hasPrefix("[LEDGER.LINK] event 5"))
        XCTAssertTrue(try tampered("UPDATE vouchers SET holder = 'mallory' WHERE number = 'JY-1'").hasPrefix("[LEDGER.PROJECTION] voucher JY-1"))
        XCTAssertTrue(try tampered("DELETE FROM vouchers WHERE number = 'JY-2-1'").hasPrefix("[LEDGER.PROJECTION] voucher JY-2-1"))
    }

    /// 16 connections (each its own SQLite handle, as separate processes would be) try to
    /// surrender, sell or lose the same voucher at once: exactly one succeeds, the rest are refused
    /// with REG.STATE_CONFLICT, and the chain has no fork.
    func testConcurrentWritersOneWins() throws {
        let p = path()
        try issue(try SQLiteLedger(path: p), "JY-1", 10_000, at: t0)
        let outcomes = UnsafeMutableBufferPointer<String?>.allocate(capacity: 16)
        outcomes.initialize(repeating: nil)
        defer { outcomes.deallocate() }
        nonisolated(unsafe) let slots = outcomes
        let t = t0.adding(milliseconds: 1_000)
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            do {
                let ledger = try SQLiteLedger(path: p)
                let c: VoucherCommand = i % 3 == 0 ? .recordDirectSale(number: "JY-1", buyer: "bob", fenPerUnit: 300_000)
                    : i % 3 == 1 ? .surrender(number: "JY-1", quantity: 10_000, landRef: "GY-\(i)")
                    : .publishLossNotice(number: "JY-1", noticeDate: t.chinaDate, media: "江阴日报")
                let actor = i % 3 == 0 ? Desk.platform : Desk.alice
                slots[i] = try ledger.execute(c, by: actor, key: "c\(i)", at: t, rules: Desk.rules).refusal ?? "ok"
            } catch { slots[i] = "error \(error)" }
        }
        let results = Array(outcomes)
        XCTAssertEqual(results.filter { $0 == "ok" }.count, 1, "\(results)")
        XCTAssertEqual(results.filter { $0 == "REG.STATE_CONFLICT" }.count, 15, "\(results)")
        XCTAssertEqual(try SQLiteLedger(path: p).verify(), .success(try SQLiteLedger(path: p).log().entries.count))
    }

    /// 2 000 random commands through SQLite give the registry the in-memory model gives.
    func testStoreEqualsTheInMemoryModel() throws {
        let seed: UInt64 = 20261204
        print("testStoreEqualsTheInMemoryModel: seed \(seed)")
        var rng = SeededGenerator(seed: seed)
        let ledger = try SQLiteLedger(path: path())
        var model = Desk()
        var now = t0
        let actors = [Desk.alice, Desk.bob, Desk.officer, Desk.approver, Actor("chk-zhao", .approver), Desk.platform]
        let steps = ProcessInfo.processInfo.environment["ASAN_OPTIONS"] == nil ? 2_000 : 300   // fewer under the leak check
        for step in 0..<steps {
            now = now.adding(milliseconds: Int64(rng.uniform(0, 0.5 * 86_400_000)))
            let n = "JY-\(Int(rng.uniform(0, 8)))" + (rng.uniform(0, 1) < 0.3 ? "-1" : "")
            let commands: [VoucherCommand] = [
                .prepareIssue(number: n, holder: rng.uniform(0, 1) < 0.5 ? "alice" : "bob", landRightsHolder: "v", source: Desk.source(Int64(rng.uniform(1, 30_000)))),
                .approveIssue(number: n), .recordDirectSale(number: n, buyer: "bob", fenPerUnit: Int64(rng.uniform(200_000, 400_000))),
                .registerHolderChange(number: n), .surrender(number: n, quantity: Int64(rng.uniform(1, 12_000)), landRef: "GY-\(step)"),
                .cancel(number: n, certificateRef: "c-\(step)"), .returnSurrendered(number: n),
                .publishLossNotice(number: n, noticeDate: now.chinaDate, media: "江阴日报"), .withdrawLossNotice(number: n),
                .prepareReissue(number: n), .approveReissue(number: n),
            ]
            let c = commands[Int(rng.uniform(0, Double(commands.count)))]
            let a = actors[Int(rng.uniform(0, Double(actors.count)))]
            let stored = try ledger.execute(c, by: a, key: "s\(step)", at: now, rules: Desk.rules).refusal
            XCTAssertEqual(stored, model.run(c, by: a, at: now), "step \(step)")
        }
        XCTAssertEqual(try ledger.state(), model.state)
        XCTAssertEqual(try ledger.log(), model.log, "the same chain, byte for byte")
        XCTAssertEqual(try ledger.verify(), .success(model.log.entries.count))
    }
}
