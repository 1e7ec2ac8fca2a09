import Foundation
import Plumbing
import Registry

/// What a command came to: the sequence numbers it appended (due transitions included) and its
/// refusal, if refused. Stored with the idempotency key: a retry gets the same answer.
public struct LedgerOutcome: Sendable, Equatable, Codable {
    public var appended: [UInt64]
    public var refusal: String?
    public var refusalZh: String?
    public var refusalEn: String?
    public var article: String?
    /// True when this answer was stored by an earlier request with the same key.
    public var replayed: Bool

    /// The answer to a key already used for another command (I7).
    public static let idempotencyMismatch = LedgerOutcome(appended: [], refusal: "REG.IDEMPOTENCY_MISMATCH", refusalZh: "同一幂等键已用于另一个命令",
                                                   refusalEn: "this idempotency key was used for another command", article: "—", replayed: true)
}

/// What `verify` found: the chain's damage, or a projection row that disagrees with the replay.
public enum LedgerFinding: Error, Sendable, Equatable, CustomStringConvertible {
    case chain(String)
    case projection(number: String, detail: String)
    public var description: String {
        switch self {
        case .chain(let d): return d
        case let .projection(n, d): return "[LEDGER.PROJECTION] voucher \(n): \(d)"
        }
    }
}

/// One row of the `vouchers` projection, the same on every back end (integers and text only).
public struct ProjectionRow: Sendable, Equatable, CustomStringConvertible {
    public var number: String, issuance: String, first: Int64, last: Int64, holder: String
    public var edition: Int64, reissued: Bool, state: String, firstSaleDeadlineMs: Int64, firstSaleDone: Bool

    public init(number: String, issuance: String, first: Int64, last: Int64, holder: String, edition: Int64, reissued: Bool,
                state: String, firstSaleDeadlineMs: Int64, firstSaleDone: Bool) {
        (self.number, self.issuance, self.first, self.last, self.holder) = (number, issuance, first, last, holder)
        (self.edition, self.reissued, self.state, self.firstSaleDeadlineMs, self.firstSaleDone) = (edition, reissued, state, firstSaleDeadlineMs, firstSaleDone)
    }

    public init(_ v: Voucher) {
        self.init(number: v.number, issuance: v.issuance, first: v.range.first, last: v.range.last, holder: v.holder, edition: Int64(v.edition),
                  reissued: v.reissued, state: Self.stateText(v.state), firstSaleDeadlineMs: v.firstSaleDeadline.milliseconds, firstSaleDone: v.firstSaleDone)
    }

    public var description: String {
        "(\(issuance) \(first)…\(last) holder \(holder) edition \(edition)\(reissued ? " 补发" : "") \(state), first sale by \(firstSaleDeadlineMs)\(firstSaleDone ? " done" : ""))"
    }

    /// A voucher's state as the projection stores it ("held", "surrendered GY-7 by alice", …).
    public static func stateText(_ s: Voucher.State) -> String {
        switch s {
        case .held: return "held"
        case let .pendingHolderChange(buyer, price, total, buyout):
            return "pending-holder-change to \(buyer) at \(price) fen/unit, \(total) fen\(buyout ? " (buyout at the minimum price, JY 27)" : "")"
        case let .surrendered(landRef, by): return "surrendered \(landRef) by \(by)"
        case .cancelled(let ref): return "cancelled \(ref)"
        case .lossNoticed(let d): return "loss-noticed \(d)"
        case .listed(let a):
            return "listed \(a.id) asking \(a.askingFenPerUnit) fen/unit, closes \(a.closes), \(a.bids.count) bids, \(a.bids.filter { $0.revealed != nil }.count) revealed"
        }
    }
}

/// The part of a ledger write both back ends share, between "the head is locked and the state
/// loaded" and "append these entries, write these rows": decide, apply, chain. Pure.
public enum LedgerStep {
    public struct Result: Sendable {
        public var entries: [EventLog.Entry]
        public var next: VoucherRegistry
        public var changedRows: [ProjectionRow]
        public var outcome: LedgerOutcome
        public var newHead: (seq: UInt64, hash: [UInt8])
    }

