import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Registry
import XCTest
@testable import Service

/// The Shanwei indicator registry over HTTP: a lot entered from a contractor's job by one officer
/// and approved by another, the public library and ledger, and the refusals' codes.
final class IndicatorRegistryServiceTests: XCTestCase {
    static let book = ServiceTests.repo + "/tools/registry-scenario/shanwei-bureau-test.json"

    func testLotFromAJobThenTheLibraryOverHTTP() async throws {
        let data = try temporaryFolder()
        var logger = Logger(label: "service-test"); logger.logLevel = .warning
        let app = try buildApplication(.init(dataFolder: data, workerExecutable: ServiceTests.executable,
                                             rulebookFiles: [VoucherRegistryServiceTests.book, Self.book]), logger: logger)
        let contractor = try await ServiceTests.token(data, "contractor-1", .holder)
        let off = try await ServiceTests.token(data, "off-wang", .officer), chk = try await ServiceTests.token(data, "chk-li", .approver)
        let zip = try zipped("shanwei-mudflat")
        @Sendable func post(_ token: String, key: String) -> HTTPFields {
            var h = ServiceTests.auth(token); h[.contentType] = "application/json"
            h[HTTPField.Name("Idempotency-Key")!] = key
            return h
        }
        try await app.test(.router) { client in
            let created = try await client.execute(uri: "/v1/jobs", method: .post, headers: ServiceTests.auth(contractor, zip: true), body: ByteBuffer(bytes: zip)) {
                try ServiceTests.decode(JobView.self, $0)
            }
            let job = try await ServiceTests.waitForEnd(client, created.id, ServiceTests.auth(contractor))
            XCTAssertEqual(job.state, "done", "\(job)")
            let lot = #"{"lot":"SW-1","job":"\#(job.id)","socialShare":"1","district":"陆丰市"}"#
            // Only an officer enters a lot (the policy, before the registry).
            try await client.execute(uri: "/v1/sw/lots", method: .post, headers: post(contractor, key: "c"), body: ByteBuffer(string: lot)) {
                XCTAssertEqual($0.status, .forbidden)
            }
            let prepared = try await client.execute(uri: "/v1/sw/lots", method: .post, headers: post(off, key: "p"), body: ByteBuffer(string: lot)) { r in
                XCTAssertEqual(r.status, .ok, String(buffer: r.body))
                return try ServiceTests.decode(CommandReply.self, r)
            }
            XCTAssertEqual(prepared.ledgerSeq, prepared.appended.last)
            let pending = try await client.execute(uri: "/v1/sw/lots", method: .get) { try ServiceTests.decode(LotList.self, $0) }
            XCTAssertEqual(pending.lots.map(\.state), [.prepared])
            // shanwei-mudflat checks to 1000.00 m under the bureau's test rulebook: 100 000 cm.
            XCTAssertEqual(pending.lots.first?.centimetres, 100_000)
            XCTAssertEqual(pending.lots.first?.bundleSHA256.count, 64)
            // prepareLot only from a job; the same officer cannot approve; a second one does.
            let sneaky = #"{"prepareLot":{"lot":"SW-2","source":{},"funding":{"socialShare":"1","district":"陆丰市"}}}"#
            try await client.execute(uri: "/v1/sw/commands", method: .post, headers: post(off, key: "s"), body: ByteBuffer(string: sneaky)) {
                XCTAssertEqual($0.status, .badRequest)
            }
            let approve = #"{"approveLot":{"lot":"SW-1"}}"#
            let approved = try await client.execute(uri: "/v1/sw/commands", method: .post, headers: post(chk, key: "a"), body: ByteBuffer(string: approve)) { r in
                XCTAssertEqual(r.status, .ok, String(buffer: r.body))
                return try ServiceTests.decode(CommandReply.self, r)
            }
            let library = try await client.execute(uri: "/v1/sw/lots/SW-1", method: .get) { try ServiceTests.decode(IndicatorLotRow.self, $0) }
            XCTAssertEqual(library.state, .available)
            XCTAssertEqual(library.centimetres, 100_000)
            try await client.execute(uri: "/v1/sw/lots/SW-404", method: .get) { r in
                XCTAssertEqual(r.status, .notFound)
                XCTAssertEqual(try ServiceTests.decode(ErrorBody.self, r).code, "REG.UNKNOWN_LOT")
            }
            let unknown = #"{"approveLot":{"lot":"SW-404"}}"#
            try await client.execute(uri: "/v1/sw/commands", method: .post, headers: post(chk, key: "u"), body: ByteBuffer(string: unknown)) { r in
                XCTAssertEqual(r.status, .notFound, String(buffer: r.body))
            }
            try await client.execute(uri: "/v1/sw/ledger/head", method: .get) { r in
                let head = try ServiceTests.decode(LedgerHead.self, r)
                XCTAssertEqual(head.registry, ShanweiIndicators.name)
                XCTAssertEqual(head.ledgerSeq, approved.ledgerSeq)
            }
            // The chain for anyone, the payloads (officers' names) only for officers and auditors.
            let open = try await client.execute(uri: "/v1/sw/ledger/events", method: .get) { try ServiceTests.decode(EventPage.self, $0) }
            XCTAssertTrue(open.redacted)
            XCTAssertEqual(open.events.count, Int(approved.ledgerSeq))
            XCTAssertTrue(open.events.allSatisfy { $0.payload == nil })
            let full = try await client.execute(uri: "/v1/sw/ledger/events", method: .get, headers: ServiceTests.auth(chk)) { try ServiceTests.decode(EventPage.self, $0) }
            XCTAssertFalse(full.redacted)
            XCTAssertTrue(full.events.contains { $0.payload?.contains("off-wang") ?? false })
            // The voucher registry is a ledger of its own: untouched.
            try await client.execute(uri: "/v1/ledger/head", method: .get) { XCTAssertEqual(try ServiceTests.decode(LedgerHead.self, $0).ledgerSeq, 0) }
            let auctions = try await client.execute(uri: "/v1/sw/auctions", method: .get) { try ServiceTests.decode(AuctionList.self, $0) }
            XCTAssertEqual(auctions.auctions.count, 0)
            // The public pages: the lot's history (its events, no names) and the library as CSV.
            try await client.execute(uri: "/register/lots/SW-1", method: .get) { r in
                XCTAssertEqual(r.status, .ok)
                let page = String(buffer: r.body)
                XCTAssertTrue(page.contains("<td>lotPrepared</td>") && page.contains("<td>lotApproved</td>"), page)
                XCTAssertTrue(page.contains("1000.00 m"))
                XCTAssertFalse(page.contains("off-wang") || page.contains("chk-li"), "no names on the public history")
            }
            try await client.execute(uri: "/register/lots/SW-404", method: .get) { XCTAssertEqual($0.status, .notFound) }
            try await client.execute(uri: "/register/lots.csv", method: .get) { r in
                let csv = String(buffer: r.body)
                XCTAssertTrue(csv.hasPrefix("lot,metres,state,ref,district,social_share,bundle_sha256,rulebook\n"), csv)
                XCTAssertTrue(csv.contains("\nSW-1,1000.00,available,,陆丰市,1,"), csv)
            }
        }
    }
}
