import Foundation
import XCTest
import Plumbing
import SampleData
@testable import Registry
@testable import RegistryStore

/// kill -9 at 100 random moments of a process writing commands (`ecocredit-ledger-load`), on
/// each back end: after every kill the chain verifies and the projection equals the replay, every
/// command the process acknowledged is present with the sequence numbers it was told, and the
/// next run — restarted at the first unacknowledged command — retries that command's key, which
/// is applied once whether or not it had committed.
final class LedgerCrashTests: XCTestCase {
    var loader: URL {
        var dir = Bundle(for: Self.self).bundleURL
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("ecocredit-ledger-load").path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("ecocredit-ledger-load")
    }

    /// Runs the loader; with `killAfter`, SIGKILLs it then. Returns its acknowledgements (key → seqs).
    func load(_ target: [String], from: Int, count: Int, killAfter: Double?) throws -> [(key: String, seqs: [UInt64])] {
        let p = Process()
        p.executableURL = loader
        p.arguments = target + ["--from", "\(from)", "--count", "\(count)"]
        let out = Pipe(); p.standardOutput = out; p.standardError = FileHandle.nullDevice
        // Under the leak check the child is killed, not leak-checked: LeakSanitizer's report at a
        // normal exit (it misses references Swift keeps in spare pointer bits) would change its status.
        var env = ProcessInfo.processInfo.environment
        if env["ASAN_OPTIONS"] != nil { env["ASAN_OPTIONS"] = "detect_leaks=0" }
        p.environment = env
        try p.run()
        if let killAfter { usleep(UInt32(killAfter * 1e6)); kill(p.processIdentifier, SIGKILL) }
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        if killAfter == nil { XCTAssertEqual(p.terminationStatus, 0, text) }
        return text.split(separator: "\n").filter { $0.hasPrefix("ack ") }.map { line in
            let f = line.split(separator: " ")
            return (String(f[1]), f.dropFirst(2).map { UInt64($0)! })
        }
    }

    /// SIGKILL at the fixed points inside a command — after the event insert, after the projection
    /// update, after COMMIT before the reply — on each back end: after each, the chain verifies and
    /// the projection equals the replay; the command is there only if it committed; its retry with
    /// the same key is applied once.
    func testKilledAtFixedPoints() async throws {
        guard FileManager.default.isExecutableFile(atPath: loader.path) else { return XCTFail("ecocredit-ledger-load is not built beside the tests") }
        for backEnd in BackEnd.all() {
            for point in ["after-insert", "after-projection", "after-commit"] {
                let store = try await backEnd.fresh()
                _ = try load(store.target, from: 0, count: 0, killAfter: nil)   // the voucher issued, no crash point armed
                let p = Process()
                p.executableURL = loader
                p.arguments = store.target + ["--from", "0", "--count", "1"]
                var env = ProcessInfo.processInfo.environment
                env["ECOCREDIT_CRASH_AT"] = point
                if env["ASAN_OPTIONS"] != nil { env["ASAN_OPTIONS"] = "detect_leaks=0" }
                p.environment = env
                p.standardOutput = FileHandle.nullDevice; p.standardError = FileHandle.nullDevice
                try p.run(); p.waitUntilExit()
                XCTAssertEqual(p.terminationReason, .uncaughtSignal, "\(backEnd.dialect) \(point)")
                XCTAssertEqual(p.terminationStatus, SIGKILL, "\(backEnd.dialect) \(point)")
                let ledger = try await store.open()
                let verified = try await ledger.check()
                guard case .success(let n) = verified else { XCTFail("\(backEnd.dialect) \(point): \(verified)"); continue }
                // The issue (2 events, committed before the command) is there; the command only after COMMIT.
                XCTAssertEqual(n, point == "after-commit" ? 3 : 2, "\(backEnd.dialect) \(point)")
                let retry = try await ledger.run(LoadStream.command(0), by: LoadStream.holder, key: "load-0", at: LoadStream.at(0), rules: LoadStream.rules)
                XCTAssertNil(retry.refusal, "\(backEnd.dialect) \(point)")
                XCTAssertEqual(retry.replayed, point == "after-commit", "\(backEnd.dialect) \(point)")
                XCTAssertEqual(retry.appended, [3], "\(backEnd.dialect) \(point): applied once")
                let after = try await ledger.storedLog()
                XCTAssertEqual(after.entries.count, 3, "\(backEnd.dialect) \(point)")
            }
        }
    }

