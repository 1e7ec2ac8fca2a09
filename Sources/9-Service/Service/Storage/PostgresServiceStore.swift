import Foundation
import Logging
import Plumbing
import PostgresNIO
import Registry
import RegistryPostgres

/// The service's rows on PostgreSQL, for several `ecocredit serve` instances on one server: the
/// same tables as `SQLiteServiceStore` in the PostgreSQL dialect, through a pooled
/// `PostgresClient` (a service of the application's service group: it runs while the
/// application runs). Jobs are claimed with `FOR UPDATE SKIP LOCKED`, so instances never wait
/// on each other's claims and never take the same job; times come from the server's clock
/// (`ecocredit_now_ms()`), so leases mean the same to every instance.
///
/// Uploaded bundles and job outputs are files in the data folder, which the instances share
/// (one folder on one machine, or a shared file system): the database holds the queue, the
/// accounts, the sessions and the registry's ledger.
public struct PostgresServiceStore: ServiceStore {
    public let client: PostgresClient
    let logger: Logger

    /// A store over `client` (run it: `client.run()`, or as a service of a service group).
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// A client for `location` (no TLS: loopback or a private network), at most `connections` at once.
    public static func client(_ location: PostgresLocation, connections: Int = 8) -> PostgresClient {
        var config = PostgresClient.Configuration(host: location.host, port: location.port, username: location.user,
                                                  password: location.password, database: location.database, tls: .disable)
        config.options.maximumConnections = connections
        config.options.additionalStartupParameters = location.startupParameters
        var logger = Logger(label: "ecocredit.service.postgres")
        logger.logLevel = .error
        return PostgresClient(configuration: config, backgroundLogger: logger)
    }

    /// Creates the service's tables once ("service-v1"), under the same transaction-scoped
    /// advisory lock as the ledger's migration (instances may start at once).
    public func migrate() async throws {
        do { try await migrateInTransaction() } catch let e as PostgresTransactionError where e.closureError is CodedError {
            throw e.closureError!   // a refusal with its code (LEDGER.NOT_A_LEDGER), rolled back
        }
    }

