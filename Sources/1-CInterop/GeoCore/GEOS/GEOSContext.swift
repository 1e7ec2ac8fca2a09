import CGEOS

/// Collects the messages a C library reports through its callback, so that a thrown error can
/// carry them. Owned by the context that registered it.
final class MessageLog {
    var messages: [String] = []
    func take() -> [String] { defer { messages.removeAll() }; return messages }
}

/// Owns one GEOS context (`GEOSContextHandle_t`), freed in `deinit`.
///
/// **Concurrency strategy.** A GEOS context must never be used by two threads at once. This
/// class is deliberately *not* `Sendable`, and neither is any geometry, prepared geometry or
/// tree made from it, each of which holds its context strongly. The compiler therefore keeps a
/// context and everything made from it inside one isolation domain (one task or one actor),
/// where use is serial even if the task resumes on another thread. There is no global or
/// thread-local context: parallel work creates one context per task (cheap: microseconds).
///
/// Errors: GEOS reports through a message handler; its messages are attached to the thrown
/// `GeoError.geos`.
public final class GEOSContext {
    let handle: GEOSContextHandle_t
    let log = MessageLog()

    public init() throws {
        guard let h = GEOS_init_r() else {
            throw GeoError.geos(operation: "GEOS_init_r", messages: ["could not create a GEOS context"])
        }
        handle = h
        let userdata = Unmanaged.passUnretained(log).toOpaque()
        GEOSContext_setErrorMessageHandler_r(h, { message, userdata in
            guard let message, let userdata else { return }
            Unmanaged<MessageLog>.fromOpaque(userdata).takeUnretainedValue().messages.append(String(cString: message))
        }, userdata)
        GEOSContext_setNoticeMessageHandler_r(h, { message, userdata in
            guard let message, let userdata else { return }
            Unmanaged<MessageLog>.fromOpaque(userdata).takeUnretainedValue().messages.append("notice: " + String(cString: message))
        }, userdata)
    }

    deinit { GEOS_finish_r(handle) }

    /// GEOS version string, e.g. "3.11.1-CAPI-1.17.1".
    public static var version: String { String(cString: GEOSversion()) }

    /// The error for a failed call, with what GEOS said.
    func failure(_ operation: String) -> GeoError {
        .geos(operation: operation, messages: log.take())
    }

    /// The handle of a geometry of this context; a geometry of another context is refused
    /// (GEOS objects must not cross contexts: each context belongs to one thread).
    func pointer(of g: GEOSGeometry) throws -> OpaquePointer {
        guard g.context === self else {
            throw GeoError.geos(operation: "combine geometries", messages: ["the geometries belong to different GEOS contexts"])
        }
        return g.pointer
    }

    /// Messages of a call that succeeded (notices) are dropped, so that the log never grows and
    /// a later failure carries only its own messages.
    @inline(__always) func drained() { if !log.messages.isEmpty { log.messages.removeAll(keepingCapacity: true) } }

    /// Wraps an owned GEOS geometry pointer, or throws when GEOS returned NULL (exception).
    func owned(_ pointer: OpaquePointer?, _ operation: String) throws -> GEOSGeometry {
        guard let pointer else { throw failure(operation) }
        drained()
        return GEOSGeometry(owning: pointer, context: self)
    }

    /// Converts GEOS's `char` predicate convention (1 true, 0 false, 2 exception).
    func predicate(_ result: CChar, _ operation: String) throws -> Bool {
        switch result {
        case 1: drained(); return true
        case 0: drained(); return false
        default: throw failure(operation)
        }
    }

    /// Converts GEOS's `int` status convention for out-parameter functions (0 exception).
    func status(_ result: Int32, _ operation: String) throws {
        if result == 0 { throw failure(operation) }
        drained()
    }
}
