import Crypto
import Foundation
import GRDB
import Plumbing
import Registry

/// A registry stored in SQLite (GRDB): the hash-chained events, the chain head, the
/// commands already answered (idempotency keys) and the projection (one row per aggregate), changed together
/// in one `BEGIN IMMEDIATE` transaction — SQLite's write lock is the one append lock, so the
/// chain cannot fork however many processes write. `synchronous = FULL`: a command acknowledged
/// is on disk. Triggers refuse UPDATE and DELETE on events.
///
/// Each command replays the log to decide on the current state (the registry's load is dozens
/// of commands a day); the projection table is what readers and `verify` compare with the replay.
///
/// `@unchecked Sendable`: the mutable member `cache` is read and written only inside GRDB's
/// serial writer (`writeWithoutTransaction`), one closure at a time; `snapshotCache` is locked.
public final class SQLiteLedger<D: RegistryDomain>: @unchecked Sendable {
    let db: DatabaseQueue
    public let path: String
    /// The registry as of the head (seq, hash) it was replayed to: a command whose transaction
    /// finds the same head uses it instead of replaying the log again (another process's append
    /// moves the head, and the next command replays).
    private var cache: (seq: Int64, hash: Data, state: D.State)?
    /// The readers' last replay (`snapshot()`), kept while the head does not move.
    private let snapshotCache = Locked<LedgerSnapshot<D.State>?>(nil)

    /// Opens the ledger at `path`, creating it when nothing (or an empty file) is there. A file
    /// that is there must be a ledger: the ledger's tables are never added to another SQLite
    /// database, or to anything else (`LedgerFileError.notALedger`).
    /// `durable: false` (tests of logic only) leaves fsync to the OS (`synchronous = OFF`); the
    /// default, and every program, uses `FULL`: a command acknowledged is on disk.
    public convenience init(path: String, durable: Bool = true) throws {
        if !LedgerFiles.notYetMade(path) { _ = try LedgerFiles.domain(at: path) }
        try self.init(opening: path, durable: durable)
    }

    /// Opens a ledger that is already there (reading commands): a mistyped path is
    /// `LedgerFileError.notFound` and an empty file `.notALedger`, never a new, empty ledger.
    public convenience init(existing path: String, durable: Bool = true) throws {
        guard try LedgerFiles.domain(at: path) != nil else { throw LedgerFileError.notALedger(path: path, detail: "an empty file") }
        try self.init(opening: path, durable: durable)
    }

