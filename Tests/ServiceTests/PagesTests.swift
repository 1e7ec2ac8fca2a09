import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Registry
import XCTest
@testable import Service

/// The pages in process: the register page's totals are the API's, sign-in opens a session
/// cookie that the API accepts with its CSRF token only, and no page takes a visitor elsewhere.
final class PagesTests: XCTestCase {
    func app(_ data: String) throws -> some ApplicationProtocol {
        var logger = Logger(label: "pages-test"); logger.logLevel = .warning
        return try buildApplication(.init(dataFolder: data, workerExecutable: ServiceTests.executable, workers: 0,
                                          rulebookFiles: [VoucherRegistryServiceTests.book]), logger: logger)
    }

    func testRegisterPageShowsTheAPIsTotalsWithoutScript() async throws {
        let data = try temporaryFolder()
        // A voucher in the register: prepared and approved through the ledger itself.
        let state = try ServiceState(dataFolder: data, maxBundleBytes: 1, rulebookFiles: [VoucherRegistryServiceTests.book])
        let rules = state.voucherRules
        let source = IssueSource(job: "test", bundleSHA256: String(repeating: "a", count: 64), rulebook: "jiangyin-eco-voucher bureau-test-2025", quantity: 123_456, issuable: true, reasons: [])
        let t = Instant(milliseconds: JobStore.now())
        let prepared = try await state.vouchers.run(.prepareIssue(number: "JY-9", holder: "coop", landRightsHolder: "village", source: source), by: Actor("off-a", .officer), key: "p", at: t, rules: rules)
        let approved = try await state.vouchers.run(.approveIssue(number: "JY-9"), by: Actor("chk-b", .approver), key: "a", at: t, rules: rules)
        XCTAssertNil(prepared.refusal, "\(prepared)")
        XCTAssertNil(approved.refusal, "\(approved)")
        let app = try app(data)
        try await app.test(.router) { client in
            let summary = try await client.execute(uri: "/v1/register/summary", method: .get) { try ServiceTests.decode(RegisterSummary.self, $0) }
            try await client.execute(uri: "/", method: .get) { r in
                XCTAssertEqual(r.status, .ok)
                XCTAssertEqual(r.headers[.contentSecurityPolicy], "default-src 'self'")
                let page = String(buffer: r.body)
                XCTAssertFalse(page.contains("<script"), "the register page needs no script")
                XCTAssertTrue(page.contains("江阴生态券") && page.contains("汕尾岸线指标库"))
                XCTAssertFalse(page.contains("coop"), "no holder on the public page")
                for line in summary.supply { XCTAssertTrue(page.contains("data-base-units=\"\(line.baseUnits)\""), "\(line)") }
                let total = summary.supply.reduce(Int64(0)) { $0 + $1.baseUnits }
                XCTAssertTrue(page.contains("<th class=\"n\" id=\"total-base-units\">\(total)</th>"))
                XCTAssertTrue(page.contains("id=\"ledger-seq\">\(summary.ledgerSeq)<"))
            }
            XCTAssertEqual(summary.ledgerSeq, approved.appended.last)
            XCTAssertEqual(summary.supply.first?.baseUnits, 123_456)
            try await client.execute(uri: "/register.csv", method: .get) { r in
                XCTAssertEqual(String(buffer: r.body), "number,first_serial,last_serial,units,edition,reissued,state\nJY-9,1,123456,12.3456,1,,held\n")
            }
            for file in ["upload.js", "style.css"] {
                try await client.execute(uri: "/static/\(file)", method: .get) { XCTAssertEqual($0.status, .ok) }
            }
            try await client.execute(uri: "/static/..%2Fopenapi.yaml", method: .get) { XCTAssertEqual($0.status, .notFound) }
        }
    }