    func testKilledAtRandomMomentsLosesNothingAcknowledged() async throws {
        guard FileManager.default.isExecutableFile(atPath: loader.path) else { return XCTFail("ecocredit-ledger-load is not built beside the tests") }
        let seed = UInt64(ProcessInfo.processInfo.environment["ECOCREDIT_SEED"].flatMap { UInt64($0) } ?? 20261205)
        print("testKilledAtRandomMomentsLosesNothingAcknowledged: seed \(seed) (ECOCREDIT_SEED=\(seed) repeats it)")
        var rng = SeededGenerator(seed: seed)
        let moments = ProcessInfo.processInfo.environment["ASAN_OPTIONS"] == nil ? 100 : 10
        for backEnd in BackEnd.all() {
            let store = try await backEnd.fresh()
            let target = store.target
            // How long a whole run of 20 commands takes, to spread the kills over it (start-up included).
            let t0 = Date()
            var acked = try load(target, from: 0, count: 20, killAfter: nil).count
            let whole = Date().timeIntervalSince(t0)
            var killedMidway = 0
            for moment in 0..<moments {
                let acks = try load(target, from: acked, count: 20, killAfter: rng.uniform(0, whole * 1.1))
                if acks.count < 20 { killedMidway += 1 }
                let ledger = try await store.open()
                let verified = try await ledger.check()
                guard case .success = verified else { return XCTFail("\(backEnd.dialect) kill \(moment): \(verified)") }
                // Every acknowledged command is there: its retry is answered from the store, appending nothing.
                for (key, seqs) in acks {
                    let i = Int(key.dropFirst("load-".count))!
                    let retry = try await ledger.run(LoadStream.command(i), by: LoadStream.holder, key: key, at: LoadStream.at(i), rules: LoadStream.rules)
                    XCTAssertTrue(retry.replayed, "\(backEnd.dialect) kill \(moment): \(key)")
                    XCTAssertEqual(retry.appended, seqs, "\(backEnd.dialect) kill \(moment): \(key)")
                }
                acked += acks.count
            }
            // The rest, to the end: the history is the stream's, each command once.
            acked += try load(target, from: acked, count: 5, killAfter: nil).count
            let log = try await store.open().storedLog()
            XCTAssertEqual(log.entries.count, 2 + acked, "\(backEnd.dialect): two issue events and one per command, none twice")
            XCTAssertGreaterThan(killedMidway, moments / 4, "\(backEnd.dialect): most kills must land inside a run")
            print("\(backEnd.dialect): \(moments) kills (\(killedMidway) inside a run), \(acked) commands acknowledged, \(log.entries.count) events")
        }
    }
}

/// The loader's command stream (Tools/LedgerLoad), for retries from the test.
enum LoadStream {
    static let rules = VoucherTradingRules(rulebook: "jiangyin-eco-voucher load-test", effectiveFrom: CivilDate("2024-01-01"), effectiveTo: CivilDate("2099-12-31"),
                                           firstSalePeriodYears: 80, reissueNoticeDays: 30,
                                           minimumPrices: [.init(from: CivilDate("2024-01-01")!, fenPerUnit: 200_000)])
    static let holder = Actor("holder-load", .holder)
    static func at(_ i: Int) -> Instant { Instant.china(CivilDate("2026-03-01")!, 9).adding(milliseconds: Int64(i + 1) * 60_000) }
    static func command(_ i: Int) -> VoucherCommand {
        i % 2 == 0 ? .publishLossNotice(number: "LOAD-1", noticeDate: at(i).chinaDate, media: "江阴日报") : .withdrawLossNotice(number: "LOAD-1")
    }
}
