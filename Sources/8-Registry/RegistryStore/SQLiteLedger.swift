import Foundation
import GRDB
import Plumbing
import Registry

/// The voucher registry stored in SQLite (GRDB): the hash-chained events, the chain head, the
/// commands already answered (idempotency keys) and the projection of vouchers, changed together
/// in one `BEGIN IMMEDIATE` transaction — SQLite's write lock is the one append lock, so the
/// chain cannot fork however many processes write. `synchronous = FULL`: a command acknowledged
/// is on disk. Triggers refuse UPDATE and DELETE on events.
///
/// Each command replays the log to decide on the current state (the registry's load is dozens
/// of commands a day); the projection table is what readers and `verify` compare with the replay.
public final class SQLiteLedger {
    let db: DatabaseQueue
    public let path: String
    /// The registry as of the head (seq, hash) it was replayed to: a command whose transaction
    /// finds the same head uses it instead of replaying the log again (another process's append
    /// moves the head, and the next command replays).
    private var cache: (seq: Int64, hash: Data, state: VoucherRegistry)?

    /// Opens (creating when absent) the ledger at `path`.
    public init(path: String) throws {
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        self.path = path
        db = try DatabaseQueue(path: path, configuration: config)
        try Self.migrator.migrate(db)
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("vouchers-v1") { db in
            try db.execute(sql: """
                CREATE TABLE events(seq INTEGER PRIMARY KEY, type TEXT NOT NULL, payload BLOB NOT NULL, prev BLOB NOT NULL, hash BLOB NOT NULL);
                CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'REG.APPEND_ONLY: events are never changed'); END;
                CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'REG.APPEND_ONLY: events are never deleted'); END;
                CREATE TABLE ledger_head(id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash BLOB NOT NULL);
                INSERT INTO ledger_head VALUES (1, 0, zeroblob(32));
                CREATE TABLE commands(actor TEXT NOT NULL, key TEXT NOT NULL, request BLOB NOT NULL, outcome TEXT NOT NULL, PRIMARY KEY (actor, key));
                CREATE TABLE vouchers(number TEXT PRIMARY KEY, issuance TEXT NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL,
                                      holder TEXT NOT NULL, edition INTEGER NOT NULL, reissued INTEGER NOT NULL, state TEXT NOT NULL,
                                      first_sale_deadline INTEGER NOT NULL, first_sale_done INTEGER NOT NULL);
                """)
        }
        return m
    }

    /// What a command came to: the sequence numbers it appended (due transitions included) and
    /// its refusal, if refused. Stored with the idempotency key: a retry gets the same answer.
    public struct Outcome: Sendable, Equatable, Codable {
        public var appended: [UInt64]
        public var refusal: String?
        public var refusalZh: String?
        public var refusalEn: String?
        public var article: String?
        /// True when this answer was stored by an earlier request with the same key.
        public var replayed: Bool
    }

