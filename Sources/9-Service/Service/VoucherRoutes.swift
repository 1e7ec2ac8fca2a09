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
    let registry: RegistryEndpoints<JiangyinVouchers>
    var ledger: any LedgerStore<JiangyinVouchers> { registry.ledger }

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
        router.get("/v1/ledger/head") { _, _ -> Response in try await registry.head() }
        router.get("/v1/ledger/events") { request, context -> Response in try await registry.events(request, context: context) }
        router.post("/v1/jy/commands") { request, context -> Response in
            let actor = try context.requireActor()
            let key = try RegistryEndpoints<JiangyinVouchers>.idempotencyKey(request)
            let command = try await registry.command(request)
            if case .prepareIssue = command { throw ServiceError.badBody(detail: "an issue is prepared from a job: POST /v1/jy/issues") }
            return try await registry.run(command, by: actor, key: key)
        }
        router.post("/v1/jy/issues") { request, context -> Response in
            let actor = try context.requireActor()
            let key = try RegistryEndpoints<JiangyinVouchers>.idempotencyKey(request)
            let issue = try await RegistryEndpoints<JiangyinVouchers>.body(IssueRequest.self, of: request, upTo: 16 << 10)
            let source = try await registry.source(ofJob: issue.job, quantity: "vouchers", by: actor)
            return try await registry.run(.prepareIssue(number: issue.number, holder: issue.holder, landRightsHolder: issue.landRightsHolder,
                                                        source: source), by: actor, key: key)
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
        case "REG.UNKNOWN_VOUCHER", "REG.NOT_HOLDER", "REG.UNKNOWN_PURCHASE_PLAN", "REG.NOTHING_PREPARED",
             "REG.UNKNOWN_LOT", "REG.UNKNOWN_PLAN", "REG.UNKNOWN_AUCTION": return .notFound
        case "REG.IDEMPOTENCY_MISMATCH", "REG.QUANTITY_INVALID", "REG.BID_INVALID", "REG.SCHEDULE_INVALID", "REG.REFERENCE_MISSING",
             "REG.MONEY_OVERFLOW", "REG.PRICE_OUT_OF_BOUNDS", "REG.BELOW_MINIMUM_PRICE", "REG.UNKNOWN_DISTRICT": return .unprocessableContent
        default: return .conflict
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        // Not the holder: told exactly what an unknown number is told, byte for byte.
        let body = code == "REG.NOT_HOLDER" || code == "REG.UNKNOWN_VOUCHER"
            ? ErrorBody(code: "REG.UNKNOWN_VOUCHER", zh: "没有此编号的生态券", en: "no such voucher", article: nil, ledgerSeq: Int(ledgerSeq))
            : ErrorBody(code: code, zh: zh, en: en, article: article, ledgerSeq: Int(ledgerSeq))
        return try body.response(status: status)
    }
}