    func testSignInSessionAndCSRF() async throws {
        let data = try temporaryFolder()
        let sessions = SessionStore(try SQLiteServiceStore(path: data + "/service.sqlite"))
        try await sessions.setUser(Actor("coop", .holder), password: "correct horse battery")
        let app = try app(data)
        try await app.test(.router) { client in
            // Without a session the upload page sends the visitor to sign in.
            try await client.execute(uri: "/upload", method: .get) { r in
                XCTAssertEqual(r.status, .seeOther)
                XCTAssertEqual(r.headers[.location], "/login?next=/upload")
            }
            // A wrong password and an unknown account get the same answer.
            var refusals: [String] = []
            for body in [#"{"actor":"coop","password":"wrong"}"#, #"{"actor":"nobody","password":"wrong"}"#] {
                refusals.append(try await client.execute(uri: "/v1/sessions", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)) { r in
                    XCTAssertEqual(r.status, .unauthorized)
                    return String(buffer: r.body)
                })
            }
            XCTAssertEqual(refusals[0], refusals[1])
            // The form: 303 to the page asked for, never to another site — not through a
            // backslash, nor a tab, newline or space that browsers drop from a URL ("/\t/evil"
            // is "//evil" to them).
            for (next, location) in [("%2Fdesk%3Fx%3D1", "/desk?x=1"), ("%2F%2Fevil.example", "/upload"), ("%2F%09%2Fevil.example", "/upload"),
                                     ("%2F%0A%2Fevil.example", "/upload"), ("%2F%5C%2Fevil.example", "/upload"), ("%2F%20%2Fevil.example", "/upload"),
                                     ("https%3A%2F%2Fevil.example", "/upload")] {
                let form = "actor=coop&password=correct+horse+battery&next=" + next
                try await client.execute(uri: "/v1/sessions", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: form)) { r in
                    XCTAssertEqual(r.status, .seeOther)
                    XCTAssertEqual(r.headers[.location], location, next)
                    let cookie = r.headers[.setCookie] ?? ""
                    XCTAssertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie)
                }
            }
            // JSON without the actor or the password is not the operation's body (400), not a failed sign-in.
            try await client.execute(uri: "/v1/sessions", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"account":"coop","password":"x"}"#)) { r in
                XCTAssertEqual(r.status, .badRequest)
                XCTAssertEqual(try ServiceTests.decode(ErrorBody.self, r).code, "HTTP.BAD_BODY")
            }
            let signedIn = try await client.execute(uri: "/v1/sessions", method: .post, headers: [.contentType: "application/json"],
                                                    body: ByteBuffer(string: #"{"actor":"coop","password":"correct horse battery"}"#)) { r -> (cookie: String, csrf: String) in
                XCTAssertEqual(r.status, .ok)
                let reply = try ServiceTests.decode(SessionReply.self, r)
                let set = r.headers[.setCookie] ?? ""
                return (String(set.prefix { $0 != ";" }), reply.csrf)
            }
            let cookie: HTTPFields = [.cookie: signedIn.cookie]
            try await client.execute(uri: "/upload", method: .get, headers: cookie) { r in
                XCTAssertEqual(r.status, .ok)
                let page = String(buffer: r.body)
                XCTAssertTrue(page.contains("<meta name=\"csrf-token\" content=\"\(signedIn.csrf)\">"))
                XCTAssertTrue(page.contains("<script src=\"/static/upload.js\" defer></script>"))
            }
            // The officer desk is for officers and approvers.
            try await client.execute(uri: "/desk", method: .get, headers: cookie) { r in
                XCTAssertEqual(r.status, .forbidden)
                XCTAssertEqual(try ServiceTests.decode(ErrorBody.self, r).code, "AUTH.FORBIDDEN")
            }
            try await client.execute(uri: "/desk", method: .get) { XCTAssertEqual($0.headers[.location], "/login?next=/desk") }
            // A change under the session needs its CSRF token.
            var upload = cookie; upload[.contentType] = "application/zip"
            try await client.execute(uri: "/v1/jobs", method: .post, headers: upload, body: ByteBuffer(bytes: [1, 2, 3])) { r in
                XCTAssertEqual(r.status, .forbidden)
                XCTAssertEqual(try ServiceTests.decode(ErrorBody.self, r).code, "AUTH.CSRF")
            }
            upload[HTTPField.Name("X-CSRF-Token")!] = signedIn.csrf
            try await client.execute(uri: "/v1/jobs", method: .post, headers: upload, body: ByteBuffer(bytes: [1, 2, 3])) { r in
                XCTAssertEqual(r.status, .accepted)
                XCTAssertEqual(try ServiceTests.decode(JobView.self, r).state, "queued")
            }
            // Signing out ends the session everywhere.
            var out = cookie; out[HTTPField.Name("X-CSRF-Token")!] = signedIn.csrf
            try await client.execute(uri: "/v1/sessions", method: .delete, headers: out) { XCTAssertEqual($0.status, .noContent) }
            try await client.execute(uri: "/upload", method: .get, headers: cookie) { XCTAssertEqual($0.status, .seeOther) }
        }
    }

    /// The desk's voucher actions, as desk.js sends them (the same JSON, the session's CSRF token):
    /// a held voucher offers a loss notice; once noticed, a reissue to prepare; once prepared, a
    /// second officer's approval, after which the register marks the new edition 补发.
    func testDeskLossNoticeAndReissue() async throws {
        let data = try temporaryFolder()
        let state = try ServiceState(dataFolder: data, maxBundleBytes: 1, rulebookFiles: [VoucherRegistryServiceTests.book])
        let source = IssueSource(job: "test", bundleSHA256: String(repeating: "a", count: 64), rulebook: "jiangyin-eco-voucher bureau-test-2025", quantity: 20_000, issuable: true, reasons: [])
        let t = Instant(milliseconds: JobStore.now())
        _ = try await state.vouchers.run(.prepareIssue(number: "JY-7", holder: "coop", landRightsHolder: "village", source: source), by: Actor("off-a", .officer), key: "p", at: t, rules: state.voucherRules)
        _ = try await state.vouchers.run(.approveIssue(number: "JY-7"), by: Actor("chk-b", .approver), key: "a", at: t, rules: state.voucherRules)
        try await state.sessions.setUser(Actor("off-a", .officer), password: "officer password a")
        try await state.sessions.setUser(Actor("chk-b", .approver), password: "approver password b")
        let app = try app(data)
        try await app.test(.router) { client in
            func signIn(_ actor: String, _ password: String) async throws -> HTTPFields {
                try await client.execute(uri: "/v1/sessions", method: .post, headers: [.contentType: "application/json"],
                                         body: ByteBuffer(string: #"{"actor":"\#(actor)","password":"\#(password)"}"#)) { r in
                    XCTAssertEqual(r.status, .ok)
                    return [.cookie: String((r.headers[.setCookie] ?? "").prefix { $0 != ";" }),
                            HTTPField.Name("X-CSRF-Token")!: try ServiceTests.decode(SessionReply.self, r).csrf]
                }
            }
            func desk(_ who: HTTPFields) async throws -> String {
                try await client.execute(uri: "/desk", method: .get, headers: who) { r in
                    XCTAssertEqual(r.status, .ok)
                    return String(buffer: r.body)
                }
            }
            func command(_ who: HTTPFields, _ json: String, key: String) async throws -> HTTPResponse.Status {
                var h = who; h[.contentType] = "application/json"; h[HTTPField.Name("Idempotency-Key")!] = key
                return try await client.execute(uri: "/v1/jy/commands", method: .post, headers: h, body: ByteBuffer(string: json)) { $0.status }
            }
            let off = try await signIn("off-a", "officer password a"), chk = try await signIn("chk-b", "approver password b")
            var page = try await desk(off)
            XCTAssertTrue(page.contains(#"class="loss-notice" data-number="JY-7""#), "a held voucher offers a loss notice")
            XCTAssertFalse(page.contains("prepare-reissue"))
            // Published 40 days ago: the rulebook's 30-day notice period (JY 36) is over.
            let published = Instant(milliseconds: JobStore.now() - 40 * 86_400_000).chinaDate.description
            let noticed = try await command(off, #"{"publishLossNotice":{"number":"JY-7","noticeDate":"\#(published)","media":"江阴日报"}}"#, key: "n")
            XCTAssertEqual(noticed, .ok)
            page = try await desk(off)
            XCTAssertTrue(page.contains(#"class="prepare-reissue" data-number="JY-7""#), page)
            let prepared = try await command(off, #"{"prepareReissue":{"number":"JY-7"}}"#, key: "r")
            XCTAssertEqual(prepared, .ok)
            page = try await desk(chk)
            XCTAssertTrue(page.contains(#"class="approve-reissue" data-number="JY-7""#) && page.contains("off-a"), "the approver sees who prepared it")
            // The officer who prepared it cannot approve it (approval is the second officer's role).
            let byMaker = try await command(off, #"{"approveReissue":{"number":"JY-7"}}"#, key: "x")
            XCTAssertEqual(byMaker, .forbidden)
            let approved = try await command(chk, #"{"approveReissue":{"number":"JY-7"}}"#, key: "y")
            XCTAssertEqual(approved, .ok)
            try await client.execute(uri: "/register.csv", method: .get) { r in
                XCTAssertTrue(String(buffer: r.body).contains("补发"), String(buffer: r.body))
            }
            // The voucher's public history: every event naming it, with its article, no names.
            try await client.execute(uri: "/register/vouchers/JY-7", method: .get) { r in
                XCTAssertEqual(r.status, .ok)
                let page = String(buffer: r.body)
                for type in ["issuePrepared", "issueApproved", "lossNoticePublished", "reissuePrepared", "reissued"] {
                    XCTAssertTrue(page.contains("<td>\(type)</td>"), "\(type) missing from the history")
                }
                XCTAssertTrue(page.contains("JY Art. 36"))
                for name in ["coop", "off-a", "chk-b", "village"] { XCTAssertFalse(page.contains(name), "\(name) shown in the public history") }
                XCTAssertEqual(page.components(separatedBy: "<script").count, 1, "no script")
            }
            try await client.execute(uri: "/register/vouchers/JY-404", method: .get) { XCTAssertEqual($0.status, .notFound) }
            try await client.execute(uri: "/", method: .get) { r in
                let page = String(buffer: r.body)
                XCTAssertTrue(page.contains(#"<a href="/register/vouchers/JY-7">JY-7</a>"#))
                XCTAssertTrue(page.contains("汕尾岸线指标库") && page.contains(#"id="sw-ledger-seq">0<"#))
            }
        }
    }
}