    /// Decides `command` on `state` (the registry as of the head `seq`, `hash`), applies its
    /// records (due transitions first) and chains them after the head.
    public static func run(_ command: VoucherCommand, by actor: Actor, at now: Instant, rules: VoucherTradingRules,
                           on state: VoucherRegistry, head: (seq: UInt64, hash: [UInt8])) -> Result {
        let decision = VoucherRules.decide(state, command, by: actor, at: now, rules: rules)
        var next = state
        for r in decision.records { VoucherRules.apply(r, to: &next) }
        let entries = EventLog.chain(decision.records, after: head.seq, head: head.hash)
        let changed = next.vouchers.filter { state.vouchers[$0.key] != $0.value }.map { ProjectionRow($0.value) }.sorted { $0.number < $1.number }
        let r = decision.refusal
        let outcome = LedgerOutcome(appended: entries.map(\.seq), refusal: r?.code, refusalZh: r?.message.zh, refusalEn: r?.message.en,
                                    article: r?.article, replayed: false)
        return Result(entries: entries, next: next, changedRows: changed, outcome: outcome,
                      newHead: (head.seq + UInt64(entries.count), entries.last?.hash ?? head.hash))
    }

    /// Checks a stored log against its stored head and the stored projection against the replay:
    /// the number of events verified, or the first thing wrong (naming the sequence number or voucher).
    public static func verify(log: EventLog, head: (seq: UInt64, hash: [UInt8]), rows: [ProjectionRow]) -> Swift.Result<Int, LedgerFinding> {
        let state: VoucherRegistry
        do {
            _ = try log.verify(expectedHead: head)
            guard UInt64(log.entries.count) == head.seq else {
                return .failure(.chain("[LEDGER.HEAD] the head names event \(head.seq), the log holds \(log.entries.count)"))
            }
            state = try log.replay()
        } catch let d as EventLog.Damage {
            return .failure(.chain(d.description))
        } catch {
            return .failure(.chain("[LEDGER.PAYLOAD] \(error)"))
        }
        var stored: [String: ProjectionRow] = [:]
        for r in rows { stored[r.number] = r }
        for number in Set(stored.keys).union(state.vouchers.keys).sorted() {
            guard let v = state.vouchers[number] else { return .failure(.projection(number: number, detail: "in the table, not in the replay")) }
            guard let row = stored[number] else { return .failure(.projection(number: number, detail: "in the replay, not in the table")) }
            let expected = ProjectionRow(v)
            guard row == expected else { return .failure(.projection(number: number, detail: "the row \(row) is not the replay's \(expected)")) }
        }
        return .success(log.entries.count)
    }
}

/// A ledger on some back end, as the conformance suite, the CLI and the service use it. Every
/// write runs under the one append lock (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: the head row
/// `FOR UPDATE`) and is acknowledged only once durable.
public protocol LedgerStore: Sendable {
    /// Runs one command: due transitions caught up, decided, appended, projected and its key
    /// recorded, all or nothing. `key`: the client's idempotency key (unique per actor).
    func run(_ command: VoucherCommand, by actor: Actor, key: String, at now: Instant, rules: VoucherTradingRules) async throws -> LedgerOutcome
    /// The registry as the stored projection's log replays it.
    func currentState() async throws -> VoucherRegistry
    /// The stored log, in sequence order.
    func storedLog() async throws -> EventLog
    /// The chain against its head and the projection against the replay.
    func check() async throws -> Swift.Result<Int, LedgerFinding>
}

/// Fault injection for the crash tests: with `ECOCREDIT_CRASH_AT` set to a point's name
/// ("after-insert", "after-projection", "after-commit"), the process kills itself with SIGKILL
/// there — inside the transaction, or after COMMIT before the reply — as a power cut would.
/// Unset (always, outside the tests), `reach` does nothing.
public enum CrashPoint {
    static let armed = ProcessInfo.processInfo.environment["ECOCREDIT_CRASH_AT"]
    public static func reach(_ name: String) {
        if armed == name { kill(getpid(), SIGKILL) }
    }
}
