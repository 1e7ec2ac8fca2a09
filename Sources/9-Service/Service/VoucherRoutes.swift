import Foundation
import HTTPTypes
import Hummingbird
import Plumbing
import Registry
import RegistryStore
import Rules

/// The Jiangyin eco-voucher registry over HTTP: the public register (supply per state, every
/// voucher, redacted), the ledger's head and events, and every registry command — each POST
/// with an `Idempotency-Key` (the same key and body → the stored reply; the same key with another
/// body → 422), every reply carrying the ledger's sequence number. The registry decides: the
/// routes only authenticate, read the body and map its refusals to HTTP statuses.
struct VoucherRoutes: Sendable {
    let ledger: any LedgerStore<JiangyinVouchers>
    let rules: VoucherTradingRules
    let jobs: JobStore
    let outputs: String
    let blobs: BlobFolder

    func add(to router: Router<ServiceContext>) {
        router.get("/v1/register/summary") { _, _ -> Response in try await summary() }
        router.get("/v1/jy/vouchers") { _, context -> Response in
            let snap = try await ledger.snapshot()
            return try json(VoucherList(ledgerSeq: snap.seq,
                                        vouchers: snap.state.vouchers.keys.sorted().map { Self.view(snap.state.vouchers[$0]!, to: context.actor) }))
        }
        router.get("/v1/jy/vouchers/:number") { _, context -> Response in
            let number = try context.parameters.require("number")
            let snap = try await ledger.snapshot()
            guard let v = snap.state.vouchers[number] else { throw RegistryRefusal.unknown(number: number, seq: snap.seq) }
            return try json(Self.view(v, to: context.actor))
        }
        router.get("/v1/ledger/head") { _, _ -> Response in
            let h = try await ledger.currentHead()
            return try json(LedgerHead(registry: JiangyinVouchers.name, ledgerSeq: h.seq, hash: hexadecimal(h.hash)))
        }
        router.get("/v1/ledger/events") { request, context -> Response in
            try await events(after: request.uri.queryParameters.get("after").flatMap(UInt64.init) ?? 0,
                       limit: min(1000, max(1, request.uri.queryParameters.get("limit").flatMap(Int.init) ?? 100)),
                       full: context.actor.map { [.auditor, .officer, .approver].contains($0.role) } ?? false)
        }
        router.post("/v1/jy/commands") { request, context -> Response in
            let actor = try context.requireActor()
            let body = try await request.body.collect(upTo: 64 << 10)
            let command: VoucherCommand
            do { command = try JSONDecoder().decode(VoucherCommand.self, from: body) } catch {
                throw ServiceError.badBody(detail: "\(error)")
            }
            if case .prepareIssue = command { throw ServiceError.badBody(detail: "an issue is prepared from a job: POST /v1/jy/issues") }
            return try await run(command, by: actor, key: try Self.idempotencyKey(request))
        }
        router.post("/v1/jy/issues") { request, context -> Response in
            let actor = try context.requireActor()
            let key = try Self.idempotencyKey(request)
            let body = try await request.body.collect(upTo: 16 << 10)
            let issue: IssueRequest
            do { issue = try JSONDecoder().decode(IssueRequest.self, from: body) } catch { throw ServiceError.badBody(detail: "\(error)") }
            return try await run(.prepareIssue(number: issue.number, holder: issue.holder, landRightsHolder: issue.landRightsHolder,
                                               source: try await source(ofJob: issue.job, by: actor)), by: actor, key: key)
        }
    }

    /// GET /v1/register/summary: supply per state (base units: 1/10 000 of a voucher unit), the
    /// number of vouchers and the ledger's head. No personal data.
    func summary() async throws -> Response {
        let snap = try await ledger.snapshot()
        let state = snap.state, head = (seq: snap.seq, hash: snap.hash)
        return try json(RegisterSummary(registry: JiangyinVouchers.name, ledgerSeq: head.seq, head: hexadecimal(head.hash),
                                        vouchers: state.vouchers.count,
                                        supply: Supply.vouchers(state).map { .init(state: $0.state, baseUnits: $0.baseUnits) }))
    }

