import Foundation
import GRDB
import Registry

/// The service's rows in SQLite (`service.sqlite` in the data folder; GRDB, WAL,
/// `synchronous = FULL`): one instance. Jobs are claimed under SQLite's write lock
/// (`BEGIN IMMEDIATE`: GRDB's write transactions). Not the registry's ledger, a file of its own.
///
/// `@unchecked Sendable`: GRDB's `DatabasePool` is thread-safe; the class owns no other state.
public final class SQLiteServiceStore: ServiceStore, @unchecked Sendable {
    let db: DatabasePool

    /// Opens (creating when absent) the database at `path` and brings its schema up to date.
    public init(path: String) throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA foreign_keys = ON") }
        db = try DatabasePool(path: path, configuration: config)
        // WAL's default of NORMAL can lose the last commits on power loss; what was acknowledged stays.
        try db.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        try Self.migrator.migrate(db)
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("jobs-v1") { db in
            try db.execute(sql: """
                CREATE TABLE jobs(
                  id TEXT PRIMARY KEY,
                  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
                  stage TEXT, percent INTEGER NOT NULL DEFAULT 0,
                  bundle_sha256 TEXT NOT NULL, bundle_bytes INTEGER NOT NULL, lang TEXT NOT NULL,
                  created_at_ms INTEGER NOT NULL, updated_at_ms INTEGER NOT NULL,
                  lease_owner TEXT, lease_until_ms INTEGER, attempts INTEGER NOT NULL DEFAULT 0,
                  exit_status INTEGER, error_code TEXT, error_zh TEXT, error_en TEXT
                ) STRICT;
                CREATE INDEX jobs_claim ON jobs(state, created_at_ms);
                """)
        }
        m.registerMigration("accounts-v1") { db in
            try db.execute(sql: """
                ALTER TABLE jobs ADD COLUMN owner TEXT NOT NULL DEFAULT '';
                CREATE TABLE tokens(
                  sha256 TEXT PRIMARY KEY, actor TEXT NOT NULL, role TEXT NOT NULL,
                  created_at_ms INTEGER NOT NULL, expires_at_ms INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0
                ) STRICT;
                """)
        }
        m.registerMigration("sessions-v1") { db in
            try db.execute(sql: """
                CREATE TABLE users(actor TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL, created_at_ms INTEGER NOT NULL) STRICT;
                CREATE TABLE sessions(
                  sha256 TEXT PRIMARY KEY, actor TEXT NOT NULL, role TEXT NOT NULL, csrf TEXT NOT NULL,
                  created_at_ms INTEGER NOT NULL, expires_at_ms INTEGER NOT NULL
                ) STRICT;
                """)
        }
        return m
    }

    // MARK: Jobs

    public func insertJob(id: String, owner: String, bundleSHA256: String, bytes: Int64, lang: String) async throws -> Job {
        let t = Self.now()
        return try await db.write { db in
            try db.execute(sql: """
                INSERT INTO jobs(id, owner, state, bundle_sha256, bundle_bytes, lang, created_at_ms, updated_at_ms)
                VALUES (?, ?, 'queued', ?, ?, ?, ?, ?)
                """, arguments: [id, owner, bundleSHA256, bytes, lang, t, t])
            return try Job.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id])!
        }
    }

    public func job(_ id: String) async throws -> Job? {
        try await db.read { try Job.fetchOne($0, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]) }
    }

    public func recentJobs(limit: Int) async throws -> [Job] {
        try await db.read { try Job.fetchAll($0, sql: "SELECT * FROM jobs ORDER BY created_at_ms DESC, id LIMIT ?", arguments: [limit]) }
    }

    public func claimJob(owner: String, leaseMs: Int64, maxAttempts: Int) async throws -> Job? {
        let t = Self.now()
        return try await db.write { db in
            try db.execute(sql: """
                UPDATE jobs SET state = 'failed', updated_at_ms = ?, lease_owner = NULL, error_code = 'JOB.ATTEMPTS',
                  error_zh = '作业已尝试 ' || attempts || ' 次，每次处理进程均中途退出', error_en = 'the job was tried ' || attempts || ' times and its worker stopped each time'
                WHERE state = 'running' AND lease_until_ms < ? AND attempts >= ?
                """, arguments: [t, t, maxAttempts])
            return try Job.fetchOne(db, sql: """
                UPDATE jobs SET state = 'running', lease_owner = ?, lease_until_ms = ?, attempts = attempts + 1, updated_at_ms = ?
                WHERE id = (SELECT id FROM jobs WHERE state = 'queued' OR (state = 'running' AND lease_until_ms < ? AND attempts < ?)
                            ORDER BY created_at_ms, id LIMIT 1)
                RETURNING *
                """, arguments: [owner, t + leaseMs, t, t, maxAttempts])
        }
    }

    public func renewJob(_ id: String, owner: String, stage: String?, percent: Int?, leaseMs: Int64) async throws -> Bool {
        let t = Self.now()
        return try await db.write { db in
            try db.execute(sql: """
                UPDATE jobs SET stage = coalesce(?, stage), percent = coalesce(?, percent), lease_until_ms = ?, updated_at_ms = ?
                WHERE id = ? AND state = 'running' AND lease_owner = ?
                """, arguments: [stage, percent, t + leaseMs, t, id, owner])
            return db.changesCount == 1
        }
    }

    public func finishJob(_ id: String, owner: String, state: Job.State, exitStatus: Int?, failure: JobFailure?) async throws -> Bool {
        let t = Self.now()
        return try await db.write { db in
            try db.execute(sql: """
                UPDATE jobs SET state = ?, exit_status = ?, error_code = ?, error_zh = ?, error_en = ?, updated_at_ms = ?,
                  percent = CASE WHEN ? = 'done' THEN 100 ELSE percent END, lease_owner = NULL, lease_until_ms = NULL
                WHERE id = ? AND state = 'running' AND lease_owner = ?
                """, arguments: [state.rawValue, exitStatus, failure?.code, failure?.zh, failure?.en, t, state.rawValue, id, owner])
            return db.changesCount == 1
        }
    }

    public func cancelJob(_ id: String) async throws -> Job? {
        let t = Self.now()
        return try await db.write { db in
            try db.execute(sql: """
                UPDATE jobs SET state = 'cancelled', updated_at_ms = ?, lease_owner = NULL, lease_until_ms = NULL
                WHERE id = ? AND state IN ('queued', 'running')
                """, arguments: [t, id])
            return try Job.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id])
        }
    }

    public func jobCounts() async throws -> [String: Int] {
        try await db.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM jobs GROUP BY state").map { ($0["state"], $0["n"]) })
        }
    }

    // MARK: Tokens

    public func insertToken(sha256: String, actor: Actor, validForMs: Int64) async throws {
        let t = Self.now()
        try await db.write { db in
            try db.execute(sql: "INSERT INTO tokens(sha256, actor, role, created_at_ms, expires_at_ms) VALUES (?, ?, ?, ?, ?)",
                           arguments: [sha256, actor.id, actor.role.rawValue, t, t + validForMs])
        }
    }

    public func tokenActor(sha256: String) async throws -> Actor? {
        let t = Self.now()
        return try await db.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT actor, role FROM tokens WHERE sha256 = ? AND revoked = 0 AND expires_at_ms > ?",
                                             arguments: [sha256, t]),
                  let role = Role(rawValue: row["role"]) else { return nil }
            return Actor(row["actor"], role)
        }
    }

    public func revokeTokens(actor: String) async throws -> Int {
        try await db.write { db in
            try db.execute(sql: "UPDATE tokens SET revoked = 1 WHERE actor = ? AND revoked = 0", arguments: [actor])
            return db.changesCount
        }
    }

    // MARK: Accounts and sessions

    public func upsertUser(_ actor: Actor, passwordHash: String) async throws {
        let t = Self.now()
        try await db.write { db in
            try db.execute(sql: """
                INSERT INTO users(actor, role, password_hash, created_at_ms) VALUES (?, ?, ?, ?)
                ON CONFLICT(actor) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash
                """, arguments: [actor.id, actor.role.rawValue, passwordHash, t])
        }
    }

    public func user(_ id: String) async throws -> (role: String, passwordHash: String)? {
        try await db.read { db in
            try Row.fetchOne(db, sql: "SELECT role, password_hash FROM users WHERE actor = ?", arguments: [id]).map { ($0["role"], $0["password_hash"]) }
        }
    }

    public func insertSession(sha256: String, actor: Actor, csrf: String, validForMs: Int64) async throws {
        let t = Self.now()
        try await db.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE expires_at_ms < ?", arguments: [t])
            try db.execute(sql: "INSERT INTO sessions(sha256, actor, role, csrf, created_at_ms, expires_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [sha256, actor.id, actor.role.rawValue, csrf, t, t + validForMs])
        }
    }

    public func session(sha256: String) async throws -> (actor: Actor, csrf: String)? {
        let t = Self.now()
        return try await db.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT actor, role, csrf FROM sessions WHERE sha256 = ? AND expires_at_ms > ?", arguments: [sha256, t]),
                  let role = Role(rawValue: row["role"]) else { return nil }
            return (Actor(row["actor"], role), row["csrf"])
        }
    }

    public func deleteSession(sha256: String) async throws {
        try await db.write { try $0.execute(sql: "DELETE FROM sessions WHERE sha256 = ?", arguments: [sha256]) }
    }
}

/// Jobs read from SQLite rows by their coding keys.
extension Job: FetchableRecord {}
