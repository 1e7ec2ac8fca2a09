import Crypto
import Foundation
import PostgresNIO
import Plumbing
import Registry
import RegistryStore

/// A registry on PostgreSQL, for several instances sharing one server: the same
/// tables, the same decisions and the same chain as `SQLiteLedger` (one `LedgerStep`), in the
/// PostgreSQL dialect.
///
/// Every write opens its own `BEGIN` (READ COMMITTED, the server's default) and first locks the
/// chain-head row (`SELECT … FROM ledger_head WHERE id = 1 FOR UPDATE`): appends from every
/// instance are serialised, every later statement of the transaction sees all earlier commits,
/// and the chain cannot fork. The idempotency key is looked up *after* the lock, so two requests
/// with one key cannot both apply. A COMMIT whose outcome is unknown (the connection broke) is
/// never retried blindly: `run` reconnects and looks the key up (I7, I8).
///
/// Events are append-only twice over: the application role (`ecocredit_app`, created by the
/// migration) has no UPDATE or DELETE on `events`, and a trigger refuses both for every role but
/// one that disables it (the database owner).
///
/// One connection per ledger value; an actor whose operations run one after another (`exclusive`).
public actor PostgresLedger<D: RegistryDomain>: LedgerStore {
    public typealias Domain = D
    public let location: PostgresLocation
    private var connection: PostgresConnection
    private let logger: Logger
    /// The registry as of the head it was replayed to (see `SQLiteLedger`).
    private var cache: (seq: UInt64, hash: [UInt8], state: D.State)?

    /// A pool for the readers (`snapshot`, `currentHead`, `storedLog`), when given: they then run
    /// side by side, outside the one connection's queue of commands.
    private let readers: PostgresClient?

    private init(location: PostgresLocation, connection: PostgresConnection, readers: PostgresClient?, logger: Logger) {
        (self.location, self.connection, self.readers, self.logger) = (location, connection, readers, logger)
    }

    /// Connects; with `migrate` (as the database owner) creates the tables, the trigger and the
    /// application role's grants when absent — safe for several instances at once (an advisory lock).
    /// `readers`: a running pool on the same database for reads (the service's); without one,
    /// reads wait their turn on the ledger's connection.
    public static func open(_ location: PostgresLocation, migrate: Bool = true, readers: PostgresClient? = nil) async throws -> PostgresLedger<D> {
        var logger = Logger(label: "ecocredit.ledger.postgres")
        logger.logLevel = .error
        let c = try await PostgresSetup.connect(location, logger: logger)
        let ledger = PostgresLedger(location: location, connection: c, readers: readers, logger: logger)
        if migrate { try await ledger.migrate() }
        let kind = try await ledger.connection.query("SELECT domain FROM ledger_info WHERE id = 1", logger: logger).collect().first?.decode(String.self)
        guard kind == D.name else { await ledger.close(); throw LedgerFinding.domain(expected: D.name, found: kind ?? "no") }
        return ledger
    }

    /// Closes the connection.
    public func close() async { try? await connection.close() }

    /// One operation at a time on the connection. An actor is re-entrant: while one command
    /// awaits the server, another caller's `run` would otherwise send its BEGIN and statements
    /// into the same session and the two transactions would mix (found by the service's
    /// multi-instance test: concurrent requests on one ledger value). Callers wait in order.
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    private func exclusive<T>(_ body: () async throws -> T) async throws -> T {
        if busy { await withCheckedContinuation { waiting.append($0) } } else { busy = true }
        defer { if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() } }
        return try await body()
    }

    /// A ledger dropped without `close()` closes its connection as it goes; the callback keeps the
    /// connection alive until it is closed (PostgresNIO asserts that a connection is closed when freed).
    deinit {
        let c = connection
        c.close().whenComplete { _ in withExtendedLifetime(c) {} }
    }

    /// Runs one statement (no result rows wanted).
    private func execute(_ sql: String) async throws {
        _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
    }

    /// Creates the schema once ("ledger-v1") and names the registry it keeps, under a
    /// transaction-scoped advisory lock (several instances may start at once).
    func migrate() async throws {
        try await execute("BEGIN")
        do {
            try await execute("SELECT pg_advisory_xact_lock(7320261203)")
            if let schema = location.schema { try await execute("CREATE SCHEMA IF NOT EXISTS \(schema)") }
            try await PostgresSetup.requireOwnSchema(connection, logger: logger)
            try await execute("CREATE TABLE IF NOT EXISTS schema_migrations(version text PRIMARY KEY)")
            let done = try await connection.query("SELECT count(*) FROM schema_migrations WHERE version = 'ledger-v1'", logger: logger)
                .collect().first!.decode(Int64.self)
            if done == 0 {
                for statement in PostgresSetup.schema { try await execute(statement) }
                try await execute("INSERT INTO schema_migrations VALUES ('ledger-v1')")
                try await connection.query("INSERT INTO ledger_info VALUES (1, \(D.name))", logger: logger).collect()
            }
            try await execute("COMMIT")
        } catch {
            try? await execute("ROLLBACK")
            throw error
        }
    }

    public func run(_ command: D.Command, by actor: Actor, key: String, at now: Instant, rules: D.Rules) async throws -> LedgerOutcome {
        try await exclusive {
            let request = try EventLog.canonicalJSON(command)
            do {
                return try await attempt(command, request: request, by: actor, key: key, at: now, rules: rules)
            } catch Unknown.commitOutcome {
                // The COMMIT's outcome is unknown: reconnect and ask the log. The key is there when
                // it committed (its stored answer is the reply); when absent, run the command again.
                connection = try await PostgresSetup.connect(location, logger: logger)
                cache = nil
                return try await attempt(command, request: request, by: actor, key: key, at: now, rules: rules, afterUnknownCommit: true)
            }
        }
    }

    enum Unknown: Error { case commitOutcome }

    /// Fault injection for the tests of an unknown COMMIT outcome: the connection is lost just
    /// before COMMIT is sent (the server rolls back) or just after it succeeded (the reply lost).
    enum CommitFault: Sendable { case lostBeforeCommit, lostAfterCommit }
    private var commitFault: CommitFault?
    func inject(_ fault: CommitFault) { commitFault = fault }

    private func attempt(_ command: D.Command, request: Data, by actor: Actor, key: String, at now: Instant, rules: D.Rules,
                         afterUnknownCommit: Bool = false) async throws -> LedgerOutcome {
        try await execute("BEGIN")
        let result: (outcome: LedgerOutcome, head: (seq: UInt64, hash: [UInt8], state: D.State)?)
        do {
            // The append lock first: every statement after it sees every earlier commit.
            let head = try await connection.query("SELECT seq, hash FROM ledger_head WHERE id = 1 FOR UPDATE", logger: logger)
                .collect().first!.decode((Int64, Data).self)
            let stored = try await connection.query("SELECT request, outcome FROM commands WHERE actor = \(actor.id) AND key = \(key)", logger: logger).collect()
            if let row = stored.first {
                let (storedRequest, storedOutcome) = try row.decode((Data, String).self)
                try await execute("ROLLBACK")
                guard storedRequest == request else { return .idempotencyMismatch }
                var o = try JSONDecoder().decode(LedgerOutcome.self, from: Data(storedOutcome.utf8))
                o.replayed = !afterUnknownCommit
                return o
            }
            let headSeq = UInt64(head.0), headHash = [UInt8](head.1)
            let state: D.State
            if let c = cache, c.seq == headSeq, c.hash == headHash { state = c.state } else { state = try await loadLog().replay(D.self) }
            let step = LedgerStep<D>.run(command, by: actor, at: now, rules: rules, on: state, head: (headSeq, headHash))
            for e in step.entries {
                try await connection.query("""
                    INSERT INTO events(seq, type, payload, prev, hash) VALUES (\(Int64(e.seq)), \(e.type), \(Data(e.payload)), \(Data(e.prev)), \(Data(e.hash)))
                    """, logger: logger).collect()
            }
            CrashPoint.reach("after-insert")
            try await connection.query("UPDATE ledger_head SET seq = \(Int64(step.newHead.seq)), hash = \(Data(step.newHead.hash)) WHERE id = 1", logger: logger).collect()
            for (key, row) in step.changedRows { try await project(key, row) }
            CrashPoint.reach("after-projection")
            let answer = String(decoding: try EventLog.canonicalJSON(step.outcome), as: UTF8.self)
            try await connection.query("INSERT INTO commands(actor, key, request, outcome) VALUES (\(actor.id), \(key), \(request), \(answer))", logger: logger).collect()
            result = (step.outcome, (step.newHead.seq, step.newHead.hash, step.next))
        } catch {
            try? await execute("ROLLBACK")
            throw error
        }
        if let fault = commitFault {
            commitFault = nil
            if fault == .lostAfterCommit { try await execute("COMMIT") }
            try? await connection.close()
            throw Unknown.commitOutcome
        }
        do { try await execute("COMMIT") } catch { throw Unknown.commitOutcome }
        cache = result.head
        CrashPoint.reach("after-commit")
        return result.outcome
    }

    private func project(_ key: String, _ row: String?) async throws {
        if let row {
            try await connection.query("INSERT INTO projection(key, row) VALUES (\(key), \(row)) ON CONFLICT (key) DO UPDATE SET row = excluded.row", logger: logger).collect()
        } else {
            try await connection.query("DELETE FROM projection WHERE key = \(key)", logger: logger).collect()
        }
    }

    private func loadLog(on c: PostgresConnection? = nil) async throws -> EventLog {
        var entries: [EventLog.Entry] = []
        for try await (seq, type, payload, prev, hash) in try await (c ?? connection).query("SELECT seq, type, payload, prev, hash FROM events ORDER BY seq", logger: logger)
            .decode((Int64, String, Data, Data, Data).self) {
            entries.append(EventLog.Entry(seq: UInt64(seq), type: type, payload: [UInt8](payload), prev: [UInt8](prev), hash: [UInt8](hash)))
        }
        return EventLog(entries: entries)
    }

    private func loadCheckpoints() async throws -> [Checkpoint] {
        var out: [Checkpoint] = []
        for try await body in try await connection.query("SELECT body FROM checkpoints ORDER BY id", logger: logger).decode(String.self) {
            out.append(try JSONDecoder().decode(Checkpoint.self, from: Data(body.utf8)))
        }
        return out
    }

    public func storedCheckpoints() async throws -> [Checkpoint] { try await exclusive { try await loadCheckpoints() } }

    public func store(blob bytes: [UInt8]) async throws -> String {
        try await exclusive {
            let sha = LedgerStep<D>.sha256(bytes)
            try await connection.query("INSERT INTO blobs(sha256, bytes) VALUES (\(sha), \(Data(bytes))) ON CONFLICT (sha256) DO NOTHING", logger: logger).collect()
            return sha
        }
    }
    public func storedBlob(_ sha256: String) async throws -> [UInt8]? {
        try await exclusive {
            try await connection.query("SELECT bytes FROM blobs WHERE sha256 = \(sha256)", logger: logger).collect().first.map { [UInt8](try $0.decode(Data.self)) }
        }
    }

    /// Signs the head under the append lock (so the head signed is the head stored) and stores it.
    public func checkpoint(signingWith key: CheckpointKey, at now: Instant) async throws -> Checkpoint {
        try await exclusive {
            try await execute("BEGIN")
            do {
                let head = try await connection.query("SELECT seq, hash FROM ledger_head WHERE id = 1 FOR UPDATE", logger: logger).collect().first!.decode((Int64, Data).self)
                let c = try Checkpoint.sign(registry: D.name, seq: UInt64(head.0), hash: [UInt8](head.1), at: now, with: key)
                let body = String(decoding: try EventLog.canonicalJSON(c), as: UTF8.self)
                try await connection.query("INSERT INTO checkpoints(seq, body) VALUES (\(Int64(c.seq)), \(body))", logger: logger).collect()
                try await execute("COMMIT")
                return c
            } catch {
                try? await execute("ROLLBACK")
                throw error
            }
        }
    }

    public func currentState() async throws -> D.State { try await exclusive { try await loadLog().replay(D.self) } }

    public func currentHead() async throws -> (seq: UInt64, hash: [UInt8]) {
        if let readers { return try await Self.head(readers.query(Self.headQuery, logger: logger).collect()) }
        return try await exclusive { try await Self.head(connection.query(Self.headQuery, logger: logger).collect()) }
    }

    static var headQuery: PostgresQuery { "SELECT seq, hash FROM ledger_head WHERE id = 1" }
    static func head(_ rows: [PostgresRow]) throws -> (seq: UInt64, hash: [UInt8]) {
        let head = try rows.first!.decode((Int64, Data).self)
        return (UInt64(head.0), [UInt8](head.1))
    }

    /// The registry and its head: the last replay (a write's or a read's) is reused while the head
    /// has not moved — one query — so readers replay once per append; else the log and the head
    /// are read in one REPEATABLE READ snapshot and replayed.
    public func snapshot() async throws -> LedgerSnapshot<D.State> {
        if let readers {
            let head = try await currentHead()
            if let c = cache, c.seq == head.seq, c.hash == head.hash { return LedgerSnapshot(seq: c.seq, hash: c.hash, state: c.state) }
            let (seq, hash, log) = try await readers.withConnection { c in try await consistentRead(on: c) }
            let state = try log.replay(D.self)
            if (cache?.seq ?? 0) <= seq { cache = (seq, hash, state) }
            return LedgerSnapshot(seq: seq, hash: hash, state: state)
        }
        return try await exclusive {
            let head = try await Self.head(connection.query(Self.headQuery, logger: logger).collect())
            if let c = cache, c.seq == head.seq, c.hash == head.hash { return LedgerSnapshot(seq: c.seq, hash: c.hash, state: c.state) }
            let (seq, hash, log) = try await consistentRead(on: connection)
            let state = try log.replay(D.self)
            cache = (seq, hash, state)
            return LedgerSnapshot(seq: seq, hash: hash, state: state)
        }
    }

    /// The head and the log in one REPEATABLE READ READ ONLY transaction on `c`.
    private func consistentRead(on c: PostgresConnection) async throws -> (UInt64, [UInt8], EventLog) {
        _ = try await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger).collect()
        do {
            let head = try await Self.head(c.query(Self.headQuery, logger: logger).collect())
            let log = try await loadLog(on: c)
            _ = try await c.query("COMMIT", logger: logger).collect()
            return (head.seq, head.hash, log)
        } catch {
            _ = try? await c.query("ROLLBACK", logger: logger).collect()
            throw error
        }
    }

    public func storedLog() async throws -> EventLog {
        if let readers { return try await readers.withConnection { c in try await loadLog(on: c) } }
        return try await exclusive { try await loadLog() }
    }

    /// The chain against the head, the projection against the replay — read in one REPEATABLE
    /// READ snapshot, so a concurrent append cannot make a consistent ledger look damaged.
    public func check() async throws -> Result<Int, LedgerFinding> {
        try await exclusive {
            try await execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                let log = try await loadLog()
                let head = try await connection.query("SELECT seq, hash FROM ledger_head WHERE id = 1", logger: logger).collect().first!.decode((Int64, Data).self)
                var rows: [String: String] = [:]
                for try await (key, row) in try await connection.query("SELECT key, row FROM projection", logger: logger).decode((String, String).self) { rows[key] = row }
                let checkpoints = try await loadCheckpoints()
                for try await (name, bytes) in try await connection.query("SELECT sha256, bytes FROM blobs ORDER BY sha256", logger: logger).decode((String, Data).self) {
                    if let d = LedgerStep<D>.blobDamage(name: name, bytes: [UInt8](bytes)) { try await execute("COMMIT"); return .failure(.chain(d)) }
                }
                try await execute("COMMIT")
                return LedgerStep<D>.verify(log: log, head: (UInt64(head.0), [UInt8](head.1)), rows: rows, checkpoints: checkpoints)
            } catch {
                try? await execute("ROLLBACK")
                throw error
            }
        }
    }
}