    /// GET /v1/ledger/events: the hash-chained log after `after`, at most `limit` events. Every
    /// event's sequence number, type, previous hash and hash for anyone (the chain's shape, and
    /// its head to compare with a signed checkpoint); the payload — names of holders, bidders,
    /// officers — only to auditors, officers and approvers.
    func events(after: UInt64, limit: Int, full: Bool) async throws -> Response {
        let log = try await ledger.storedLog()
        let page = log.entries.lazy.filter { $0.seq > after }.prefix(limit).map { e in
            LedgerEvent(seq: e.seq, type: e.type, prev: hexadecimal(e.prev), hash: hexadecimal(e.hash),
                        payload: full ? String(decoding: e.payload, as: UTF8.self) : nil)
        }
        return try json(EventPage(registry: JiangyinVouchers.name, ledgerSeq: log.entries.last?.seq ?? 0, redacted: !full, events: Array(page)))
    }

    /// Runs a command and answers with the outcome and the ledger's head.
    func run(_ command: VoucherCommand, by actor: Actor, key: String) async throws -> Response {
        let outcome = try await ledger.run(command, by: actor, key: key, at: Instant(milliseconds: JobStore.now()), rules: rules)
        // The command's own last event when it appended; else the head it was refused (or replayed) at.
        var seq = outcome.appended.last ?? 0
        if outcome.appended.isEmpty { seq = try await ledger.currentHead().seq }
        if let code = outcome.refusal {
            throw RegistryRefusal(code: code, zh: outcome.refusalZh ?? "", en: outcome.refusalEn ?? "", article: outcome.article, ledgerSeq: seq)
        }
        return try json(CommandReply(ledgerSeq: seq, appended: outcome.appended, replayed: outcome.replayed))
    }

    /// The issue source of a job the actor may see: its check's voucher quantity, the stored
    /// bundle's SHA-256 (the bundle is copied into the ledger, never deleted: I10) and the rulebook.
    func source(ofJob id: String, by actor: Actor) async throws -> IssueSource {
        let job = try await jobs.job(id, visibleTo: actor)
        let folder = JobWorker.outputFolder(outputs, job: id)
        guard job.state == .done, OutputIndex.names(in: folder).contains("check.json"),
              let data = FileManager.default.contents(atPath: folder + "/check.json"),
              let check = try? JSONDecoder().decode(CheckSummary.self, from: data) else {
            throw ServiceError.outputNotFound(job: id, name: "check.json")
        }
        guard let path = blobs.file(sha256: job.bundleSHA256), let bytes = FileManager.default.contents(atPath: path) else {
            throw ServiceError.storage(detail: "job \(id): its bundle is missing from the blob folder")
        }
        let stored = try await ledger.store(blob: [UInt8](bytes))
        let q = check.quantities.first { $0.id == "vouchers" }
        let reasons = IssueSource.blockers(quantity: "vouchers", status: q?.status, reasonCodes: q?.reasons.map(\.code) ?? [])
        return IssueSource(job: "job \(id) \(check.checkDate ?? "")", bundleSHA256: stored, rulebook: check.rulebook ?? "",
                           quantity: q?.units ?? 0, issuable: q != nil && reasons.isEmpty, reasons: reasons, rulebookSHA256: nil)
    }

    static func idempotencyKey(_ request: Request) throws -> String {
        guard let key = request.headers[HTTPField.Name("Idempotency-Key")!], !key.isEmpty, key.utf8.count <= 200 else {
            throw ServiceError.idempotencyKeyMissing
        }
        return key
    }