    private func migrateInTransaction() async throws {
        try await client.withTransaction(logger: logger) { c in
            try await c.query("SELECT pg_advisory_xact_lock(7320261203)", logger: logger)
            try await PostgresSetup.requireOwnSchema(c, logger: logger)
            try await c.query("CREATE TABLE IF NOT EXISTS schema_migrations(version text PRIMARY KEY)", logger: logger)
            let done = try await c.query("SELECT count(*) FROM schema_migrations WHERE version = 'service-v1'", logger: logger)
                .collect().first!.decode(Int64.self)
            guard done == 0 else { return }
            for statement in Self.schema { try await c.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
            try await c.query("INSERT INTO schema_migrations VALUES ('service-v1')", logger: logger)
        }
    }

    static let schema = [
        """
        CREATE FUNCTION ecocredit_now_ms() RETURNS bigint LANGUAGE sql VOLATILE
        AS $$ SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint $$
        """,
        """
        CREATE TABLE jobs(
          id text PRIMARY KEY, owner text NOT NULL,
          state text NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
          stage text, percent integer NOT NULL DEFAULT 0,
          bundle_sha256 text NOT NULL, bundle_bytes bigint NOT NULL, lang text NOT NULL,
          created_at_ms bigint NOT NULL, updated_at_ms bigint NOT NULL,
          lease_owner text, lease_until_ms bigint, attempts integer NOT NULL DEFAULT 0,
          exit_status integer, error_code text, error_zh text, error_en text)
        """,
        "CREATE INDEX jobs_claim ON jobs(state, created_at_ms)",
        """
        CREATE TABLE tokens(sha256 text PRIMARY KEY, actor text NOT NULL, role text NOT NULL,
          created_at_ms bigint NOT NULL, expires_at_ms bigint NOT NULL, revoked boolean NOT NULL DEFAULT false)
        """,
        "CREATE TABLE users(actor text PRIMARY KEY, role text NOT NULL, password_hash text NOT NULL, created_at_ms bigint NOT NULL)",
        """
        CREATE TABLE sessions(sha256 text PRIMARY KEY, actor text NOT NULL, role text NOT NULL, csrf text NOT NULL,
          created_at_ms bigint NOT NULL, expires_at_ms bigint NOT NULL)
        """,
    ]

    static let columns = """
        id, owner, state, stage, percent, bundle_sha256, bundle_bytes, lang, created_at_ms, updated_at_ms,
        attempts, exit_status, error_code, error_zh, error_en
        """

    static func job(_ row: PostgresRow) throws -> Job {
        let r = row.makeRandomAccess()
        guard let state = Job.State(rawValue: try r["state"].decode(String.self)) else {
            throw ServiceError.storage(detail: "jobs: a state this version does not know")
        }
        return Job(id: try r["id"].decode(String.self), owner: try r["owner"].decode(String.self), state: state,
                   stage: try r["stage"].decode(String?.self), percent: try r["percent"].decode(Int.self),
                   bundleSHA256: try r["bundle_sha256"].decode(String.self), bundleBytes: try r["bundle_bytes"].decode(Int64.self),
                   lang: try r["lang"].decode(String.self), createdAtMs: try r["created_at_ms"].decode(Int64.self),
                   updatedAtMs: try r["updated_at_ms"].decode(Int64.self), attempts: try r["attempts"].decode(Int.self),
                   exitStatus: try r["exit_status"].decode(Int?.self), errorCode: try r["error_code"].decode(String?.self),
                   errorZh: try r["error_zh"].decode(String?.self), errorEn: try r["error_en"].decode(String?.self))
    }

    func jobs(_ query: PostgresQuery, on c: PostgresConnection? = nil) async throws -> [Job] {
        let rows = if let c { try await c.query(query, logger: logger).collect() } else { try await client.query(query, logger: logger).collect() }
        return try rows.map(Self.job)
    }

    /// Rows a statement returned (the changes: every UPDATE here ends `RETURNING 1`).
    func changed(_ query: PostgresQuery) async throws -> Int {
        try await client.query(query, logger: logger).collect().count
    }

    // MARK: Jobs

    public func insertJob(id: String, owner: String, bundleSHA256: String, bytes: Int64, lang: String) async throws -> Job {
        try await jobs("""
            INSERT INTO jobs(id, owner, state, bundle_sha256, bundle_bytes, lang, created_at_ms, updated_at_ms)
            VALUES (\(id), \(owner), 'queued', \(bundleSHA256), \(bytes), \(lang), ecocredit_now_ms(), ecocredit_now_ms())
            RETURNING \(unescaped: Self.columns)
            """)[0]
    }

    public func job(_ id: String) async throws -> Job? {
        try await jobs("SELECT \(unescaped: Self.columns) FROM jobs WHERE id = \(id)").first
    }

    public func recentJobs(limit: Int) async throws -> [Job] {
        try await jobs("SELECT \(unescaped: Self.columns) FROM jobs ORDER BY created_at_ms DESC, id LIMIT \(limit)")
    }

    public func claimJob(owner: String, leaseMs: Int64, maxAttempts: Int) async throws -> Job? {
        try await client.withTransaction(logger: logger) { c in
            try await c.query("""
                UPDATE jobs SET state = 'failed', updated_at_ms = ecocredit_now_ms(), lease_owner = NULL, error_code = 'JOB.ATTEMPTS',
                  error_zh = '作业已尝试 ' || attempts || ' 次，每次处理进程均中途退出',
                  error_en = 'the job was tried ' || attempts || ' times and its worker stopped each time'
                WHERE id IN (SELECT id FROM jobs WHERE state = 'running' AND lease_until_ms < ecocredit_now_ms() AND attempts >= \(maxAttempts)
                             FOR UPDATE SKIP LOCKED)
                """, logger: logger)
            return try await jobs("""
                UPDATE jobs SET state = 'running', lease_owner = \(owner), lease_until_ms = ecocredit_now_ms() + \(leaseMs),
                  attempts = attempts + 1, updated_at_ms = ecocredit_now_ms()
                WHERE id = (SELECT id FROM jobs
                            WHERE state = 'queued' OR (state = 'running' AND lease_until_ms < ecocredit_now_ms() AND attempts < \(maxAttempts))
                            ORDER BY created_at_ms, id LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING \(unescaped: Self.columns)
                """, on: c).first
        }
    }

    public func renewJob(_ id: String, owner: String, stage: String?, percent: Int?, leaseMs: Int64) async throws -> Bool {
        try await changed("""
            UPDATE jobs SET stage = coalesce(\(stage), stage), percent = coalesce(\(percent), percent),
              lease_until_ms = ecocredit_now_ms() + \(leaseMs), updated_at_ms = ecocredit_now_ms()
            WHERE id = \(id) AND state = 'running' AND lease_owner = \(owner) RETURNING 1
            """) == 1
    }

    public func finishJob(_ id: String, owner: String, state: Job.State, exitStatus: Int?, failure: JobFailure?) async throws -> Bool {
        try await changed("""
            UPDATE jobs SET state = \(state.rawValue), exit_status = \(exitStatus), error_code = \(failure?.code), error_zh = \(failure?.zh),
              error_en = \(failure?.en), updated_at_ms = ecocredit_now_ms(),
              percent = CASE WHEN \(state.rawValue) = 'done' THEN 100 ELSE percent END, lease_owner = NULL, lease_until_ms = NULL
            WHERE id = \(id) AND state = 'running' AND lease_owner = \(owner) RETURNING 1
            """) == 1
    }

    public func cancelJob(_ id: String) async throws -> Job? {
        _ = try await changed("""
            UPDATE jobs SET state = 'cancelled', updated_at_ms = ecocredit_now_ms(), lease_owner = NULL, lease_until_ms = NULL
            WHERE id = \(id) AND state IN ('queued', 'running') RETURNING 1
            """)
        return try await job(id)
    }

    public func jobCounts() async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try await client.query("SELECT state, count(*) FROM jobs GROUP BY state", logger: logger).collect() {
            let (state, n) = try row.decode((String, Int64).self)
            out[state] = Int(n)
        }
        return out
    }

