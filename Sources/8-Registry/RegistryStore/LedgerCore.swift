import Crypto
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
    case projection(key: String, detail: String)
    /// The ledger was made for another registry ("jiangyin-eco-voucher" opened as Shanwei's).
    case domain(expected: String, found: String)
    public var description: String {
        switch self {
        case .chain(let d): return d
        case let .projection(k, d): return "[LEDGER.PROJECTION] \(k): \(d)"
        case let .domain(e, f): return "[LEDGER.DOMAIN] this ledger is a \(f) registry, not \(e)"
        }
    }
}

/// A ledger file that cannot be used as one: nothing is created or changed.
public enum LedgerFileError: CodedError, Sendable, Equatable {
    /// No file at the path (a reading command never makes an empty ledger for a mistyped path).
    case notFound(path: String)
    /// A file that is not an EcoCredit ledger: a folder, not SQLite, or SQLite without a
    /// ledger's tables (`detail` says which; SQLite's own words when it refused the file).
    case notALedger(path: String, detail: String)

    public var code: String {
        switch self {
        case .notFound: return "LEDGER.NOT_FOUND"
        case .notALedger: return "LEDGER.NOT_A_LEDGER"
        }
    }
    public var message: Bilingual {
        switch self {
        case .notFound(let p):
            return .init(zh: "“\(p)”：没有这个台账", en: "\(p): no such ledger")
        case let .notALedger(p, d):
            return .init(zh: "“\(p)”不是 EcoCredit 台账（未作任何改动）；原因见英文信息",
                         en: "\(p) is not an EcoCredit ledger (left unchanged): \(d)")
        }
    }
}

/// What a command tells about a ledger file without refusing anything (standard error), in the
/// same bilingual catalogue as the refusals. Never thrown.
public enum LedgerNotice: CodedError, Sendable, Equatable {
    /// A writing command made a new, empty ledger of `registry` at `path`, where there was none:
    /// a mistyped path for `issue-prepare` starts a new ledger, and the officer should see it.
    case created(path: String, registry: String)

    public var code: String { "LEDGER.CREATED" }
    public var message: Bilingual {
        switch self {
        case let .created(p, r):
            return .init(zh: "已在“\(p)”新建空的 \(r) 台账（此处原无台账；如要使用已有台账，请核对路径）",
                         en: "a new, empty \(r) ledger was made at \(p) (there was none; if you meant an existing ledger, check the path)")
        }
    }
}

/// The part of a ledger write every back end shares, between "the head is locked and the state
/// loaded" and "append these entries, write these rows": decide, apply, chain. Pure.
public enum LedgerStep<D: RegistryDomain> {
    public struct Result: Sendable {
        public var entries: [EventLog.Entry]
        public var next: D.State
        /// The projection rows that changed: key → canonical row text (nil: removed).
        public var changedRows: [(key: String, row: String?)]
        public var outcome: LedgerOutcome
        public var newHead: (seq: UInt64, hash: [UInt8])
    }

    /// Decides `command` on `state` (the registry as of the head `seq`, `hash`), applies its
    /// records (due transitions first) and chains them after the head.
    public static func run(_ command: D.Command, by actor: Actor, at now: Instant, rules: D.Rules,
                           on state: D.State, head: (seq: UInt64, hash: [UInt8])) -> Result {
        let decision = D.decide(state, command, by: actor, at: now, rules: rules)
        var next = state
        for r in decision.records { D.apply(r, to: &next) }
        let entries = EventLog.chain(decision.records, after: head.seq, head: head.hash)
        let keys = Set(decision.records.flatMap { D.keys(of: $0, in: next) }).sorted()
        let changed = keys.compactMap { k -> (key: String, row: String?)? in
            let new = D.row(k, in: next)
            return new == D.row(k, in: state) ? nil : (k, new)
        }
        let r = decision.refusal
        let outcome = LedgerOutcome(appended: entries.map(\.seq), refusal: r?.code, refusalZh: r?.message.zh, refusalEn: r?.message.en,
                                    article: r?.article, replayed: false)
        return Result(entries: entries, next: next, changedRows: changed, outcome: outcome,
                      newHead: (head.seq + UInt64(entries.count), entries.last?.hash ?? head.hash))
    }

    /// Lower-case hexadecimal SHA-256.
    public static func sha256(_ bytes: [UInt8]) -> String { hexadecimal(SHA256.hash(data: bytes)) }