    /// Opens `path` as this registry's ledger, making its tables when they are not there (the
    /// public initialisers have checked what the file is).
    private init(opening path: String, durable: Bool) throws {
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.prepareDatabase { db in
            try db.execute(sql: durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = OFF")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        self.path = path
        db = try DatabaseQueue(path: path, configuration: config)
        try Self.migrator.migrate(db)
        // The registry this ledger keeps: set by whoever made it, refused to any other domain.
        let kind = try db.write { db -> String in
            try db.execute(sql: "INSERT OR IGNORE INTO ledger_info(id, domain) VALUES (1, ?)", arguments: [D.name])
            return try String.fetchOne(db, sql: "SELECT domain FROM ledger_info WHERE id = 1")!
        }
        guard kind == D.name else { throw LedgerFinding.domain(expected: D.name, found: kind) }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("ledger-v1") { db in
            try db.execute(sql: """
                CREATE TABLE events(seq INTEGER PRIMARY KEY, type TEXT NOT NULL, payload BLOB NOT NULL, prev BLOB NOT NULL, hash BLOB NOT NULL);
                CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'REG.APPEND_ONLY: events are never changed'); END;
                CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'REG.APPEND_ONLY: events are never deleted'); END;
                CREATE TABLE ledger_head(id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash BLOB NOT NULL);
                INSERT INTO ledger_head VALUES (1, 0, zeroblob(32));
                CREATE TABLE commands(actor TEXT NOT NULL, key TEXT NOT NULL, request BLOB NOT NULL, outcome TEXT NOT NULL, PRIMARY KEY (actor, key));
                CREATE TABLE projection(key TEXT PRIMARY KEY, row TEXT NOT NULL);
                CREATE TABLE ledger_info(id INTEGER PRIMARY KEY CHECK (id = 1), domain TEXT NOT NULL);
                CREATE TABLE checkpoints(seq INTEGER NOT NULL, body TEXT NOT NULL);
                CREATE TABLE blobs(sha256 TEXT PRIMARY KEY, bytes BLOB NOT NULL);
                CREATE TRIGGER blobs_append_only_update BEFORE UPDATE ON blobs BEGIN SELECT RAISE(ABORT, 'REG.APPEND_ONLY: stored bundles are never changed'); END;
                CREATE TRIGGER blobs_append_only_delete BEFORE DELETE ON blobs BEGIN SELECT RAISE(ABORT, 'REG.APPEND_ONLY: stored bundles are never deleted'); END;
                CREATE TRIGGER checkpoints_append_only_update BEFORE UPDATE ON checkpoints BEGIN SELECT RAISE(ABORT, 'REG.APPEND_ONLY: checkpoints are never changed'); END;
                CREATE TRIGGER checkpoints_append_only_delete BEFORE DELETE ON checkpoints BEGIN SELECT RAISE(ABORT, 'REG.APPEND_ONLY: checkpoints are never deleted'); END;
                """)
        }
        return m
    }

    public typealias Outcome = LedgerOutcome

    /// Runs one command under the append lock: catches the voucher's due transitions up, decides,
    /// appends, updates the projection, records the idempotency key — all or nothing. `key`: the
    /// client's idempotency key; the same key with the same command returns the first answer, with
    /// another command `REG.IDEMPOTENCY_MISMATCH`.
    public func execute(_ command: D.Command, by actor: Actor, key: String, at now: Instant, rules: D.Rules) throws -> Outcome {
        let request = try EventLog.canonicalJSON(command)
        return try db.writeWithoutTransaction { db in
            var outcome: Outcome! = nil
            var pending: (seq: Int64, hash: Data, state: D.State)? = nil
            try db.inTransaction(.immediate) {
                if let row = try Row.fetchOne(db, sql: "SELECT request, outcome FROM commands WHERE actor = ? AND key = ?", arguments: [actor.id, key]) {
                    guard (row["request"] as Data) == request else { outcome = .idempotencyMismatch; return .rollback }
                    outcome = try JSONDecoder().decode(Outcome.self, from: Data((row["outcome"] as String).utf8))
                    outcome.replayed = true
                    return .rollback
                }
                let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM ledger_head WHERE id = 1")!
                let headSeq: Int64 = head["seq"], headHash: Data = head["hash"]
                let state: D.State
                if let c = cache, c.seq == headSeq, c.hash == headHash { state = c.state } else { state = try Self.load(db).state }
                let step = LedgerStep<D>.run(command, by: actor, at: now, rules: rules, on: state, head: (UInt64(headSeq), [UInt8](headHash)))
                for e in step.entries {
                    try db.execute(sql: "INSERT INTO events(seq, type, payload, prev, hash) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [Int64(e.seq), e.type, Data(e.payload), Data(e.prev), Data(e.hash)])
                }
                CrashPoint.reach("after-insert")
                let newSeq = Int64(step.newHead.seq), newHash = Data(step.newHead.hash)
                try db.execute(sql: "UPDATE ledger_head SET seq = ?, hash = ? WHERE id = 1", arguments: [newSeq, newHash])
                for (key, row) in step.changedRows { try Self.project(db, key, row) }
                CrashPoint.reach("after-projection")
                pending = (newSeq, newHash, step.next)
                outcome = step.outcome
                let stored = String(decoding: try EventLog.canonicalJSON(outcome), as: UTF8.self)
                try db.execute(sql: "INSERT INTO commands(actor, key, request, outcome) VALUES (?, ?, ?, ?)", arguments: [actor.id, key, request, stored])
                return .commit
            }
            if let pending {   // committed: the state as of the new head
                cache = pending
                CrashPoint.reach("after-commit")
            }
            return outcome
        }
    }

    /// The chain's head: the last sequence number and its hash (0 and 32 zero bytes when empty).
    public func head() throws -> (seq: UInt64, hash: [UInt8]) {
        try db.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM ledger_head WHERE id = 1")!
            return (UInt64(row["seq"] as Int64), [UInt8](row["hash"] as Data))
        }
    }

    /// The registry and its head read in one transaction; the last replay is kept and reused
    /// while the head has not moved (the register's readers replay once per append, not per read).
    public func readSnapshot() throws -> LedgerSnapshot<D.State> {
        try db.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM ledger_head WHERE id = 1")!
            let seq = UInt64(row["seq"] as Int64), hash = [UInt8](row["hash"] as Data)
            if let c = snapshotCache.value, c.seq == seq, c.hash == hash { return c }
            let s = LedgerSnapshot(seq: seq, hash: hash, state: try Self.load(db).state)
            snapshotCache.value = s
            return s
        }
    }

    /// The registry as the stored projection holds it (readers).
    public func state() throws -> D.State { try db.read { try Self.load($0).state } }

    /// The stored log (auditors, export).
    public func log() throws -> EventLog { try db.read { try Self.load($0, replay: false).log } }

    /// Reads the log and replays it.
    static func load(_ db: Database, replay: Bool = true) throws -> (log: EventLog, state: D.State) {
        let rows = try Row.fetchAll(db, sql: "SELECT seq, type, payload, prev, hash FROM events ORDER BY seq")
        let log = EventLog(entries: rows.map { r in
            EventLog.Entry(seq: UInt64(r["seq"] as Int64), type: r["type"], payload: [UInt8](r["payload"] as Data),
                           prev: [UInt8](r["prev"] as Data), hash: [UInt8](r["hash"] as Data))
        })
        return (log, replay ? try log.replay(D.self) : D.initial())
    }

    /// Writes (or removes) one projection row.
    static func project(_ db: Database, _ key: String, _ row: String?) throws {
        if let row {
            try db.execute(sql: "INSERT INTO projection(key, row) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET row = excluded.row", arguments: [key, row])
        } else {
            try db.execute(sql: "DELETE FROM projection WHERE key = ?", arguments: [key])
        }
    }

    public typealias Finding = LedgerFinding

    /// Checks the chain against the stored head and every projection row against the replay.
    /// Returns the number of events verified, or what is wrong (the first sequence number).
    public func verify() throws -> Result<Int, Finding> {
        try db.read { db in
            let (log, _) = try Self.load(db, replay: false)
            let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM ledger_head WHERE id = 1")!
            var rows: [String: String] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT key, row FROM projection") { rows[r["key"]] = r["row"] }
            // Every stored bundle and rulebook still hashes to the name it is stored (and referenced) by.
            let blobs = try Row.fetchCursor(db, sql: "SELECT sha256, bytes FROM blobs ORDER BY sha256")
            while let b = try blobs.next() {
                if let d = LedgerStep<D>.blobDamage(name: b["sha256"], bytes: [UInt8](b["bytes"] as Data)) { return .failure(.chain(d)) }
            }
            return LedgerStep<D>.verify(log: log, head: (UInt64(head["seq"] as Int64), [UInt8](head["hash"] as Data)), rows: rows,
                                        checkpoints: try Self.checkpoints(db))
        }
    }
}

extension SQLiteLedger {
    /// Signs the head as it stands and stores the checkpoint (under the append lock, so the head
    /// signed is the head stored).
    public func addCheckpoint(signingWith key: CheckpointKey, at now: Instant) throws -> Checkpoint {
        try db.write { db in
            let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM ledger_head WHERE id = 1")!
            let c = try Checkpoint.sign(registry: D.name, seq: UInt64(head["seq"] as Int64), hash: [UInt8](head["hash"] as Data), at: now, with: key)
            try db.execute(sql: "INSERT INTO checkpoints(seq, body) VALUES (?, ?)", arguments: [Int64(c.seq), String(decoding: try EventLog.canonicalJSON(c), as: UTF8.self)])
            return c
        }
    }
    public func checkpoints() throws -> [Checkpoint] { try db.read { try Self.checkpoints($0) } }