    // MARK: Tokens

    public func insertToken(sha256: String, actor: Actor, validForMs: Int64) async throws {
        _ = try await client.query("""
            INSERT INTO tokens(sha256, actor, role, created_at_ms, expires_at_ms)
            VALUES (\(sha256), \(actor.id), \(actor.role.rawValue), ecocredit_now_ms(), ecocredit_now_ms() + \(validForMs))
            """, logger: logger).collect()
    }

    public func tokenActor(sha256: String) async throws -> Actor? {
        let rows = try await client.query("""
            SELECT actor, role FROM tokens WHERE sha256 = \(sha256) AND NOT revoked AND expires_at_ms > ecocredit_now_ms()
            """, logger: logger).collect()
        guard let (id, raw) = try rows.first?.decode((String, String).self), let role = Role(rawValue: raw) else { return nil }
        return Actor(id, role)
    }

    public func revokeTokens(actor: String) async throws -> Int {
        try await changed("UPDATE tokens SET revoked = true WHERE actor = \(actor) AND NOT revoked RETURNING 1")
    }

    // MARK: Accounts and sessions

    public func upsertUser(_ actor: Actor, passwordHash: String) async throws {
        _ = try await client.query("""
            INSERT INTO users(actor, role, password_hash, created_at_ms) VALUES (\(actor.id), \(actor.role.rawValue), \(passwordHash), ecocredit_now_ms())
            ON CONFLICT (actor) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash
            """, logger: logger).collect()
    }

    public func user(_ id: String) async throws -> (role: String, passwordHash: String)? {
        try await client.query("SELECT role, password_hash FROM users WHERE actor = \(id)", logger: logger).collect()
            .first.map { try $0.decode((String, String).self) }
    }

    public func insertSession(sha256: String, actor: Actor, csrf: String, validForMs: Int64) async throws {
        try await client.withTransaction(logger: logger) { c in
            try await c.query("DELETE FROM sessions WHERE expires_at_ms < ecocredit_now_ms()", logger: logger)
            try await c.query("""
                INSERT INTO sessions(sha256, actor, role, csrf, created_at_ms, expires_at_ms)
                VALUES (\(sha256), \(actor.id), \(actor.role.rawValue), \(csrf), ecocredit_now_ms(), ecocredit_now_ms() + \(validForMs))
                """, logger: logger)
        }
    }

    public func session(sha256: String) async throws -> (actor: Actor, csrf: String)? {
        let rows = try await client.query("""
            SELECT actor, role, csrf FROM sessions WHERE sha256 = \(sha256) AND expires_at_ms > ecocredit_now_ms()
            """, logger: logger).collect()
        guard let (id, raw, csrf) = try rows.first?.decode((String, String, String).self), let role = Role(rawValue: raw) else { return nil }
        return (Actor(id, role), csrf)
    }

    public func deleteSession(sha256: String) async throws {
        _ = try await client.query("DELETE FROM sessions WHERE sha256 = \(sha256)", logger: logger).collect()
    }
}
