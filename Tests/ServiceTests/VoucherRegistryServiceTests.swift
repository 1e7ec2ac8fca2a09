import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Registry
import XCTest
@testable import Service

/// The Jiangyin registry over HTTP: an issue prepared from a contractor's job and approved by a
/// second officer, idempotency keys, the redacted public register, and no existence leak.
final class VoucherRegistryServiceTests: XCTestCase {
    static let book = ServiceTests.repo + "/tools/registry-scenario/jiangyin-bureau-test.json"

    func testIssueFromAJobThenTheRegisterOverHTTP() async throws {
        let data = try temporaryFolder()
        var logger = Logger(label: "service-test"); logger.logLevel = .warning
        let app = try buildApplication(.init(dataFolder: data, workerExecutable: ServiceTests.executable, rulebookFiles: [Self.book]), logger: logger)
        let coop = try await ServiceTests.token(data, "coop", .holder), builder = try await ServiceTests.token(data, "builder", .holder)
        let off = try await ServiceTests.token(data, "off-wang", .officer), offAsChecker = try await ServiceTests.token(data, "off-wang", .approver)
        let chk = try await ServiceTests.token(data, "chk-li", .approver)
        let zip = try zipped("jiangyin-restoration")
        @Sendable func post(_ token: String, key: String?, _ body: String) -> HTTPFields {
            var h = ServiceTests.auth(token); h[.contentType] = "application/json"
            if let key { h[HTTPField.Name("Idempotency-Key")!] = key }
            return h
        }
        try await app.test(.router) { client in
            let created = try await client.execute(uri: "/v1/jobs", method: .post, headers: ServiceTests.auth(coop, zip: true), body: ByteBuffer(bytes: zip)) {
                try ServiceTests.decode(JobView.self, $0)
            }
            let job = try await ServiceTests.waitForEnd(client, created.id, ServiceTests.auth(coop))
            XCTAssertEqual(job.state, "done", "\(job)")

            let issue = #"{"number":"JY-1","holder":"coop","landRightsHolder":"village","job":"\#(job.id)"}"#
            let first = try await client.execute(uri: "/v1/jy/issues", method: .post, headers: post(off, key: "k1", issue), body: ByteBuffer(string: issue)) { r in
                XCTAssertEqual(r.status, .ok, String(buffer: r.body))
                return try ServiceTests.decode(CommandReply.self, r)
            }
            XCTAssertFalse(first.appended.isEmpty)
            XCTAssertEqual(first.ledgerSeq, first.appended.last)
            // The same key and body: the stored reply; another body under the key: 422; no key: 400.
            try await client.execute(uri: "/v1/jy/issues", method: .post, headers: post(off, key: "k1", issue), body: ByteBuffer(string: issue)) { r in
                let again = try ServiceTests.decode(CommandReply.self, r)
                XCTAssertTrue(again.replayed)
                XCTAssertEqual(again.appended, first.appended)
            }
            let other = issue.replacingOccurrences(of: "village", with: "town")
            try await client.execute(uri: "/v1/jy/issues", method: .post, headers: post(off, key: "k1", other), body: ByteBuffer(string: other)) { r in
                XCTAssertEqual(r.status, .unprocessableContent)
                XCTAssertEqual(try ServiceTests.decode(ErrorBody.self, r).code, "REG.IDEMPOTENCY_MISMATCH")
            }
            try await client.execute(uri: "/v1/jy/issues", method: .post, headers: post(off, key: nil, issue), body: ByteBuffer(string: issue)) { r in
                XCTAssertEqual(r.status, .badRequest)
                XCTAssertEqual(try ServiceTests.decode(ErrorBody.self, r).code, "HTTP.IDEMPOTENCY_KEY_MISSING")
            }
            // Maker ≠ checker: the preparing officer cannot approve under an approver's role.
            let approve = #"{"approveIssue":{"number":"JY-1"}}"#
            try await client.execute(uri: "/v1/jy/commands", method: .post, headers: post(offAsChecker, key: "a1", approve), body: ByteBuffer(string: approve)) { r in
                XCTAssertEqual(r.status, .forbidden)
                XCTAssertEqual(try ServiceTests.decode(ErrorBody.self, r).code, "REG.SAME_OFFICER")
            }
            let approved = try await client.execute(uri: "/v1/jy/commands", method: .post, headers: post(chk, key: "a2", approve), body: ByteBuffer(string: approve)) { r in
                XCTAssertEqual(r.status, .ok, String(buffer: r.body))
                return try ServiceTests.decode(CommandReply.self, r)
            }
            // The public register: supply per state without an account, the holder redacted.
            let summary = try await client.execute(uri: "/v1/register/summary", method: .get) { try ServiceTests.decode(RegisterSummary.self, $0) }
            XCTAssertEqual(summary.vouchers, 1)
            XCTAssertEqual(summary.ledgerSeq, approved.ledgerSeq)
            XCTAssertEqual(summary.supply.map(\.state), ["held"])
            XCTAssertGreaterThan(summary.supply[0].baseUnits, 0)
            let anonymous = try await client.execute(uri: "/v1/jy/vouchers", method: .get) { try ServiceTests.decode(VoucherList.self, $0) }
            XCTAssertEqual(anonymous.vouchers.map(\.holder), [""])
            XCTAssertEqual(anonymous.vouchers[0].last - anonymous.vouchers[0].first + 1, summary.supply[0].baseUnits)
            let own = try await client.execute(uri: "/v1/jy/vouchers/JY-1", method: .get, headers: ServiceTests.auth(coop)) { try ServiceTests.decode(VoucherRow.self, $0) }
            XCTAssertEqual(own.holder, "coop")
            try await client.execute(uri: "/v1/ledger/head", method: .get) { r in
                XCTAssertEqual(try ServiceTests.decode(LedgerHead.self, r).ledgerSeq, approved.ledgerSeq)
            }
            // The event log: its chain for anyone, its payloads (names) only for officers and auditors.
            let publicLog = try await client.execute(uri: "/v1/ledger/events?after=0&limit=10", method: .get) { try ServiceTests.decode(EventPage.self, $0) }
            XCTAssertTrue(publicLog.redacted)
            XCTAssertEqual(publicLog.events.map(\.seq), Array(1...approved.ledgerSeq))
            XCTAssertTrue(publicLog.events.allSatisfy { $0.payload == nil })
            XCTAssertEqual(Swift.zip(publicLog.events.dropFirst(), publicLog.events).map { $0.prev == $1.hash }, Array(repeating: true, count: publicLog.events.count - 1))
            let officerLog = try await client.execute(uri: "/v1/ledger/events", method: .get, headers: ServiceTests.auth(off)) { try ServiceTests.decode(EventPage.self, $0) }
            XCTAssertFalse(officerLog.redacted)
            XCTAssertTrue(officerLog.events.contains { $0.payload?.contains("coop") ?? false })
            let coopLog = try await client.execute(uri: "/v1/ledger/events", method: .get, headers: ServiceTests.auth(coop)) { try ServiceTests.decode(EventPage.self, $0) }
            XCTAssertTrue(coopLog.redacted)
            // Paging: a page after a cursor; a cursor or limit that is not the contract's integer is
            // 400 HTTP.BAD_QUERY naming it, never the log from its start.
            let tail = try await client.execute(uri: "/v1/ledger/events?after=1&limit=1", method: .get) { try ServiceTests.decode(EventPage.self, $0) }
            XCTAssertEqual(tail.events.map(\.seq), [2])
            for query in ["after=abc", "after=-1", "after=1e3", "after=%2B1", "after=1&after=2", "limit=0", "limit=1001", "limit=99999999999999999999", "limit="] {
                try await client.execute(uri: "/v1/ledger/events?" + query, method: .get) { r in
                    XCTAssertEqual(r.status, .badRequest, query)
                    let body = try ServiceTests.decode(ErrorBody.self, r)
                    XCTAssertEqual(body.code, "HTTP.BAD_QUERY", query)
                    XCTAssertTrue(body.en.hasPrefix("query parameter " + query.prefix { $0 != "=" }), body.en)
                }
            }
            try await client.execute(uri: "/v1/sw/ledger/events?limit=abc", method: .get) { r in
                XCTAssertEqual(r.status, .badRequest)
                XCTAssertEqual(try ServiceTests.decode(ErrorBody.self, r).code, "HTTP.BAD_QUERY")
            }
            // Another contractor acting on the voucher gets the 404 of a voucher that does not exist, byte for byte.
            func surrender(_ n: String) -> String { #"{"surrender":{"number":"\#(n)","quantity":10000,"landRef":"GY-1"}}"# }
            let notTheirs = try await client.execute(uri: "/v1/jy/commands", method: .post, headers: post(builder, key: "s1", surrender("JY-1")),
                                                     body: ByteBuffer(string: surrender("JY-1"))) { r -> String in
                XCTAssertEqual(r.status, .notFound)
                return String(buffer: r.body)
            }
            let none = try await client.execute(uri: "/v1/jy/commands", method: .post, headers: post(builder, key: "s2", surrender("JY-404")),
                                                body: ByteBuffer(string: surrender("JY-404"))) { r -> String in
                XCTAssertEqual(r.status, .notFound)
                return String(buffer: r.body)
            }
            XCTAssertEqual(notTheirs, none)
            XCTAssertTrue(none.contains("REG.UNKNOWN_VOUCHER"))
            // A body that is not a command is 400 with its code.
            // Its reason says what is wrong where Foundation's words would mislead: a command this
            // registry does not have, a number that is not a whole Int64 ("not valid JSON" to it).
            let bad: [(String, String)] = [(#"{"fly":{}}"#, "exactly one command"),
                                           (#"{"surrender":{"number":"JY-1","quantity":1e300,"landRef":"GY-1"}}"#, "is not a whole number"),
                                           (#"{"surrender":{"number":"JY-1","quantity":10000.5,"landRef":"GY-1"}}"#, "is not a whole number"),
                                           (#"{"surrender":{"number":"JY-1","quantity":10000,"landRef":"GY-1""#, "not valid JSON")]
            for (i, (body, reason)) in bad.enumerated() {
                try await client.execute(uri: "/v1/jy/commands", method: .post, headers: post(builder, key: "b\(i)", body), body: ByteBuffer(string: body)) { r in
                    XCTAssertEqual(r.status, .badRequest, body)
                    let refusal = try ServiceTests.decode(ErrorBody.self, r)
                    XCTAssertEqual(refusal.code, "HTTP.BAD_BODY", body)
                    XCTAssertTrue(refusal.en.contains(reason), refusal.en)
                }
            }
            // A body over the operation's 64 KiB is 413 with its code, not a bare status.
            let huge = #"{"surrender":{"number":"JY-1","quantity":1,"landRef":""# + String(repeating: "L", count: 70_000) + #""}}"#
            try await client.execute(uri: "/v1/jy/commands", method: .post, headers: post(builder, key: "big", huge), body: ByteBuffer(string: huge)) { r in
                XCTAssertEqual(r.status, .contentTooLarge)
                XCTAssertEqual(try ServiceTests.decode(ErrorBody.self, r).code, "HTTP.BODY_TOO_LARGE")
            }
        }
    }
}
