import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import Plumbing
import Registry
import RegistryStore

/// The pages people use, server-rendered with Mustache (the annex's engine), bilingual, with no
/// external assets (CSP `default-src 'self'`): the public register (no script), sign-in, and the
/// pre-acceptance upload (one plain script, static/upload.js). Sign-in opens a session cookie
/// (HttpOnly, SameSite=Strict); every change a page makes carries the session's CSRF token.
struct Pages: Sendable {
    let vouchers: any LedgerStore<JiangyinVouchers>
    let indicators: any LedgerStore<ShanweiIndicators>
    let jobs: JobStore
    let outputs: String
    let sessions: SessionStore
    let library: MustacheLibrary
    let secureCookies: Bool

    init(vouchers: any LedgerStore<JiangyinVouchers>, indicators: any LedgerStore<ShanweiIndicators>, jobs: JobStore, outputs: String, sessions: SessionStore, secureCookies: Bool) throws {
        self.vouchers = vouchers; self.indicators = indicators; self.jobs = jobs; self.outputs = outputs; self.sessions = sessions; self.secureCookies = secureCookies
        var library = MustacheLibrary()
        for name in ["register", "history", "login", "upload", "desk", "trading"] {
            library.register(try MustacheTemplate(string: try Self.resource(name + ".mustache")), named: name)
        }
        self.library = library
    }

    static func resource(_ name: String) throws -> String {
        guard let dir = Bundle.module.resourceURL, let data = FileManager.default.contents(atPath: dir.appendingPathComponent("pages/" + name).path) else {
            throw ServiceError.storage(detail: "page resource \(name) missing")
        }
        return String(decoding: data, as: UTF8.self)
    }

    func add(to router: Router<ServiceContext>) {
        router.get("/") { _, _ -> Response in try html(library.render(try await registerPage(), withTemplate: "register") ?? "") }
        router.get("/register.csv") { _, _ -> Response in try await registerCSV() }
        router.get("/register/lots.csv") { _, _ -> Response in try await lotsCSV() }
        router.get("/register/lots/:lot") { _, context -> Response in
            try html(library.render(try await lotHistoryPage(try context.parameters.require("lot")), withTemplate: "history") ?? "")
        }
        router.get("/register/vouchers/:number") { _, context -> Response in
            try html(library.render(try await historyPage(try context.parameters.require("number")), withTemplate: "history") ?? "")
        }
        router.get("/login") { request, _ -> Response in
            let next = Self.safeNext(request.uri.queryParameters.get("next"))
            return try html(library.render(["failed": request.uri.queryParameters.get("failed") != nil, "next": next], withTemplate: "login") ?? "")
        }
        router.get("/upload") { _, context -> Response in
            guard let actor = context.actor, let csrf = context.csrf else { return Self.redirect("/login?next=/upload") }
            return try html(library.render(["csrf": csrf, "actor": actor.id, "role": actor.role.rawValue], withTemplate: "upload") ?? "")
        }
        router.get("/desk") { _, context -> Response in
            guard let actor = context.actor, let csrf = context.csrf else { return Self.redirect("/login?next=/desk") }
            guard [.officer, .approver].contains(actor.role) else { throw ServiceError.forbidden(role: actor.role.rawValue) }
            return try html(library.render(try await deskPage(actor: actor, csrf: csrf), withTemplate: "desk") ?? "")
        }
        router.get("/trading") { _, context -> Response in
            try html(library.render(try await tradingPage(actor: context.actor, csrf: context.csrf), withTemplate: "trading") ?? "")
        }
        router.get("/favicon.ico") { _, _ -> Response in Response(status: .noContent) }
        router.get("/static/:file") { _, context -> Response in
            let file = try context.parameters.require("file")
            guard let type = Self.staticFiles[file] else { throw HTTPError(.notFound) }
            var r = bytes(Data(try Self.resource(file).utf8), type: type)
            r.headers[.cacheControl] = "no-cache"
            return r
        }
        router.post("/v1/sessions") { request, _ -> Response in try await login(request) }
        router.delete("/v1/sessions") { request, _ -> Response in
            if let cookie = request.cookies[AuthMiddleware.cookieName]?.value { try await sessions.logout(cookie) }
            var r = Response(status: .noContent)
            r.setCookie(Cookie(name: AuthMiddleware.cookieName, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict))
            return r
        }
    }

