import Foundation
import Registry

/// Why a job failed: a stable code and its messages.
public struct JobFailure: Sendable, Equatable {
    public var code: String, zh: String, en: String
    public init(_ code: String, _ zh: String, _ en: String) { (self.code, self.zh, self.en) = (code, zh, en) }
}

/// The service's own rows — the job queue, bearer tokens, people's accounts and sessions — on
/// one back end: SQLite (`SQLiteServiceStore`, one instance) or PostgreSQL
/// (`PostgresServiceStore`, several instances on one server). A back end only stores and
/// claims; what the rows mean (token making, bcrypt, who sees which job) is in `JobStore`,
/// `TokenStore` and `SessionStore`, written once over this protocol.
///
/// Times are milliseconds since 1970 on the back end's clock (PostgreSQL: the server's, so
/// instances on machines with skewed clocks agree on leases and expiries).
public protocol ServiceStore: Sendable {
    // MARK: The job queue
    /// Inserts a queued job and returns it as stored.
    func insertJob(id: String, owner: String, bundleSHA256: String, bytes: Int64, lang: String) async throws -> Job
    func job(_ id: String) async throws -> Job?
    /// The latest jobs, newest first.
    func recentJobs(limit: Int) async throws -> [Job]
    /// Fails running jobs whose lease ran out `maxAttempts` times (JOB.ATTEMPTS), then claims
    /// the oldest queued job, or a running one whose lease ran out (fewer attempts), for `owner`
    /// until `leaseMs` from now, counting the attempt. At most one claimer gets a job.
    func claimJob(owner: String, leaseMs: Int64, maxAttempts: Int) async throws -> Job?
    /// Records progress (nil: unchanged) and renews the lease, only while `owner` holds the job.
    func renewJob(_ id: String, owner: String, stage: String?, percent: Int?, leaseMs: Int64) async throws -> Bool
    /// Ends a job `owner` holds; false when it no longer does (nothing recorded).
    func finishJob(_ id: String, owner: String, state: Job.State, exitStatus: Int?, failure: JobFailure?) async throws -> Bool
    /// Cancels a queued or running job; the job as it now is.
    func cancelJob(_ id: String) async throws -> Job?
    /// How many jobs are in each state (the metrics).
    func jobCounts() async throws -> [String: Int]

    // MARK: Bearer tokens (stored as SHA-256)
    func insertToken(sha256: String, actor: Actor, validForMs: Int64) async throws
    /// The actor of a token that is neither expired nor revoked.
    func tokenActor(sha256: String) async throws -> Actor?
    /// Revokes every live token of an actor; how many.
    func revokeTokens(actor: String) async throws -> Int

    // MARK: People's accounts and sessions
    func upsertUser(_ actor: Actor, passwordHash: String) async throws
    /// An account's role (raw) and bcrypt hash.
    func user(_ id: String) async throws -> (role: String, passwordHash: String)?
    /// Stores a session (and drops expired ones).
    func insertSession(sha256: String, actor: Actor, csrf: String, validForMs: Int64) async throws
    /// The actor and CSRF token of a live session.
    func session(sha256: String) async throws -> (actor: Actor, csrf: String)?
    func deleteSession(sha256: String) async throws
}

extension ServiceStore {
    /// Milliseconds since 1970 on this machine's clock.
    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}

/// Runs async work from a thread that is not part of Swift's concurrency pool (the job watcher's
/// threads and timer), waiting for its result. Never call it from an async context.
func blocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        do { box.set(.success(try await work())) } catch { box.set(.failure(error)) }
        done.signal()
    }
    done.wait()
    return try box.get()
}

private final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<T, Error>?
    func set(_ r: Result<T, Error>) { lock.lock(); result = r; lock.unlock() }
    func get() throws -> T { lock.lock(); defer { lock.unlock() }; return try result!.get() }
}
