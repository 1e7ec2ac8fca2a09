import Foundation
import Registry

/// One pre-acceptance job: an uploaded bundle run through verify → measure → check → annex.
public struct Job: Codable, Sendable, Equatable {
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

/// The job queue over the service's store: jobs are claimed one at a time with a lease (SQLite:
/// under its write lock; PostgreSQL: `FOR UPDATE SKIP LOCKED`); a worker renews its lease while
/// its job runs, and a job whose lease ran out (its instance died) is claimed again, up to
/// `maxAttempts` times. Only the holder of the current lease can record a job's progress or end
/// (compare-and-set on the lease), so a job has one stored result however many claims it took.
public struct JobStore: Sendable {
    let store: any ServiceStore
    public let maxAttempts: Int

    public init(_ store: any ServiceStore, maxAttempts: Int = 3) {
        self.store = store
        self.maxAttempts = maxAttempts
    }

    /// Milliseconds since 1970, this machine's clock (the registry's instants).
    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Queues a job for the stored bundle `sha256`.
    public func enqueue(id: String, owner: String, bundleSHA256: String, bytes: Int64, lang: String) async throws -> Job {
        try await store.insertJob(id: id, owner: owner, bundleSHA256: bundleSHA256, bytes: bytes, lang: lang)
    }

    /// The latest jobs, newest first (the officer desk).
    public func recent(limit: Int) async throws -> [Job] { try await store.recentJobs(limit: limit) }

    /// The job, when `actor` may see it: its owner, or an officer, approver or auditor. Anyone
    /// else gets the same 404 as for a job that does not exist (no existence leak).
    public func job(_ id: String, visibleTo actor: Actor) async throws -> Job {
        guard JobID.isWellFormed(id), let job = try await job(id),
              job.owner == actor.id || Policy.seesAllJobs.contains(actor.role) else { throw ServiceError.jobNotFound(id: id) }
        return job
    }

    public func job(_ id: String) async throws -> Job? { try await store.job(id) }

    /// Claims the oldest queued job, or a running one whose lease ran out, for `owner` until
    /// `lease` seconds from now. A job whose lease ran out `maxAttempts` times fails instead
    /// (JOB.ATTEMPTS): a bundle that kills every worker is not run for ever.
    public func claim(owner: String, lease: TimeInterval) async throws -> Job? {
        try await store.claimJob(owner: owner, leaseMs: Int64(lease * 1000), maxAttempts: maxAttempts)
    }

    /// Records progress and renews the lease; false when `owner` no longer holds the job
    /// (cancelled, or its lease ran out and another took it): the worker must stop.
    public func progress(_ id: String, owner: String, stage: String?, percent: Int?, lease: TimeInterval) async throws -> Bool {
        try await store.renewJob(id, owner: owner, stage: stage, percent: percent, leaseMs: Int64(lease * 1000))
    }

    /// Ends a job held by `owner`: done, or failed with a code. False when the lease was lost
    /// (the result is then not recorded: another claim records its own).
    public func finish(_ id: String, owner: String, state: Job.State, exitStatus: Int?, error: JobFailure?) async throws -> Bool {
        try await store.finishJob(id, owner: owner, state: state, exitStatus: exitStatus, failure: error)
    }

    /// Cancels a queued or running job; returns the job as it now is, nil when there is none.
    public func cancel(_ id: String) async throws -> Job? { try await store.cancelJob(id) }
}
