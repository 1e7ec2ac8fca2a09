import Foundation
import HTTPTypes
import Hummingbird
import Plumbing
import Registry
import ServiceAPI

/// Every route of the service; `openapi.yaml` documents each one (ServiceTests checks both ways).
public func buildRouter(_ state: ServiceState) -> Router<ServiceContext> {
    let router = Router(context: ServiceContext.self)
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: AuthMiddleware(tokens: state.tokens, sessions: state.sessions))
    router.get("/health") { _, _ -> Response in
        try json(["status": "ok", "version": EcoCreditVersion.string])
    }
    router.get("/openapi.yaml") { _, _ -> Response in
        guard let data = ServiceContract.document() else {
            throw ServiceError.storage(detail: "openapi.yaml missing from the service's resources")
        }
        return bytes(data, type: "application/yaml; charset=utf-8")
    }
    router.get("/metrics") { _, _ -> Response in try await metrics(state) }
    JobRoutes(state: state).add(to: router.group("/v1/jobs"))
    state.pages.add(to: router)
    VoucherRoutes(registry: .init(ledger: state.vouchers, rules: state.voucherRules, jobs: state.jobs, outputs: state.outputs, blobs: state.blobs)).add(to: router)
    IndicatorRoutes(registry: .init(ledger: state.indicators, rules: state.indicatorRules, jobs: state.jobs, outputs: state.outputs, blobs: state.blobs)).add(to: router)
    return router
}

/// GET /metrics (Prometheus text format 0.0.4): Hummingbird's request counters and durations
/// (when `ecocredit serve` made this registry swift-metrics' backend), and gauges read at the
/// scrape: jobs per state, and each registry's ledger sequence number.
func metrics(_ state: ServiceState) async throws -> Response {
    let counts = try await state.store.jobCounts()
    for s in ["queued", "running", "done", "failed", "cancelled"] {
        state.metrics.makeGauge(name: "ecocredit_jobs", labels: [("state", s)], help: "Jobs in each state.").set(Double(counts[s] ?? 0))
    }
    let jy = try await state.vouchers.currentHead().seq, sw = try await state.indicators.currentHead().seq
    state.metrics.makeGauge(name: "ecocredit_ledger_seq", labels: [("registry", JiangyinVouchers.name)], help: "The ledger's last sequence number.").set(Double(jy))
    state.metrics.makeGauge(name: "ecocredit_ledger_seq", labels: [("registry", ShanweiIndicators.name)], help: "The ledger's last sequence number.").set(Double(sw))
    return bytes(Data(state.metrics.emitToBuffer()), type: "text/plain; version=0.0.4; charset=utf-8")
}

/// The jobs API: upload a bundle, follow its job, fetch its outputs, cancel it.
struct JobRoutes: Sendable {
    let state: ServiceState

    func add(to group: RouterGroup<ServiceContext>) {
        group.post { request, context -> Response in try await create(request, by: try context.requireActor()) }
        group.get(":id") { _, context -> Response in
            try status(try await visibleJob(try context.parameters.require("id"), to: try context.requireActor()))
        }
        group.delete(":id") { _, context -> Response in
            let job = try await visibleJob(try context.parameters.require("id"), to: try context.requireActor())
            guard job.state == .queued || job.state == .running else { throw ServiceError.jobFinished(id: job.id, state: job.state.rawValue) }
            guard let cancelled = try await state.jobs.cancel(job.id) else { throw ServiceError.jobNotFound(id: job.id) }
            return try status(cancelled)
        }
        group.get(":id/report") { _, context -> Response in
            try report(try await visibleJob(try context.parameters.require("id"), to: try context.requireActor()))
        }
        group.get(":id/outputs/:name") { _, context -> Response in
            try output(try await visibleJob(try context.parameters.require("id"), to: try context.requireActor()), name: try context.parameters.require("name"))
        }
    }

    func visibleJob(_ id: String, to actor: Actor) async throws -> Job { try await state.jobs.job(id, visibleTo: actor) }

    /// POST /v1/jobs: the raw zip, streamed to the blob folder under the cap; 202 with the job.
    func create(_ request: Request, by actor: Actor) async throws -> Response {
        let type = request.headers[.contentType]
        guard let type, type.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() == "application/zip" else {
            throw ServiceError.unsupportedMediaType(got: type)
        }
        let lang = try request.queryWord("lang", in: ["zh", "en"], default: "zh")
        let stored = try await state.blobs.store(request.body, limit: state.maxBundleBytes)
        let id = JobID.make()
        let job = try await state.jobs.enqueue(id: id, owner: actor.id, bundleSHA256: stored.sha256, bytes: stored.bytes, lang: lang)
        var r = try status(job)
        r.status = .accepted
        r.headers[.location] = "/v1/jobs/" + id
        return r
    }

    /// GET /v1/jobs/{id}: state, stage, percent, error, and the outputs once there are any.
    func status(_ job: Job) throws -> Response {
        var body = JobView(job)
        body.outputs = OutputIndex.names(in: JobWorker.outputFolder(state.outputs, job: job.id))
        var r = try json(body)
        if job.state == .queued || job.state == .running { r.headers[.retryAfter] = "1" }
        return r
    }

