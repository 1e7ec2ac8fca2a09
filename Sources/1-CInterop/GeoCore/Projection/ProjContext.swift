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
    public init() throws {
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
        if env["PROJ_DATA"] == nil && env["PROJ_LIB"] == nil {
            "/usr/share/proj".withCString { path in
                var paths: [UnsafePointer<CChar>?] = [path]
                proj_context_set_search_paths(ctx, 1, &paths)
            }
        }
    }

    deinit {
        for pj in operations.values { proj_destroy(pj) }
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
        resetErrno()
        return .proj(operation: operation, messages: messages)
    }

    /// Clears this context's error code, so that a later failure is not reported with an
    /// earlier one's. PROJ's public API resets a context through an object of it
    /// (`proj_errno_reset(P)` clears `P`'s context; with a null `P` it would clear PROJ's
    /// default context instead, not this one), so a trivial object is made and dropped.
    func resetErrno() {
        guard proj_context_errno(handle) != 0 else { return }
        if let p = proj_create(handle, "+proj=noop") { proj_errno_reset(p); proj_destroy(p) }
        _ = log.take()
    }

    /// Creates a PJ object from a string, or throws.
    func create(_ definition: String, _ operation: String) throws -> OpaquePointer {
        _ = log.take()   // messages of earlier calls are not this call's
        guard let pj = proj_create(handle, definition) else { throw failure("\(operation) \(definition.prefix(80))") }
        return pj
    }
}