/// What every PostgreSQL ledger shares: how to connect, the schema, the application role.
public enum PostgresSetup {
    /// The role the migration grants the application's rights to (no UPDATE or DELETE on events).
    public static let applicationRole = "ecocredit_app"

    /// The versions EcoCredit's migrations record in a schema's `schema_migrations`: the
    /// ledger's, and the service's (whose tables stand beside the voucher ledger's).
    public static let ownVersions: Set<String> = ["ledger-v1", "service-v1"]

    /// Refuses a schema that holds another program's tables (`LEDGER.NOT_A_LEDGER`, nothing
    /// created): EcoCredit's tables are made only in a schema with no tables yet, or one whose
    /// `schema_migrations` records only EcoCredit's versions. Extensions' tables (PostGIS's
    /// `spatial_ref_sys`) do not count. Run inside the migration's transaction, under its lock,
    /// before anything is made (a database shared with another application would otherwise
    /// have ten tables added to it, or fail on a table of the same name with PostgreSQL's words).
    public static func requireOwnSchema(_ c: PostgresConnection, logger: Logger) async throws {
        let tables = try await c.query("""
            SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
            ORDER BY 1
            """, logger: logger).collect().map { try $0.decode(String.self) }
        guard !tables.isEmpty else { return }
        var versions: [String] = []
        if tables.contains("schema_migrations") {
            versions = try await c.query("SELECT version::text FROM schema_migrations ORDER BY 1", logger: logger).collect().map { try $0.decode(String.self) }
        }
        guard versions.isEmpty || !Set(versions).isSubset(of: ownVersions) else { return }
        let place = try await c.query("SELECT format('PostgreSQL database %s, schema %s', current_database(), current_schema())", logger: logger)
            .collect().first?.decode(String.self) ?? "the PostgreSQL database"
        let foreign = versions.isEmpty ? "tables " + tables.prefix(8).joined(separator: ", ") + (tables.count > 8 ? ", …" : "")
                                       : "schema_migrations versions " + versions.filter { !ownVersions.contains($0) }.prefix(4).joined(separator: ", ")
        throw LedgerFileError.notALedger(path: place, detail: "the database holds another program's \(foreign); give EcoCredit a database or schema of its own")
    }