    /// GET /v1/jobs/{id}/report: verification, measurements and check in one JSON object
    /// (null where the job has none), the files' own bytes spliced in.
    func report(_ job: Job) throws -> Response {
        let id = job.id
        let folder = JobWorker.outputFolder(state.outputs, job: id)
        let names = OutputIndex.names(in: folder)
        guard names.contains("verification.json") else { throw ServiceError.outputNotFound(job: id, name: "report") }
        var out = Data("{\"check\":".utf8)
        func part(_ name: String) -> Data {
            names.contains(name) ? (FileManager.default.contents(atPath: folder + "/" + name) ?? Data("null".utf8)) : Data("null".utf8)
        }
        out += part("check.json")
        out += Data(",\"measurements\":".utf8) + part("measurements.json")
        out += Data(",\"verification\":".utf8) + part("verification.json") + Data("}".utf8)
        return bytes(out, type: "application/json; charset=utf-8")
    }

    /// GET /v1/jobs/{id}/outputs/{name}: one file the job wrote, by a name its index.json lists
    /// (the name is looked up, never joined to a path as sent).
    func output(_ job: Job, name: String) throws -> Response {
        let id = job.id
        let folder = JobWorker.outputFolder(state.outputs, job: id)
        guard let listed = OutputIndex.names(in: folder).first(where: { $0 == name }),
              let data = FileManager.default.contents(atPath: folder + "/" + listed) else {
            throw ServiceError.outputNotFound(job: id, name: name)
        }
        var r = bytes(data, type: OutputIndex.mediaType(listed))
        if listed.hasSuffix(".html") {
            // The annex is self-contained: its own style sheet, SVG maps, no script. It may style
            // itself and nothing else (sandboxed: no script, no form, no other origin).
            r.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
        }
        return r
    }
}

/// A job as the API shows it.
struct JobView: Codable, Sendable {
    struct Failure: Codable, Sendable { var code: String; var zh: String; var en: String }
    var id: String
    var state: String
    var stage: String?
    var percent: Int
    var bundleSHA256: String
    var bundleBytes: Int64
    var attempts: Int
    var exitStatus: Int?
    var error: Failure?
    var outputs: [String] = []
    var createdAtMs: Int64
    var updatedAtMs: Int64

    init(_ job: Job) {
        id = job.id; state = job.state.rawValue; stage = job.stage; percent = job.percent
        bundleSHA256 = job.bundleSHA256; bundleBytes = job.bundleBytes; attempts = job.attempts; exitStatus = job.exitStatus
        error = job.errorCode.map { Failure(code: $0, zh: job.errorZh ?? "", en: job.errorEn ?? "") }
        createdAtMs = job.createdAtMs; updatedAtMs = job.updatedAtMs
    }
}

/// Job identifiers: 128 random bits, hexadecimal (not guessable from another job's).
enum JobID {
    static func make() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(g.next() as UInt64, radix: 16).leftPadded(16) }.joined()
    }
    static func isWellFormed(_ id: String) -> Bool { isLowerHex(id, digits: 32) }
}

/// The files a job's outputs folder holds, from its index.json (written last, atomically).
enum OutputIndex {
    static func names(in folder: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: folder + "/index.json"),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let files = json["files"] as? [[String: Any]] else { return [] }
        return files.compactMap { $0["name"] as? String }.filter { !$0.contains("/") && !$0.hasPrefix(".") }
    }
    static func mediaType(_ name: String) -> String {
        if name.hasSuffix(".json") { return "application/json; charset=utf-8" }
        if name.hasSuffix(".geojson") { return "application/geo+json; charset=utf-8" }
        if name.hasSuffix(".csv") { return "text/csv; charset=utf-8" }
        if name.hasSuffix(".html") { return "text/html; charset=utf-8" }
        if name.hasSuffix(".pdf") { return "application/pdf" }
        return "application/octet-stream"
    }
}

/// CSP `default-src 'self'` (unless the route set a stricter one) and the usual hardening
/// headers on every response.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = ServiceContext
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var r: Response
        do {
            r = try await next(request, context)
        } catch let e as any HTTPResponseError {
            // Refusals carry the same headers as answers.
            r = try e.response(from: request, context: context)
        } catch {
            // Anything else (the database, the file system): logged with the request, answered
            // 500 SERVICE.STORAGE without the detail (which may name the server's internals).
            context.logger.error("\(request.method) \(request.uri.path): \(String(reflecting: error))")
            r = try ServiceError.storage(detail: "").response(from: request, context: context)
        }
        if r.headers[.contentSecurityPolicy] == nil { r.headers[.contentSecurityPolicy] = "default-src 'self'" }
        r.headers[.xContentTypeOptions] = "nosniff"
        r.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return r
    }
}

func json<T: Encodable>(_ value: T) throws -> Response {
    bytes(try JSONEncoder.service.encode(value), type: "application/json; charset=utf-8")
}

func bytes(_ data: Data, type: String) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = type
    return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
}

extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}

extension ServiceContext {
    /// The authenticated actor (the policy admitted the request, so there is one where needed).
    func requireActor() throws -> Actor {
        guard let actor else { throw ServiceError.unauthenticated }
        return actor
    }
}