    /// A voucher as the caller may see it: the holder, the land-rights holder and the pledgee
    /// only to the holder and pledgee themselves and to officers, approvers and auditors.
    static func view(_ v: Voucher, to actor: Actor?) -> VoucherRow {
        var row = VoucherRow(v)
        let sees = actor.map { [.officer, .approver, .auditor].contains($0.role) || $0.id == v.holder || $0.id == v.pledgee } ?? false
        if !sees { row.holder = ""; row.pledgee = row.pledgee.map { _ in "" } }
        return row
    }
}

/// What POST /v1/jy/issues takes.
struct IssueRequest: Codable, Sendable {
    var number: String
    var holder: String
    var landRightsHolder: String
    /// The job whose check gives the quantity.
    var job: String
}

/// The part of check.json an issue reads.
struct CheckSummary: Decodable {
    struct Quantity: Decodable {
        struct Reason: Decodable { var code: String }
        var id: String
        var units: Int64?
        var status: String
        var reasons: [Reason]
    }
    var quantities: [Quantity]
    var checkDate: String?
    var rulebook: String?
}

struct CommandReply: Codable, Sendable {
    var ledgerSeq: UInt64
    var appended: [UInt64]
    var replayed: Bool
}

struct LedgerHead: Codable, Sendable {
    var registry: String
    var ledgerSeq: UInt64
    var hash: String
}

struct LedgerEvent: Codable, Sendable {
    var seq: UInt64
    var type: String
    var prev: String
    var hash: String
    /// The event's canonical JSON (what the hash covers); nil when redacted.
    var payload: String?
}

struct EventPage: Codable, Sendable {
    var registry: String
    var ledgerSeq: UInt64
    var redacted: Bool
    var events: [LedgerEvent]
}

struct VoucherList: Codable, Sendable {
    var ledgerSeq: UInt64
    var vouchers: [VoucherRow]
}

struct RegisterSummary: Codable, Sendable {
    struct Line: Codable, Sendable { var state: String; var baseUnits: Int64 }
    var registry: String
    var ledgerSeq: UInt64
    var head: String
    var vouchers: Int
    var supply: [Line]
}

/// A registry refusal as HTTP: 403 for role and maker–checker refusals, 404 for an unknown
/// voucher — and for a voucher the caller does not hold, with the same body (no existence leak) —
/// 422 for a reused idempotency key or a malformed value, 409 for the rest (the state forbids it).
struct RegistryRefusal: Error, HTTPResponseError {
    var code: String, zh: String, en: String, article: String?, ledgerSeq: UInt64

    static func unknown(number: String, seq: UInt64) -> RegistryRefusal {
        RegistryRefusal(code: "REG.UNKNOWN_VOUCHER", zh: "", en: "", article: nil, ledgerSeq: seq)
    }

    var status: HTTPResponse.Status {
        switch code {
        case "REG.ROLE_NOT_ALLOWED", "REG.SAME_OFFICER": return .forbidden
        case "REG.UNKNOWN_VOUCHER", "REG.NOT_HOLDER", "REG.UNKNOWN_PURCHASE_PLAN", "REG.NOTHING_PREPARED": return .notFound
        case "REG.IDEMPOTENCY_MISMATCH", "REG.QUANTITY_INVALID", "REG.BID_INVALID", "REG.SCHEDULE_INVALID", "REG.REFERENCE_MISSING",
             "REG.MONEY_OVERFLOW", "REG.PRICE_OUT_OF_BOUNDS", "REG.BELOW_MINIMUM_PRICE": return .unprocessableContent
        default: return .conflict
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        // Not the holder: told exactly what an unknown number is told, byte for byte.
        let body = code == "REG.NOT_HOLDER" || code == "REG.UNKNOWN_VOUCHER"
            ? ErrorBody(code: "REG.UNKNOWN_VOUCHER", zh: "没有此编号的生态券", en: "no such voucher", article: nil, ledgerSeq: ledgerSeq)
            : ErrorBody(code: code, zh: zh, en: en, article: article, ledgerSeq: ledgerSeq)
        return try body.response(status: status)
    }
}
