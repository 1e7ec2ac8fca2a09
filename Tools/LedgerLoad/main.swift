// `ecocredit-ledger-load (--sqlite PATH | --postgres URL) [--from I] [--count N] [--quiet]`
//
// Drives a ledger with a deterministic stream of commands and prints `ack KEY SEQ…` (flushed)
// after each acknowledged one, then the rate. Two users:
// - the crash test (RegistryTests/LedgerCrashTests) kills it with SIGKILL at random moments and
//   checks that every acknowledged command is present and a retry of its key is applied once;
// - `make bench`, for commands per second on each back end (the design's target: ≥ 200 on 2 cores).
// Command i (key `load-i`) is fixed by i alone: voucher LOAD-1 (issued on first use by two
// officers) gets a loss notice when i is even and its withdrawal when i is odd, one minute apart,
// so a run restarted at any `--from` continues the same history.
import Foundation
import Plumbing
import Registry
import RegistryStore
import RegistryPostgres

let args = CommandLine.arguments
func option(_ name: String) -> String? { args.firstIndex(of: name).flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil } }
func fail(_ message: String) -> Never { FileHandle.standardError.write(Data((message + "\n").utf8)); exit(64) }

let from = Int(option("--from") ?? "0") ?? 0, count = Int(option("--count") ?? "1000") ?? 1000
let quiet = args.contains("--quiet")
let rules = VoucherTradingRules(rulebook: "jiangyin-eco-voucher load-test", effectiveFrom: CivilDate("2024-01-01"), effectiveTo: CivilDate("2099-12-31"),
                                firstSalePeriodYears: 80, reissueNoticeDays: 30,
                                minimumPrices: [.init(from: CivilDate("2024-01-01")!, fenPerUnit: 200_000)])
let officer = Actor("off-load", .officer), approver = Actor("chk-load", .approver), holder = Actor("holder-load", .holder)
let start = Instant.china(CivilDate("2026-03-01")!, 9)

func open() async throws -> any LedgerStore<JiangyinVouchers> {
    if let path = option("--sqlite") { return try VoucherLedger(path: path) }
    if let url = option("--postgres") {
        guard let location = PostgresLocation(url: url) else { fail("not a postgres:// URL: \(url)") }
        return try await PostgresLedger<JiangyinVouchers>.open(location)
    }
    fail("usage: ecocredit-ledger-load (--sqlite PATH | --postgres URL) [--from I] [--count N] [--quiet]")
}

let ledger = try await open()
let source = IssueSource(job: "load", bundleSHA256: String(repeating: "0", count: 64), rulebook: rules.rulebook, quantity: 10_000, issuable: true, reasons: [])
_ = try await ledger.run(.prepareIssue(number: "LOAD-1", holder: holder.id, landRightsHolder: "v", source: source), by: officer, key: "load-prepare", at: start, rules: rules)
_ = try await ledger.run(.approveIssue(number: "LOAD-1"), by: approver, key: "load-approve", at: start, rules: rules)
let t0 = Date()
for i in from ..< from + count {
    let at = start.adding(milliseconds: Int64(i + 1) * 60_000)
    let command: VoucherCommand = i % 2 == 0 ? .publishLossNotice(number: "LOAD-1", noticeDate: at.chinaDate, media: "江阴日报") : .withdrawLossNotice(number: "LOAD-1")
    let outcome = try await ledger.run(command, by: holder, key: "load-\(i)", at: at, rules: rules)
    if let refusal = outcome.refusal { fail("load-\(i) refused: \(refusal) \(outcome.refusalEn ?? "")") }
    if !quiet { FileHandle.standardOutput.write(Data("ack load-\(i) \(outcome.appended.map(String.init).joined(separator: " "))\n".utf8)) }
}
let seconds = Date().timeIntervalSince(t0)
print("\(count) commands in \(fixed(seconds, 3)) s: \(fixed(Double(count) / max(seconds, 1e-9), 0)) commands/s")