    /// Stores bytes (a bundle, a rulebook file) under their SHA-256, once; returns the name.
    /// Never deleted: a quantity's recomputation needs them (I10).
    @discardableResult
    public func storeBlob(_ bytes: [UInt8]) throws -> String {
        let sha = LedgerStep<D>.sha256(bytes)
        try db.write { try $0.execute(sql: "INSERT OR IGNORE INTO blobs(sha256, bytes) VALUES (?, ?)", arguments: [sha, Data(bytes)]) }
        return sha
    }
    /// The bytes stored under `sha256`, if any.
    public func blob(_ sha256: String) throws -> [UInt8]? {
        try db.read { db in try Data.fetchOne(db, sql: "SELECT bytes FROM blobs WHERE sha256 = ?", arguments: [sha256]).map { [UInt8]($0) } }
    }
    static func checkpoints(_ db: Database) throws -> [Checkpoint] {
        try String.fetchAll(db, sql: "SELECT body FROM checkpoints ORDER BY rowid").map { try JSONDecoder().decode(Checkpoint.self, from: Data($0.utf8)) }
    }
}

extension SQLiteLedger: LedgerStore {
    public func checkpoint(signingWith key: CheckpointKey, at now: Instant) async throws -> Checkpoint { try addCheckpoint(signingWith: key, at: now) }
    public func storedCheckpoints() async throws -> [Checkpoint] { try checkpoints() }
    public func store(blob bytes: [UInt8]) async throws -> String { try storeBlob(bytes) }
    public func storedBlob(_ sha256: String) async throws -> [UInt8]? { try blob(sha256) }
    public typealias Domain = D
    public func run(_ command: D.Command, by actor: Actor, key: String, at now: Instant, rules: D.Rules) async throws -> LedgerOutcome {
        try execute(command, by: actor, key: key, at: now, rules: rules)
    }
    public func currentState() async throws -> D.State { try state() }
    public func snapshot() async throws -> LedgerSnapshot<D.State> { try readSnapshot() }
    public func currentHead() async throws -> (seq: UInt64, hash: [UInt8]) { try head() }
    public func storedLog() async throws -> EventLog { try log() }
    public func check() async throws -> Result<Int, LedgerFinding> { try verify() }
}

/// The Jiangyin voucher registry in SQLite.
public typealias VoucherLedger = SQLiteLedger<JiangyinVouchers>

/// What a ledger file is, read without changing it.
public enum LedgerFiles {
    /// Whether no ledger has been made at `path` yet: nothing is there, or an empty regular file
    /// (what `mktemp` makes). Anything else is for `domain(at:)` to judge.
    public static func notYetMade(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return true }
        return !isFolder.boolValue && ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) == 0
    }

    /// The registry the ledger at `path` keeps (`ledger_info.domain`, e.g. "jiangyin-eco-voucher"),
    /// or nil for an empty file (a ledger not yet made). Throws `LedgerFileError` unless `path` is
    /// a regular file holding an SQLite database with a ledger's tables. Only reads it.
    public static func domain(at path: String) throws -> String? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw LedgerFileError.notFound(path: path) }
        guard !isFolder.boolValue else { throw LedgerFileError.notALedger(path: path, detail: "a folder") }
        if notYetMade(path) { return nil }
        // Not `readonly`: a writer killed mid-commit leaves a hot journal that the next opener
        // must roll back, which a read-only connection refuses ("attempt to write a readonly
        // database"). Only reads are made; the file exists (checked above), so nothing is created.
        var config = Configuration()
        config.busyMode = .timeout(30)   // as every writer waits: another process may be committing
        let found: (tables: Bool, domain: String?)
        do {
            let q = try DatabaseQueue(path: path, configuration: config)
            found = try q.read { db in
                let tables = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ledger_info')") ?? false
                return (tables, tables ? try String.fetchOne(db, sql: "SELECT domain FROM ledger_info WHERE id = 1") : nil)
            }
            try q.close()
        } catch {
            throw LedgerFileError.notALedger(path: path, detail: (error as? DatabaseError)?.message ?? "\(error)")
        }
        guard found.tables else { throw LedgerFileError.notALedger(path: path, detail: "an SQLite database without a ledger's tables") }
        return found.domain
    }
}