    /// Runs one command under the append lock: catches the voucher's due transitions up, decides,
    /// appends, updates the projection, records the idempotency key — all or nothing. `key`: the
    /// client's idempotency key; the same key with the same command returns the first answer, with
    /// another command `REG.IDEMPOTENCY_MISMATCH`.
    public func execute(_ command: VoucherCommand, by actor: Actor, key: String, at now: Instant, rules: VoucherTradingRules) throws -> Outcome {
        let request = try EventLog.canonicalJSON(command)
        return try db.writeWithoutTransaction { db in
            var outcome: Outcome! = nil
            var pending: (seq: Int64, hash: Data, state: VoucherRegistry)? = nil
            try db.inTransaction(.immediate) {
                if let row = try Row.fetchOne(db, sql: "SELECT request, outcome FROM commands WHERE actor = ? AND key = ?", arguments: [actor.id, key]) {
                    guard (row["request"] as Data) == request else {
                        outcome = Outcome(appended: [], refusal: "REG.IDEMPOTENCY_MISMATCH", refusalZh: "同一幂等键已用于另一个命令",
                                          refusalEn: "this idempotency key was used for another command", article: "—", replayed: true)
                        return .rollback
                    }
                    outcome = try JSONDecoder().decode(Outcome.self, from: Data((row["outcome"] as String).utf8))
                    outcome.replayed = true
                    return .rollback
                }
                let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM ledger_head WHERE id = 1")!
                let headSeq: Int64 = head["seq"], headHash: Data = head["hash"]
                let state: VoucherRegistry
                if let c = cache, c.seq == headSeq, c.hash == headHash { state = c.state } else { state = try Self.load(db).state }
                let decision = VoucherRules.decide(state, command, by: actor, at: now, rules: rules)
                var next = state
                for r in decision.records { VoucherRules.apply(r, to: &next) }
                let new = EventLog.chain(decision.records, after: UInt64(headSeq), head: [UInt8](headHash))
                for e in new {
                    try db.execute(sql: "INSERT INTO events(seq, type, payload, prev, hash) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [Int64(e.seq), e.type, Data(e.payload), Data(e.prev), Data(e.hash)])
                }
                CrashPoint.reach("after-insert")
                let newSeq = headSeq + Int64(new.count), newHash = new.last.map { Data($0.hash) } ?? headHash
                try db.execute(sql: "UPDATE ledger_head SET seq = ?, hash = ? WHERE id = 1", arguments: [newSeq, newHash])
                try Self.project(db, from: state, to: next)
                CrashPoint.reach("after-projection")
                pending = (newSeq, newHash, next)
                let r = decision.refusal
                outcome = Outcome(appended: new.map(\.seq), refusal: r?.code, refusalZh: r?.message.zh, refusalEn: r?.message.en, article: r?.article, replayed: false)
                let stored = String(decoding: try EventLog.canonicalJSON(outcome), as: UTF8.self)
                try db.execute(sql: "INSERT INTO commands(actor, key, request, outcome) VALUES (?, ?, ?, ?)", arguments: [actor.id, key, request, stored])
                return .commit
            }
            if let pending { cache = pending }   // committed: the state as of the new head
            CrashPoint.reach("after-commit")
            return outcome
        }
    }

    /// The registry as the stored projection holds it (readers).
    public func state() throws -> VoucherRegistry { try db.read { try Self.load($0).state } }

    /// The stored log (auditors, export).
    public func log() throws -> EventLog { try db.read { try Self.load($0, replay: false).log } }

    /// Reads the log and replays it.
    static func load(_ db: Database, replay: Bool = true) throws -> (log: EventLog, state: VoucherRegistry) {
        let rows = try Row.fetchAll(db, sql: "SELECT seq, type, payload, prev, hash FROM events ORDER BY seq")
        let log = EventLog(entries: rows.map { r in
            EventLog.Entry(seq: UInt64(r["seq"] as Int64), type: r["type"], payload: [UInt8](r["payload"] as Data),
                           prev: [UInt8](r["prev"] as Data), hash: [UInt8](r["hash"] as Data))
        })
        return (log, replay ? try log.replay() : VoucherRegistry())
    }

    /// Rewrites the projection rows of the vouchers that changed.
    static func project(_ db: Database, from old: VoucherRegistry, to new: VoucherRegistry) throws {
        for (number, v) in new.vouchers where old.vouchers[number] != v {
            try db.execute(sql: """
                INSERT INTO vouchers(number, issuance, first, last, holder, edition, reissued, state, first_sale_deadline, first_sale_done)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(number) DO UPDATE SET issuance = excluded.issuance, first = excluded.first, last = excluded.last, holder = excluded.holder,
                  edition = excluded.edition, reissued = excluded.reissued, state = excluded.state,
                  first_sale_deadline = excluded.first_sale_deadline, first_sale_done = excluded.first_sale_done
                """, arguments: StatementArguments(projectionRow(v)))
        }
    }

    static func projectionRow(_ v: Voucher) -> [DatabaseValue] {
        [v.number.databaseValue, v.issuance.databaseValue, v.range.first.databaseValue, v.range.last.databaseValue, v.holder.databaseValue,
         v.edition.databaseValue, (v.reissued ? 1 : 0).databaseValue, stateText(v.state).databaseValue,
         v.firstSaleDeadline.milliseconds.databaseValue, (v.firstSaleDone ? 1 : 0).databaseValue]
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

    /// What `verify` found: the chain's damage, or a projection row that disagrees with the replay.
    public enum Finding: Error, Sendable, Equatable, CustomStringConvertible {
        case chain(String)
        case projection(number: String, detail: String)
        public var description: String {
            switch self {
            case .chain(let d): return d
            case let .projection(n, d): return "[LEDGER.PROJECTION] voucher \(n): \(d)"
            }
        }
    }

    /// Checks the chain against the stored head and every projection row against the replay.
    /// Returns the number of events verified, or what is wrong (the first sequence number).
    public func verify() throws -> Result<Int, Finding> {
        try db.read { db in
            let (log, _) = try Self.load(db, replay: false)
            let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM ledger_head WHERE id = 1")!
            let state: VoucherRegistry
            do {
                _ = try log.verify(expectedHead: (seq: UInt64(head["seq"] as Int64), hash: [UInt8](head["hash"] as Data)))
                guard UInt64(log.entries.count) == UInt64(head["seq"] as Int64) else {
                    return .failure(.chain("[LEDGER.HEAD] the head names event \(head["seq"] as Int64), the log holds \(log.entries.count)"))
                }
                state = try log.replay()
            } catch let d as EventLog.Damage {
                return .failure(.chain(d.description))
            }
            var stored: [String: [DatabaseValue]] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT number, issuance, first, last, holder, edition, reissued, state, first_sale_deadline, first_sale_done FROM vouchers") {
                stored[r["number"]] = Array(r.databaseValues)
            }
            for number in Set(stored.keys).union(state.vouchers.keys).sorted() {
                guard let v = state.vouchers[number] else { return .failure(.projection(number: number, detail: "in the table, not in the replay")) }
                guard let row = stored[number] else { return .failure(.projection(number: number, detail: "in the replay, not in the table")) }
                let expected = Self.projectionRow(v)
                guard row == expected else { return .failure(.projection(number: number, detail: "the row \(row) is not the replay's \(expected)")) }
            }
            return .success(log.entries.count)
        }
    }
}

/// Fault injection for the crash tests: with `ECOCREDIT_CRASH_AT` set to a point's name
/// ("after-insert", "after-projection", "after-commit"), the process kills itself with SIGKILL
/// there — inside the transaction, or after COMMIT before the reply — as a power cut would.
/// Unset (always, outside the tests), `reach` does nothing.
enum CrashPoint {
    static let armed = ProcessInfo.processInfo.environment["ECOCREDIT_CRASH_AT"]
    static func reach(_ name: String) {
        if armed == name { kill(getpid(), SIGKILL) }
    }
}