    /// What is wrong with a stored blob: bytes that no longer hash to the name they are stored by.
    public static func blobDamage(name: String, bytes: [UInt8]) -> String? {
        sha256(bytes) == name ? nil : "[LEDGER.BLOB] the stored file \(name.prefix(16))… no longer hashes to its name (its SHA-256 is \(sha256(bytes).prefix(16))…)"
    }

    /// Checks a stored log against its stored head and the stored projection against the replay:
    /// the number of events verified, or the first thing wrong (naming the sequence number or key).
    public static func verify(log: EventLog, head: (seq: UInt64, hash: [UInt8]), rows: [String: String],
                              checkpoints: [Checkpoint] = []) -> Swift.Result<Int, LedgerFinding> {
        // Signed checkpoints first: a log truncated or rewritten consistently (head included) is
        // found only against what was signed and published.
        for c in checkpoints.sorted(by: { $0.seq > $1.seq }) {
            if let d = c.damage(in: log, registry: D.name) { return .failure(.chain(d)) }
        }
        let state: D.State
        do {
            _ = try log.verify(D.Record.self, expectedHead: head)
            guard UInt64(log.entries.count) == head.seq else {
                return .failure(.chain("[LEDGER.HEAD] the head names event \(head.seq), the log holds \(log.entries.count)"))
            }
            state = try log.replay(D.self)
        } catch let d as EventLog.Damage {
            return .failure(.chain(d.description))
        } catch {
            return .failure(.chain("[LEDGER.PAYLOAD] \(error)"))
        }
        let replayed = D.keys(of: state)
        for key in Set(rows.keys).union(replayed).sorted() {
            guard let expected = D.row(key, in: state) else { return .failure(.projection(key: key, detail: "in the table, not in the replay")) }
            guard let row = rows[key] else { return .failure(.projection(key: key, detail: "in the replay, not in the table")) }
            guard row == expected else { return .failure(.projection(key: key, detail: "the row \(row) is not the replay's \(expected)")) }
        }
        return .success(log.entries.count)
    }
}

/// A registry's state with the chain head it was replayed to.
public struct LedgerSnapshot<State: Sendable & Equatable>: Sendable, Equatable {
    /// The head's sequence number (0: empty) and hash (32 zero bytes when empty).
    public var seq: UInt64
    public var hash: [UInt8]
    public var state: State
    public init(seq: UInt64, hash: [UInt8], state: State) { (self.seq, self.hash, self.state) = (seq, hash, state) }
}

/// A ledger of one registry on some back end, as the conformance suite, the CLI and the service
/// use it. Every write runs under the one append lock (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: the
/// head row `FOR UPDATE`) and is acknowledged only once durable.
public protocol LedgerStore<Domain>: Sendable {
    associatedtype Domain: RegistryDomain
    /// Runs one command: due transitions caught up, decided, appended, projected and its key
    /// recorded, all or nothing. `key`: the client's idempotency key (unique per actor).
    func run(_ command: Domain.Command, by actor: Actor, key: String, at now: Instant, rules: Domain.Rules) async throws -> LedgerOutcome
    /// The registry the stored log replays to.
    func currentState() async throws -> Domain.State
    /// The registry and the head it replays to, read together (readers of the register: a
    /// back end keeps the last replay and replays again only when the head moved).
    func snapshot() async throws -> LedgerSnapshot<Domain.State>
    /// The chain's head: the last sequence number and its hash (0 and 32 zero bytes when empty).
    func currentHead() async throws -> (seq: UInt64, hash: [UInt8])
    /// The stored log, in sequence order.
    func storedLog() async throws -> EventLog
    /// The chain against its head and its signed checkpoints, and the projection against the replay.
    func check() async throws -> Swift.Result<Int, LedgerFinding>
    /// Signs the current head with the bureau's key and stores the checkpoint (published on the register).
    func checkpoint(signingWith key: CheckpointKey, at now: Instant) async throws -> Checkpoint
    /// The checkpoints stored, oldest first.
    func storedCheckpoints() async throws -> [Checkpoint]
    /// Stores bytes (a bundle, a rulebook file) under their SHA-256, once; returns the name.
    func store(blob bytes: [UInt8]) async throws -> String
    /// The bytes stored under a SHA-256, if any.
    func storedBlob(_ sha256: String) async throws -> [UInt8]?
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
