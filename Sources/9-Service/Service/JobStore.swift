import Foundation
import GRDB
import Registry

/// One pre-acceptance job: an uploaded bundle run through verify → measure → check → annex.
public struct Job: Codable, Sendable, Equatable, FetchableRecord {
    public enum State: String, Codable, Sendable { case queued, running, done, failed, cancelled }
    public var id: String
    /// The account that uploaded the bundle (its actor id).
    public var owner: String
    public var state: State
    /// The stage the worker last reported: verify, measure, check, annex.
    public var stage: String?
    /// Percent of the measuring stage done (0–100).
    public var percent: Int
    /// SHA-256 of the uploaded bytes, lower-case hexadecimal; the blob's name.
    public var bundleSHA256: String
    public var bundleBytes: Int64
    public var lang: String
    public var createdAtMs: Int64
    public var updatedAtMs: Int64
    public var attempts: Int
    /// The worker's exit status when it exited (the CLI's statuses).
    public var exitStatus: Int?
    /// Why the job failed: a stable code and its messages.
    public var errorCode: String?
    public var errorZh: String?
    public var errorEn: String?

    enum CodingKeys: String, CodingKey {
        case id, owner, state, stage, percent, lang, attempts
        case bundleSHA256 = "bundle_sha256", bundleBytes = "bundle_bytes", createdAtMs = "created_at_ms", updatedAtMs = "updated_at_ms"
        case exitStatus = "exit_status", errorCode = "error_code", errorZh = "error_zh", errorEn = "error_en"
    }
}

/// The service's own database (`service.sqlite`, GRDB in WAL mode): the job queue and the
/// accounts' tokens. Not the registry's ledger, which is a file of its own.
///
/// `@unchecked Sendable`: GRDB's `DatabasePool` is thread-safe; the class owns no other state.
public final class ServiceDatabase: @unchecked Sendable {
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
}

/// The job queue: jobs are claimed one at a time under SQLite's write lock (`BEGIN IMMEDIATE`)
/// with a lease; a worker renews its lease while its job runs, and a job whose lease ran out
/// (its instance died) is claimed again, up to `maxAttempts` times. Only the holder of the
/// current lease can record a job's progress or end (compare-and-set on the lease), so a job has
/// one stored result however many claims it took.
public struct JobStore: Sendable {
    let db: DatabasePool
    public let maxAttempts: Int

    public init(_ database: ServiceDatabase, maxAttempts: Int = 3) {
        db = database.db
        self.maxAttempts = maxAttempts
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Queues a job for the stored bundle `sha256`.
    public func enqueue(id: String, owner: String, bundleSHA256: String, bytes: Int64, lang: String) throws -> Job {
        let t = Self.now()
        return try db.write { db in
            try db.execute(sql: """
                INSERT INTO jobs(id, owner, state, bundle_sha256, bundle_bytes, lang, created_at_ms, updated_at_ms)
                VALUES (?, ?, 'queued', ?, ?, ?, ?, ?)
                """, arguments: [id, owner, bundleSHA256, bytes, lang, t, t])
            return try Job.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id])!
        }
    }

    /// The latest jobs, newest first (the officer desk).
    public func recent(limit: Int) throws -> [Job] {
        try db.read { try Job.fetchAll($0, sql: "SELECT * FROM jobs ORDER BY created_at_ms DESC, id LIMIT ?", arguments: [limit]) }
    }

    /// The job, when `actor` may see it: its owner, or an officer, approver or auditor. Anyone
    /// else gets the same 404 as for a job that does not exist (no existence leak).
    public func job(_ id: String, visibleTo actor: Actor) throws -> Job {
        guard JobID.isWellFormed(id), let job = try job(id),
              job.owner == actor.id || Policy.seesAllJobs.contains(actor.role) else { throw ServiceError.jobNotFound(id: id) }
        return job
    }

    public func job(_ id: String) throws -> Job? {
        try db.read { try Job.fetchOne($0, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]) }
    }

    /// Claims the oldest queued job, or a running one whose lease ran out, for `owner` until
    /// `lease` seconds from now. A job whose lease ran out `maxAttempts` times fails instead
    /// (JOB.ATTEMPTS): a bundle that kills every worker is not run for ever.
    public func claim(owner: String, lease: TimeInterval) throws -> Job? {
        let t = Self.now()
        return try db.write { db in
            try db.execute(sql: """
                UPDATE jobs SET state = 'failed', updated_at_ms = ?, lease_owner = NULL, error_code = 'JOB.ATTEMPTS',
                  error_zh = '作业已尝试 ' || attempts || ' 次，每次处理进程均中途退出', error_en = 'the job was tried ' || attempts || ' times and its worker stopped each time'
                WHERE state = 'running' AND lease_until_ms < ? AND attempts >= ?
                """, arguments: [t, t, maxAttempts])
            return try Job.fetchOne(db, sql: """
                UPDATE jobs SET state = 'running', lease_owner = ?, lease_until_ms = ?, attempts = attempts + 1, updated_at_ms = ?
                WHERE id = (SELECT id FROM jobs WHERE state = 'queued' OR (state = 'running' AND lease_until_ms < ?)
                            ORDER BY created_at_ms, id LIMIT 1)
                RETURNING *
                """, arguments: [owner, t + Int64(lease * 1000), t, t])
        }
    }

    /// Records progress and renews the lease; false when `owner` no longer holds the job
    /// (cancelled, or its lease ran out and another took it): the worker must stop.
    public func progress(_ id: String, owner: String, stage: String?, percent: Int?, lease: TimeInterval) throws -> Bool {
        let t = Self.now()
        return try db.write { db in
            try db.execute(sql: """
                UPDATE jobs SET stage = coalesce(?, stage), percent = coalesce(?, percent), lease_until_ms = ?, updated_at_ms = ?
                WHERE id = ? AND state = 'running' AND lease_owner = ?
                """, arguments: [stage, percent, t + Int64(lease * 1000), t, id, owner])
            return db.changesCount == 1
        }
    }

    /// Ends a job held by `owner`: done, or failed with a code. False when the lease was lost
    /// (the result is then not recorded: another claim records its own).
    public func finish(_ id: String, owner: String, state: Job.State, exitStatus: Int?, error: (code: String, zh: String, en: String)?) throws -> Bool {
        let t = Self.now()
        return try db.write { db in
            try db.execute(sql: """
                UPDATE jobs SET state = ?, exit_status = ?, error_code = ?, error_zh = ?, error_en = ?, updated_at_ms = ?,
                  percent = CASE WHEN ? = 'done' THEN 100 ELSE percent END, lease_owner = NULL, lease_until_ms = NULL
                WHERE id = ? AND state = 'running' AND lease_owner = ?
                """, arguments: [state.rawValue, exitStatus, error?.code, error?.zh, error?.en, t, state.rawValue, id, owner])
            return db.changesCount == 1
        }
    }

    /// Cancels a queued or running job; returns the job as it now is, nil when there is none.
    public func cancel(_ id: String) throws -> Job? {
        let t = Self.now()
        return try db.write { db in
            try db.execute(sql: """
                UPDATE jobs SET state = 'cancelled', updated_at_ms = ?, lease_owner = NULL, lease_until_ms = NULL
                WHERE id = ? AND state IN ('queued', 'running')
                """, arguments: [t, id])
            return try Job.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id])
        }
    }
}