    static let staticFiles = ["upload.js": "text/javascript; charset=utf-8", "desk.js": "text/javascript; charset=utf-8",
                              "trading.js": "text/javascript; charset=utf-8",
                              "style.css": "text/css; charset=utf-8"]

    /// The listings: every voucher listed for resale by sealed bids, with its schedule and how
    /// many bids were committed and revealed (never who bid what before the reveal); a bid form
    /// for a signed-in contractor who is not the seller.
    func tradingPage(actor: Actor?, csrf: String?) async throws -> [String: Any] {
        let state = try await vouchers.snapshot().state, now = Instant(milliseconds: JobStore.now())
        var listings: [[String: Any]] = []
        for n in state.vouchers.keys.sorted() {
            guard case .listed(let a) = state.vouchers[n]!.state else { continue }
            let bidder = actor.map { $0.role == .holder && $0.id != a.seller } ?? false
            listings.append([
                "number": n, "auction": a.id, "asking": a.askingFenPerUnit, "closes": a.closes.description, "revealEnds": a.revealEnds.description,
                "closesMs": a.closes.milliseconds, "revealEndsMs": a.revealEnds.milliseconds,
                "bids": a.bids.count, "revealed": a.bids.filter { $0.revealed != nil }.count,
                "canBid": bidder && now < a.closes, "canReveal": bidder && now >= a.closes && now < a.revealEnds,
            ])
        }
        // The indicator auctions: open ones take bids and reveals; evaluated ones show the result
        // and the publicity period (SW 26).
        let sw = try await indicators.snapshot().state
        let swAuctions = sw.auctions.keys.sorted().map { id -> [String: Any] in
            let a = sw.auctions[id]!, view = AuctionRow(a)
            let bidder = actor?.role == .holder
            var row: [String: Any] = ["auction": id, "plan": a.plan, "phase": a.phase.rawValue, "reserve": a.reserveFenPerMetre,
                                      "closes": a.closes.description, "revealEnds": a.revealEnds.description, "bids": view.bids, "revealed": view.revealed,
                                      "canBid": bidder && a.phase == .open && now >= a.opens && now < a.closes,
                                      "canReveal": bidder && a.phase == .open && now >= a.closes && now < a.revealEnds]
            if let w = view.winner, let p = view.fenPerMetre {
                row["winner"] = w; row["price"] = p
                row["publicityEnds"] = view.publicityEndsMs.map { Instant(milliseconds: Int64($0)).description } ?? "—"
            }
            return row
        }
        var page: [String: Any] = ["csrf": csrf ?? "", "listings": listings, "swAuctions": swAuctions]
        if let actor { page["actor"] = actor.id; page["role"] = actor.role.rawValue }
        return page
    }

    /// The officer desk: the latest jobs; the issues prepared and awaiting a second officer; every
    /// voucher with what an officer can do to it in its state — register a holder change after a
    /// sale (JY 29–30), record a loss notice (JY 36), prepare a reissue (补发) and, for a second
    /// officer, approve it. The registry checks each actor again.
    func deskPage(actor: Actor, csrf: String) async throws -> [String: Any] {
        let state = try await vouchers.snapshot().state, now = Instant(milliseconds: JobStore.now())
        let sw = try await indicators.snapshot().state
        let recent = try await jobs.recent(limit: 50)
        return [
            "csrf": csrf, "actor": actor.id, "role": actor.role.rawValue,
            "jobs": recent.map { j -> [String: Any] in
                var row: [String: Any] = ["id": j.id, "owner": j.owner, "state": j.state.rawValue,
                                          "annex": OutputIndex.names(in: JobWorker.outputFolder(outputs, job: j.id)).contains("annex.html")]
                if let code = j.errorCode { row["error"] = code }
                return row
            },
            "vouchers": state.vouchers.keys.sorted().map { n -> [String: Any] in
                let v = state.vouchers[n]!, row = VoucherRow(v)
                var out: [String: Any] = ["number": n, "units": VoucherUnits.text(row.last - row.first + 1), "holder": v.holder,
                                          "state": row.state, "stateZh": Self.stateZh[row.state] ?? row.state, "reissued": row.reissued]
                switch v.state {
                case .pendingHolderChange(let buyer, _, _, _): out["holderChange"] = buyer
                case .held: out["lossNotice"] = true
                case .lossNoticed:
                    if let preparer = state.pendingReissues[n] { out["reissuePreparedBy"] = preparer } else { out["prepareReissue"] = true }
                default: break
                }
                return out
            },
            "today": now.chinaDate.description,
            "pendingLots": sw.pendingLots.keys.sorted().map { id -> [String: Any] in
                let p = sw.pendingLots[id]!
                return ["lot": id, "metres": IndicatorLength.metresText(p.source.quantity), "district": p.funding.district, "preparedBy": p.preparedBy, "job": p.source.job]
            },
            "pending": state.pendingIssues.keys.sorted().map { n -> [String: Any] in
                let p = state.pendingIssues[n]!
                return ["number": n, "units": VoucherUnits.text(p.source.quantity), "preparedBy": p.preparedBy, "job": p.source.job]
            },
        ]
    }

