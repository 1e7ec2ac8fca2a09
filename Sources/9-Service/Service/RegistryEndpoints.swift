import Foundation
import HTTPTypes
import Hummingbird
import Plumbing
import Registry
import RegistryStore

/// What both registries' routes share, for any registry domain: running a command (the
/// idempotency key, the ledger sequence number in every reply, refusals as HTTP), the event log
/// and head, and an issue source from a job's check. The registry decides; these only carry.
struct RegistryEndpoints<D: RegistryDomain>: Sendable {
    let ledger: any LedgerStore<D>
    let rules: D.Rules
    let jobs: JobStore
    let outputs: String
    let blobs: BlobFolder

    /// GET …/ledger/head.
    func head() async throws -> Response {
        let h = try await ledger.currentHead()
        return try json(LedgerHead(registry: D.name, ledgerSeq: h.seq, hash: hexadecimal(h.hash)))
    }

    /// GET …/ledger/events: the hash-chained log after `after`, at most `limit` events. Every
    /// event's sequence number, type, previous hash and hash for anyone (the chain's shape, and
    /// its head to compare with a signed checkpoint); the payload — names of holders, bidders,
    /// officers — only to auditors, officers and approvers.
    func events(_ request: Request, context: ServiceContext) async throws -> Response {
        let after = try request.queryInteger("after", in: 0...UInt64.max, default: 0)
        let limit = try request.queryInteger("limit", in: 1...1000, default: 100)
        let full = context.actor.map { [.auditor, .officer, .approver].contains($0.role) } ?? false
        let log = try await ledger.storedLog()
        let page = log.entries.lazy.filter { $0.seq > after }.prefix(limit).map { e in
            LedgerEvent(seq: e.seq, type: e.type, prev: hexadecimal(e.prev), hash: hexadecimal(e.hash),
                        payload: full ? String(decoding: e.payload, as: UTF8.self) : nil)
        }
        return try json(EventPage(registry: D.name, ledgerSeq: log.entries.last?.seq ?? 0, redacted: !full, events: Array(page)))
    }

    /// Reads a command from the body (at most 64 KiB of JSON, `{"<command>": {…}}`).
    func command(_ request: Request) async throws -> D.Command { try await Self.body(D.Command.self, of: request, upTo: 64 << 10) }

    /// A request body as JSON of `type`, at most `limit` bytes; 400 HTTP.BAD_BODY with the
    /// decoder's reason otherwise.
    static func body<T: Decodable>(_ type: T.Type, of request: Request, upTo limit: Int) async throws -> T {
        let body = try await request.collectBody(upTo: limit)
        do { return try JSONDecoder().decode(T.self, from: body) } catch { throw ServiceError.badBody(detail: reason(error, body: body)) }
    }

    /// What was wrong with a body, where Foundation's own words mislead: a number that is not a
    /// whole Int64 (1e300, 10000.5) it reports as "not valid JSON" with no path, and a command
    /// name the registry does not have as "Invalid number of keys found".
    static func reason(_ error: any Error, body: ByteBuffer) -> String {
        switch error {
        case DecodingError.dataCorrupted(let c) where c.codingPath.isEmpty && (try? JSONSerialization.jsonObject(with: Data(buffer: body))) != nil:
            return "a number is not a whole number from -9223372036854775808 to 9223372036854775807 (amounts in fen and quantities in base units are integers)"
        case DecodingError.typeMismatch(_, let c) where c.codingPath.isEmpty && c.debugDescription.hasPrefix("Invalid number of keys"):
            return "expected exactly one command, {\"<command>\": {…}}, by one of the names this operation lists"
        default:
            return "\(error)"
        }
    }

    /// Runs a command and answers with the outcome and the ledger's head.
    func run(_ command: D.Command, by actor: Actor, key: String) async throws -> Response {
        let outcome = try await ledger.run(command, by: actor, key: key, at: Instant(milliseconds: JobStore.now()), rules: rules)
        // The command's own last event when it appended; else the head it was refused (or replayed) at.
        var seq = outcome.appended.last ?? 0
        if outcome.appended.isEmpty { seq = try await ledger.currentHead().seq }
        if let code = outcome.refusal {
            throw RegistryRefusal(code: code, zh: outcome.refusalZh ?? "", en: outcome.refusalEn ?? "", article: outcome.article, ledgerSeq: seq)
        }
        return try json(CommandReply(ledgerSeq: seq, appended: outcome.appended, replayed: outcome.replayed))
    }

    /// The issue source of a job the actor may see: its check's quantity `quantity` (by id:
    /// "vouchers", "indicatorMetres"), the stored bundle's SHA-256 (the bundle is copied into the
    /// ledger, never deleted: I10) and the rulebook.
    func source(ofJob id: String, quantity: String, by actor: Actor) async throws -> IssueSource {
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
        let q = check.quantities.first { $0.id == quantity }
        let reasons = IssueSource.blockers(quantity: quantity, status: q?.status, reasonCodes: q?.reasons.map(\.code) ?? [])
        return IssueSource(job: "job \(id) \(check.checkDate ?? "")", bundleSHA256: stored, rulebook: check.rulebook ?? "",
                           quantity: q?.units ?? 0, issuable: q != nil && reasons.isEmpty, reasons: reasons, rulebookSHA256: nil)
    }

    static func idempotencyKey(_ request: Request) throws -> String {
        guard let key = request.headers[HTTPField.Name("Idempotency-Key")!], !key.isEmpty, key.utf8.count <= 200 else {
            throw ServiceError.idempotencyKeyMissing
        }
        return key
    }
}