    static func connect(_ l: PostgresLocation, logger: Logger) async throws -> PostgresConnection {
        var config = PostgresConnection.Configuration(host: l.host, port: l.port, username: l.user, password: l.password, database: l.database, tls: .disable)
        config.options.additionalStartupParameters = l.startupParameters
        return try await PostgresConnection.connect(configuration: config, id: Int.random(in: 0 ..< Int.max), logger: logger)
    }

    static let schema: [String] = [
        "CREATE TABLE events(seq bigint PRIMARY KEY, type text NOT NULL, payload bytea NOT NULL, prev bytea NOT NULL, hash bytea NOT NULL)",
        """
        CREATE FUNCTION ecocredit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'REG.APPEND_ONLY: events are never changed or deleted'; END $$
        """,
        "CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION ecocredit_append_only()",
        "CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION ecocredit_append_only()",
        "CREATE TABLE ledger_head(id integer PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL, hash bytea NOT NULL)",
        "INSERT INTO ledger_head VALUES (1, 0, decode(repeat('00', 32), 'hex'))",
        "CREATE TABLE commands(actor text NOT NULL, key text NOT NULL, request bytea NOT NULL, outcome text NOT NULL, PRIMARY KEY (actor, key))",
        "CREATE TABLE projection(key text PRIMARY KEY, row text NOT NULL)",
        "CREATE TABLE ledger_info(id integer PRIMARY KEY CHECK (id = 1), domain text NOT NULL)",
        "CREATE TABLE checkpoints(id bigserial PRIMARY KEY, seq bigint NOT NULL, body text NOT NULL)",
        "CREATE TABLE blobs(sha256 text PRIMARY KEY, bytes bytea NOT NULL)",
        "CREATE TRIGGER blobs_append_only BEFORE UPDATE OR DELETE ON blobs FOR EACH ROW EXECUTE FUNCTION ecocredit_append_only()",
        "CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON checkpoints FOR EACH ROW EXECUTE FUNCTION ecocredit_append_only()",
        """
        DO $$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '\(applicationRole)') THEN CREATE ROLE \(applicationRole) LOGIN; END IF;
        END $$
        """,
        "REVOKE ALL ON events, ledger_head, commands, projection, ledger_info, checkpoints, blobs FROM PUBLIC",
        "GRANT SELECT, INSERT ON blobs TO \(applicationRole)",
        "GRANT SELECT, INSERT ON checkpoints TO \(applicationRole)",
        "GRANT USAGE ON SEQUENCE checkpoints_id_seq TO \(applicationRole)",
        "GRANT SELECT, INSERT ON events TO \(applicationRole)",
        "GRANT SELECT, UPDATE ON ledger_head TO \(applicationRole)",
        "GRANT SELECT, INSERT ON commands TO \(applicationRole)",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON projection TO \(applicationRole)",
        "GRANT SELECT ON ledger_info TO \(applicationRole)",
    ]

}