    /// POST /v1/sessions: `{actor, password}` as JSON (programs: 200 with the CSRF token) or as
    /// the sign-in form (people: 303 to the page they came for, or back with the failure shown).
    func login(_ request: Request) async throws -> Response {
        let body = try await request.collectBody(upTo: 8 << 10)
        let form = request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") ?? false
        var fields: [String: String] = [:]
        if form {
            for pair in String(buffer: body).split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
                if kv.count == 2 { fields[kv[0]] = kv[1] }
            }
        } else {
            guard let json = try? JSONDecoder().decode([String: String].self, from: body), json["actor"] != nil, json["password"] != nil else {
                throw ServiceError.badBody(detail: "expected {actor, password}")
            }
            fields = json
        }
        guard let id = fields["actor"], let password = fields["password"], let (session, csrf, actor) = try await sessions.login(actor: id, password: password) else {
            if form { return Self.redirect("/login?failed=1&next=" + (Self.safeNext(fields["next"]).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")) }
            throw ServiceError.loginFailed
        }
        let cookie = Cookie(name: AuthMiddleware.cookieName, value: session, maxAge: Int(sessions.lifetime), path: "/",
                            secure: secureCookies, httpOnly: true, sameSite: .strict)
        var r = form ? Self.redirect(Self.safeNext(fields["next"])) : try json(SessionReply(actor: actor.id, role: actor.role.rawValue, csrf: csrf))
        r.setCookie(cookie)
        return r
    }

    /// Only a path on this site (never another origin) is a place to go after signing in: one
    /// "/", then printable ASCII without spaces or backslashes. Browsers drop tabs and newlines
    /// from a URL and read a backslash as "/", so "/" TAB "/evil.example" or "/" BACKSLASH
    /// "evil.example" would be "//evil.example", another site.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), next.utf8.count < 200,
              next.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "\\") }) else { return "/upload" }
        return next
    }

    static func redirect(_ to: String) -> Response {
        var r = Response(status: .seeOther)
        r.headers[.location] = to
        return r
    }

    /// What the register page shows: the same numbers as GET /v1/register/summary.
    func registerPage() async throws -> [String: Any] {
        let snap = try await vouchers.snapshot()
        let state = snap.state, head = (seq: snap.seq, hash: snap.hash)
        let supply = Supply.vouchers(state)
        let total = supply.reduce(Int64(0)) { $0 + $1.baseUnits }
        let sw = try await indicators.snapshot()
        let lots = IndicatorRoutes.rows(sw.state)
        // Metres per state as the CLI's `indicators show` gives them (Supply.lots), and the lots
        // prepared and awaiting approval.
        let prepared = sw.state.pendingLots.values.reduce(Int64(0)) { $0 + $1.source.quantity }
        let perState = Supply.lots(sw.state) + (sw.state.pendingLots.isEmpty ? [] : [(state: "prepared", centimetres: prepared)])
        let checkpoints = try await vouchers.storedCheckpoints() + indicators.storedCheckpoints()
        return [
            "swLedgerSeq": sw.seq, "swHead": hexadecimal(sw.hash),
            "swSupply": perState.map { line -> [String: Any] in
                ["state": line.state, "stateZh": Self.lotStateZh[line.state] ?? line.state, "lots": lots.filter { $0.state.rawValue == line.state }.count,
                 "centimetres": line.centimetres, "metres": IndicatorLength.metresText(line.centimetres)]
            },
            "lots": lots.map { l -> [String: Any] in
                // (a link to the lot's history: /register/lots/{lot})
                var row: [String: Any] = ["lot": l.lot, "metres": IndicatorLength.metresText(Int64(l.centimetres)), "state": l.state.rawValue, "district": l.district,
                                          "bundle": String(l.bundleSHA256.prefix(12))]
                if let ref = l.ref { row["ref"] = ref }
                return row
            },
            "auctions": sw.state.auctions.keys.sorted().map { id -> [String: Any] in
                let a = AuctionRow(sw.state.auctions[id]!)
                var row: [String: Any] = ["auction": a.auction, "phase": a.phase.rawValue, "reserve": RevenueSplit.yuan(Int64(a.reserveFenPerMetre)),
                                          "bids": a.bids, "revealed": a.revealed]
                if let w = a.winner, let p = a.fenPerMetre {
                    row["winner"] = w; row["price"] = RevenueSplit.yuan(Int64(p))
                    row["publicityEnds"] = a.publicityEndsMs.map { Instant(milliseconds: Int64($0)).description } ?? "—"
                }
                return row
            },
            "checkpoints": checkpoints.map { c -> [String: Any] in
                ["registry": c.registry, "seq": c.seq, "hash": c.hash, "signedAt": c.signedAt.description, "publicKey": String(c.publicKey.prefix(16)) + "…"]
            },
            "ledgerSeq": head.seq, "head": hexadecimal(head.hash), "vouchers": state.vouchers.count,
            "supply": supply.map { ["state": $0.state, "stateZh": Self.stateZh[$0.state] ?? $0.state, "units": VoucherUnits.text($0.baseUnits), "baseUnits": $0.baseUnits] as [String: Any] },
            "totalUnits": VoucherUnits.text(total), "totalBaseUnits": total,
            "rows": state.vouchers.keys.sorted().map { n -> [String: Any] in
                let v = VoucherRow(state.vouchers[n]!)
                return ["number": v.number, "first": v.first, "last": v.last, "units": VoucherUnits.text(v.last - v.first + 1),
                        "edition": v.edition, "reissued": v.reissued, "state": v.state]
            },
        ]
    }

    /// GET /register.csv: every voucher as the register page shows it (no personal data).
    func registerCSV() async throws -> Response {
        let state = try await vouchers.snapshot().state
        var out = "number,first_serial,last_serial,units,edition,reissued,state\n"
        for n in state.vouchers.keys.sorted() {
            let v = VoucherRow(state.vouchers[n]!)
            out += [v.number, String(v.first), String(v.last), VoucherUnits.text(v.last - v.first + 1), String(v.edition), v.reissued ? "补发" : "", v.state]
                .map(Self.csvField).joined(separator: ",") + "\n"
        }
        return bytes(Data(out.utf8), type: "text/csv; charset=utf-8")
    }

    /// GET /register/vouchers/{number}: a voucher's history — every event that names it (issue,
    /// sales, holder changes, splits, surrender, loss and reissue), with its article and time,
    /// without the parties' names. 404 for a number the register does not have.
    func historyPage(_ number: String) async throws -> [String: Any] {
        let snap = try await vouchers.snapshot()
        guard let v = snap.state.vouchers[number] else { throw RegistryRefusal.unknown(number: number, seq: snap.seq) }
        let row = VoucherRow(v)
        let log = try await vouchers.storedLog()
        var events: [[String: Any]] = []
        for e in log.entries {
            guard let record = try? JSONDecoder().decode(VoucherRecord.self, from: Data(e.payload)),
                  Self.names(number, in: e.payload) else { continue }
            events.append(["seq": e.seq, "type": e.type, "article": record.article, "at": record.at.description, "hash": String(hexadecimal(e.hash).prefix(16))])
        }
        return ["number": number, "state": row.state, "units": VoucherUnits.text(row.last - row.first + 1), "edition": row.edition,
                "reissued": row.reissued, "events": events]
    }

    /// GET /register/lots/{lot}: an indicator lot's history — its own events, its plans' and its
    /// auctions' (bids counted, never named), with article and time, without the parties' names.
    func lotHistoryPage(_ id: String) async throws -> [String: Any] {
        let snap = try await indicators.snapshot()
        guard let row = IndicatorRoutes.rows(snap.state).first(where: { $0.lot == id }) else {
            throw RegistryRefusal(code: "REG.UNKNOWN_LOT", zh: "没有此编号的指标批次", en: "no such lot", article: nil, ledgerSeq: snap.seq)
        }
        let plans = Set(snap.state.plans.values.filter { $0.lots.contains(id) }.map(\.id))
        let auctions = Set(snap.state.auctions.values.filter { plans.contains($0.plan) }.map(\.id))
        var events: [[String: Any]] = []
        for e in try await indicators.storedLog().entries {
            guard let record = try? JSONDecoder().decode(IndicatorRecord.self, from: Data(e.payload)),
                  let fields = Self.eventFields(e.payload) else { continue }
            let named = fields["lot"] as? String == id || (fields["lots"] as? [String])?.contains(id) == true
                || (fields["plan"] as? String).map(plans.contains) == true || (fields["auction"] as? String).map(auctions.contains) == true
            guard named else { continue }
            events.append(["seq": e.seq, "type": e.type, "article": record.article, "at": record.at.description, "hash": String(hexadecimal(e.hash).prefix(16))])
        }
        return ["number": id, "kind": "lot", "state": row.state.rawValue + (row.ref.map { " (\($0))" } ?? ""), "units": IndicatorLength.metresText(Int64(row.centimetres)) + " m",
                "edition": "—", "reissued": false, "events": events]
    }

    /// GET /register/lots.csv: every lot as the register page shows it.
    func lotsCSV() async throws -> Response {
        var out = "lot,metres,state,ref,district,social_share,bundle_sha256,rulebook\n"
        for l in IndicatorRoutes.rows(try await indicators.snapshot().state) {
            out += [l.lot, IndicatorLength.metresText(Int64(l.centimetres)), l.state.rawValue, l.ref ?? "", l.district, l.socialShare, l.bundleSHA256, l.rulebook]
                .map(Self.csvField).joined(separator: ",") + "\n"
        }
        return bytes(Data(out.utf8), type: "text/csv; charset=utf-8")
    }

    /// The fields of an event's payload (`{"event": {"<case>": {fields}}, …}`).
    static func eventFields(_ payload: [UInt8]) -> [String: Any]? {
        guard let record = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any],
              let event = record["event"] as? [String: Any] else { return nil }
        return event.values.first as? [String: Any]
    }

    /// Whether an event's payload names voucher `number` as its subject (`number`), or as the
    /// parent or child of a split.
    static func names(_ number: String, in payload: [UInt8]) -> Bool {
        guard let fields = eventFields(payload) else { return false }
        return ["number", "parent", "child"].contains { fields[$0] as? String == number }
    }

    static let lotStateZh = ["prepared": "待批准", "available": "可交易", "planned": "已纳入出让计划", "in-auction": "竞价中", "awarded": "已成交（公示）",
                             "contracted": "已签约", "settled": "已结清", "revoked": "已撤销", "transferred-out": "已调出"]

    static func csvField(_ s: String) -> String {
        // Quoted when needed; a leading =, +, - or @ is defused for spreadsheets.
        var t = s
        if let f = t.first, "=+-@".contains(f) { t = "'" + t }
        return t.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : t
    }

    static let stateZh = ["held": "持有", "held, pledged": "持有（已质押）", "pending holder change": "待变更持有人", "surrendered": "已上缴",
                          "cancelled": "已注销", "loss noticed": "已挂失", "listed": "挂牌中"]
}

struct SessionReply: Codable, Sendable {
    var actor: String
    var role: String
    var csrf: String
}

func html(_ text: String) throws -> Response {
    bytes(Data(text.utf8), type: "text/html; charset=utf-8")
}
