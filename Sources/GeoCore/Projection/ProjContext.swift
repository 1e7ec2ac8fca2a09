import CPROJ
import Foundation

/// Owns one PROJ context (`PJ_CONTEXT*`), destroyed in `deinit`. Not `Sendable`: a PROJ
/// context must not be used by two threads at once; like `GEOSContext`, the compiler keeps it
/// and every transformer made from it in one isolation domain. Create one per task.
///
/// PROJ's logger is captured so that a failure says *why* (for example "Cannot find proj.db")
/// instead of only "Unknown error (code 2)". The database is looked up in `PROJ_DATA` (or
/// `PROJ_LIB`) when set, else in Debian's `/usr/share/proj`.
public final class ProjContext {
    let handle: OpaquePointer
    let log = MessageLog()
    /// Normalised coordinate operations already found on this context, by source and target
    /// CRS: finding one asks proj.db (milliseconds); a clone of a found one does not. Owned
    /// here, destroyed in `deinit`.
    var operations: [String: OpaquePointer] = [:]
    /// `CRSCatalogue`'s operations made on this context, by PROJ string: made once (PROJ 9.1
    /// looks for its database on every `proj_create`, a tenth of a millisecond or more each),
    /// then lent to every transformer that needs one. Owned here, destroyed in `deinit`; a
    /// transformer holding one holds this context, so the operation outlives it.
    private var recorded: [String: OpaquePointer] = [:]

    /// A context of this one's that has no database (created on first use; see `createWithoutDatabase`).
    private var databaseless: ProjContext?

    public convenience init() throws { try self.init(searchPath: nil) }

    /// `searchPath`: where PROJ looks for its database and grids; nil for the default above.
    private init(searchPath: String?) throws {
        guard let ctx = proj_context_create() else {
            throw GeoError.proj(operation: "proj_context_create", messages: ["could not create a PROJ context"])
        }
        handle = ctx
        proj_log_func(ctx, Unmanaged.passUnretained(log).toOpaque()) { userdata, level, message in
            guard let userdata, let message else { return }
            Unmanaged<MessageLog>.fromOpaque(userdata).takeUnretainedValue().messages.append(String(cString: message))
        }
        proj_log_level(ctx, PJ_LOG_ERROR)
        let env = ProcessInfo.processInfo.environment
        if let searchPath {
            searchPath.withCString { path in
                var paths: [UnsafePointer<CChar>?] = [path]
                proj_context_set_search_paths(ctx, 1, &paths)
            }
        } else if env["PROJ_DATA"] == nil && env["PROJ_LIB"] == nil {
            "/usr/share/proj".withCString { path in
                var paths: [UnsafePointer<CChar>?] = [path]
                proj_context_set_search_paths(ctx, 1, &paths)
            }
        }
    }

    deinit {
        for pj in operations.values { proj_destroy(pj) }
        for pj in recorded.values { proj_destroy(pj) }
        proj_context_destroy(handle)
    }

    /// PROJ release, e.g. "9.1.1".
    public static var version: String {
        let info = proj_info()
        return info.release.map { String(cString: $0) } ?? "unknown"
    }

    /// The error for a failed call: PROJ's error text plus whatever its logger said.
    func failure(_ operation: String) -> GeoError {
        var messages = log.take()
        let errno = proj_context_errno(handle)
        if errno != 0, let s = proj_context_errno_string(handle, errno) {
            messages.insert("\(String(cString: s)) (code \(errno))", at: 0)
        }
        proj_errno_reset(nil)
        return .proj(operation: operation, messages: messages)
    }

    /// Creates a PJ object, owned by this context, from a PROJ string that needs no database
    /// ("+proj=pipeline +step +inv +proj=tmerc … +ellps=GRS80 …"), without opening the database.
    /// PROJ 9.1 opens `proj.db` for every `proj_create`, even of such a string (milliseconds), so
    /// the object is made on a second context whose search path holds no database (the failed
    /// lookup is logged there and dropped) and then assigned to this one (`proj_assign_context`).
    func createWithoutDatabase(_ definition: String) throws -> OpaquePointer {
        if databaseless == nil { databaseless = try ProjContext(searchPath: "/nonexistent/ecocredit-without-proj-database") }
        let other = databaseless!
        defer { _ = other.log.take() }
        guard let pj = proj_create(other.handle, definition) else { throw other.failure("proj_create \(definition.prefix(80))") }
        proj_assign_context(pj, handle)
        return pj
    }

    /// The PJ object of a recorded PROJ string (see `recorded`), made on first use without the
    /// database; owned by this context.
    func recordedOperation(_ definition: String) throws -> OpaquePointer {
        if let pj = recorded[definition] { return pj }
        let pj = try createWithoutDatabase(definition)
        recorded[definition] = pj
        return pj
    }

    /// Creates a PJ object from a string, or throws.
    func create(_ definition: String, _ operation: String) throws -> OpaquePointer {
        guard let pj = proj_create(handle, definition) else { throw failure("\(operation) \(definition.prefix(80))") }
        return pj
    }
}