/// Where and as whom to connect, from `postgres://user[:password]@host[:port]/database`.
public struct PostgresLocation: Sendable, Equatable {
    public var host: String, port: Int, user: String, password: String?, database: String
    /// The schema this location's tables live in (its connections' `search_path`; created by the
    /// ledger's migration); nil: the database's default. Two registries share one database
    /// each in a schema of its own.
    public private(set) var schema: String? = nil
    public init(host: String, port: Int, user: String, password: String?, database: String) {
        (self.host, self.port, self.user, self.password, self.database) = (host, port, user, password, database)
    }
    /// Parses a `postgres://` or `postgresql://` URL; nil when it is not one.
    public init?(url: String) {
        guard let c = URLComponents(string: url), ["postgres", "postgresql"].contains(c.scheme ?? ""),
              let host = c.host, !host.isEmpty, let user = c.user, !user.isEmpty else { return nil }
        let db = c.path.hasPrefix("/") ? String(c.path.dropFirst()) : c.path
        self.init(host: host, port: c.port ?? 5432, user: user, password: c.password, database: db.isEmpty ? user : db)
    }
    /// The same server and database as another role.
    public func `as`(_ user: String) -> PostgresLocation { var l = self; l.user = user; l.password = nil; return l }
    public func database(_ name: String) -> PostgresLocation { var l = self; l.database = name; return l }
    /// The same database, tables in schema `name` (lower-case letters, digits and _, not first a digit).
    public func inSchema(_ name: String) -> PostgresLocation {
        precondition(name.first.map { $0.isLetter || $0 == "_" } ?? false && name.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" },
                     "a schema name is a plain lower-case identifier")
        var l = self; l.schema = name; return l
    }
    /// Startup parameters of this location's connections (the schema's search path).
    public var startupParameters: [(String, String)] { schema.map { [("search_path", $0)] } ?? [] }

    /// The URL of this location (no password).
    public var url: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    /// Runs statements in one session (administration: creating and dropping databases).
    public func execute(_ statements: [String]) async throws {
        var logger = Logger(label: "ecocredit.ledger.postgres")
        logger.logLevel = .error
        let c = try await PostgresSetup.connect(self, logger: logger)
        do {
            for s in statements { _ = try await c.query(PostgresQuery(unsafeSQL: s), logger: logger).collect() }
            try await c.close()
        } catch {
            try? await c.close()
            throw error
        }
    }
}
