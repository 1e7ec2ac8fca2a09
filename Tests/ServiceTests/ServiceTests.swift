import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import XCTest
import ZIPFoundation
import Registry
@testable import Service

/// The service in process (HummingbirdTesting's router framework, with the application's job
/// workers running as its services): uploads streamed under a cap, jobs run by real
/// `ecocredit job` worker processes to their reports, refusals with their codes, and workers
/// that crash or run too long failing their own job only.
final class ServiceTests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The built `ecocredit` next to the test bundle.
    static var executable: String {
        var dir = Bundle(for: ServiceTests.self).bundleURL
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("ecocredit").path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("ecocredit").path
    }

    func app(data: String, executable: String = ServiceTests.executable, maxBytes: Int = 64 << 20,
             limits: WorkerLimits = .init(wallSeconds: 120, cpuSeconds: 240, memoryMiB: 4096), workers: Int = 1) throws -> some ApplicationProtocol {
        var logger = Logger(label: "service-test")
        logger.logLevel = .warning
        return try buildApplication(.init(dataFolder: data, workerExecutable: executable, maxBundleBytes: maxBytes, limits: limits, workers: workers),
                                    logger: logger)
    }

    /// A bearer token for `actor` in the service at `data`.
    static func token(_ data: String, _ actor: String, _ role: Role) async throws -> String {
        try await TokenStore(try SQLiteServiceStore(path: data + "/service.sqlite")).create(for: Actor(actor, role), days: 1)
    }

    static func auth(_ token: String, zip: Bool = false) -> HTTPFields {
        var h: HTTPFields = [.authorization: "Bearer " + token]
        if zip { h[.contentType] = "application/zip" }
        return h
    }

    static func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(buffer: response.body))
    }

    /// Polls the job until it has ended (or 120 s pass).
    static func waitForEnd(_ client: some TestClientProtocol, _ id: String, _ get: HTTPFields) async throws -> JobView {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let job = try await client.execute(uri: "/v1/jobs/\(id)", method: .get, headers: get) { try Self.decode(JobView.self, $0) }
            if !["queued", "running"].contains(job.state) { return job }
            try await Task.sleep(for: .milliseconds(200))
        }
        XCTFail("job \(id) did not end within 120 s")
        throw CancellationError()
    }

    // MARK: - Contract

    func testHealthAndTheDocument() async throws {
        let app = try app(data: try temporaryFolder(), workers: 0)
        try await app.test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { r in
                XCTAssertEqual(r.status, .ok)
                XCTAssertEqual(r.headers[.contentSecurityPolicy], "default-src 'self'")
                let body = try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: String]
                XCTAssertEqual(body?["status"], "ok")
            }
            try await client.execute(uri: "/openapi.yaml", method: .get) { r in
                XCTAssertEqual(r.status, .ok)
                XCTAssertTrue(String(buffer: r.body).hasPrefix("openapi: 3.1.0"))
            }
        }
    }

    /// GET /metrics: Prometheus text for a scraper's token — jobs per state and each ledger's
    /// sequence number read at the scrape; refused without a token or to a contractor.
    func testMetricsForAScraper() async throws {
        let data = try temporaryFolder()
        let app = try app(data: data, workers: 0)
        let ops = try await Self.token(data, "scraper", .platform), con = try await Self.token(data, "contractor-1", .holder)
        let zip = try zipped("shanwei-mudflat")
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/jobs", method: .post, headers: Self.auth(con, zip: true), body: ByteBuffer(bytes: zip)) {
                XCTAssertEqual($0.status, .accepted)
            }
            try await client.execute(uri: "/metrics", method: .get, headers: Self.auth(ops)) { r in
                XCTAssertEqual(r.status, .ok)
                XCTAssertTrue(r.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") ?? false)
                let text = String(buffer: r.body)
                XCTAssertTrue(text.contains(#"ecocredit_jobs{state="queued"} 1"#), text)
                XCTAssertTrue(text.contains(#"ecocredit_jobs{state="done"} 0"#), text)
                XCTAssertTrue(text.contains(#"ecocredit_ledger_seq{registry="jiangyin-eco-voucher"} 0"#), text)
                XCTAssertTrue(text.contains("# TYPE ecocredit_jobs gauge"), text)
            }
            try await client.execute(uri: "/metrics", method: .get) { XCTAssertEqual($0.status, .unauthorized) }
            try await client.execute(uri: "/metrics", method: .get, headers: Self.auth(con)) { XCTAssertEqual($0.status, .forbidden) }
        }
    }

    /// Every route the router has is in openapi.yaml, and every path and method there is a route.
    func testEveryRouteIsDocumentedAndEveryDocumentedOperationExists() throws {
        let state = try ServiceState(dataFolder: try temporaryFolder(), maxBundleBytes: 1)
        let routes = Set(buildRouter(state).routes.map { "\($0.method.rawValue) \(Self.normalised($0.path.description))" })
        let yaml = try String(contentsOfFile: Self.repo + "/Sources/9-Service/ServiceAPI/openapi.yaml", encoding: .utf8)
        var documented = Set<String>(), path: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /"), line.hasSuffix(":") { path = String(line.dropFirst(2).dropLast()); continue }
            if !line.hasPrefix(" ") { path = nil }
            let t = line.trimmingCharacters(in: .whitespaces)
            if let path, line.hasPrefix("    "), !line.hasPrefix("     "), ["get:", "post:", "put:", "patch:", "delete:"].contains(t) {
                documented.insert("\(t.dropLast().uppercased()) \(Self.normalised(path))")
            }
        }
        XCTAssertFalse(documented.isEmpty)
        XCTAssertEqual(routes.subtracting(documented), [], "routes missing from openapi.yaml")
        XCTAssertEqual(documented.subtracting(routes), [], "documented operations with no route")
    }

    /// "/v1/jobs/{id}" and "/v1/jobs/:id" both as "/v1/jobs/{}".
    static func normalised(_ p: String) -> String {
        "/" + p.split(separator: "/").map { $0.hasPrefix(":") || $0.hasPrefix("{") ? "{}" : String($0) }.joined(separator: "/")
    }

    // MARK: - Accounts and roles

    /// Every route × every role and no account: the policy table has an entry for each route
    /// (deny by default), and the service answers 401 without an account and 403 for a role the
    /// entry does not admit — and neither where it admits the caller.
    func testEveryRouteTimesEveryRoleFollowsThePolicy() async throws {
        let data = try temporaryFolder()
        let state = try ServiceState(dataFolder: data, maxBundleBytes: 1 << 20)
        let routes = buildRouter(state).routes.map { (method: $0.method, path: $0.path.description) }
        XCTAssertFalse(routes.isEmpty)
        for r in routes {
            XCTAssertNotNil(Policy.table[Policy.key(method: r.method.rawValue, path: r.path)], "no policy for \(r): deny by default")
        }
        let roles = Role.allCases.filter { $0 != .system && $0 != .public }
        var made: [Role: String] = [:]
        for role in roles { made[role] = try await Self.token(data, "actor-\(role.rawValue)", role) }
        let tokens = made
        let app = try app(data: data, workers: 0)
        try await app.test(.router) { client in
            for r in routes {
                let access = Policy.table[Policy.key(method: r.method.rawValue, path: r.path)]!
                let uri = "/" + r.path.split(separator: "/").map { $0.hasPrefix(":") ? "0123456789abcdef0123456789abcdef" : String($0) }.joined(separator: "/")
                for role in [nil] + roles.map(Optional.some) {
                    var headers: HTTPFields = [.contentType: "application/zip"]
                    if let role { headers[.authorization] = "Bearer " + tokens[role]! }
                    let status = try await client.execute(uri: uri, method: r.method, headers: headers, body: ByteBuffer(bytes: [1])) { $0.status }
                    let admitted: Bool
                    switch access {
                    case .anyone: admitted = true
                    case .roles(let set): admitted = role.map { set.contains($0) } ?? false
                    }
                    if admitted {
                        XCTAssertFalse([.unauthorized, .forbidden].contains(status), "\(r) as \(role?.rawValue ?? "anonymous"): \(status)")
                    } else {
                        XCTAssertEqual(status, role == nil ? .unauthorized : .forbidden, "\(r) as \(role?.rawValue ?? "anonymous")")
                    }
                }
            }
            // A token that is not one, and a revoked one, are 401.
            try await client.execute(uri: "/v1/jobs/0123456789abcdef0123456789abcdef", method: .get, headers: [.authorization: "Bearer eco_forged"]) {
                XCTAssertEqual($0.status, .unauthorized)
                XCTAssertEqual(try Self.decode(ErrorBody.self, $0).code, "AUTH.REQUIRED")
            }
            let revoked = try await TokenStore(state.store).revoke(actorID: "actor-OFF")
            XCTAssertEqual(revoked, 1)
            try await client.execute(uri: "/v1/jobs/0123456789abcdef0123456789abcdef", method: .get, headers: Self.auth(tokens[.officer]!)) {
                XCTAssertEqual($0.status, .unauthorized)
            }
        }
    }

    /// A contractor sees only their own jobs: another contractor gets the same 404 as for a job
    /// that does not exist, on every job route; officers and auditors see every job.
    func testAContractorCannotSeeAnothersJob() async throws {
        let data = try temporaryFolder()
        let app = try app(data: data, workers: 0)
        let a = try await Self.token(data, "contractor-a", .holder), b = try await Self.token(data, "contractor-b", .holder)
        let officer = try await Self.token(data, "officer-1", .officer), auditor = try await Self.token(data, "auditor-1", .auditor)
        try await app.test(.router) { client in
            let job = try await client.execute(uri: "/v1/jobs", method: .post, headers: Self.auth(a, zip: true), body: ByteBuffer(bytes: [1, 2, 3])) {
                try Self.decode(JobView.self, $0)
            }
            for (method, path) in [(HTTPRequest.Method.get, ""), (.get, "/report"), (.get, "/outputs/annex.html"), (.delete, "")] {
                try await client.execute(uri: "/v1/jobs/\(job.id)\(path)", method: method, headers: Self.auth(b)) {
                    XCTAssertEqual($0.status, .notFound, "\(method) \(path)")
                    XCTAssertTrue(["JOB.NOT_FOUND", "JOB.OUTPUT_NOT_FOUND"].contains(try Self.decode(ErrorBody.self, $0).code))
                }
            }
            for t in [a, officer, auditor] {
                try await client.execute(uri: "/v1/jobs/\(job.id)", method: .get, headers: Self.auth(t)) { XCTAssertEqual($0.status, .ok) }
            }
            // The auditor reads but may not cancel; the owner may.
            try await client.execute(uri: "/v1/jobs/\(job.id)", method: .delete, headers: Self.auth(auditor)) { XCTAssertEqual($0.status, .forbidden) }
            try await client.execute(uri: "/v1/jobs/\(job.id)", method: .delete, headers: Self.auth(a)) { XCTAssertEqual($0.status, .ok) }
        }
    }

    // MARK: - Jobs

    /// A contractor's upload of a sample bundle runs through a worker process to a report with
    /// the same findings, measurements and verdicts as `ecocredit annex` on the folder, and the
    /// outputs (annex.html among them) are served by name.
    func testUploadRunsItsJobToTheReport() async throws {
        let data = try temporaryFolder()
        let zip = try zipped("shanwei-beach")
        let app = try app(data: data)
        let con = try await Self.token(data, "contractor-1", .holder)
        let zipHeaders = Self.auth(con, zip: true), get = Self.auth(con)
        try await app.test(.router) { client in
            let created = try await client.execute(uri: "/v1/jobs?lang=zh", method: .post, headers: zipHeaders, body: ByteBuffer(bytes: zip)) { r in
                XCTAssertEqual(r.status, .accepted)
                XCTAssertNotNil(r.headers[.location])
                return try Self.decode(JobView.self, r)
            }
            XCTAssertEqual(created.bundleBytes, Int64(zip.count))
            XCTAssertEqual(created.state, "queued")
            let job = try await Self.waitForEnd(client, created.id, get)
            XCTAssertEqual(job.state, "done", "\(job)")
            XCTAssertEqual(job.percent, 100)
            XCTAssertTrue(job.outputs.contains("annex.html") && job.outputs.contains("check.json") && job.outputs.contains("measurements.json"), "\(job.outputs)")
            // The annex as PDF too, printed by Chromium outside the worker's address-space limit
            // (CI installs the browser and requires it).
            let browser = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].contains { FileManager.default.isExecutableFile(atPath: $0) }
            if browser || ProcessInfo.processInfo.environment["ECOCREDIT_REQUIRE_BROWSER"] == "1" {
                XCTAssertTrue(job.outputs.contains("annex.pdf"), "\(job.outputs)")
                try await client.execute(uri: "/v1/jobs/\(job.id)/outputs/annex.pdf", method: .get, headers: get) { r in
                    XCTAssertEqual(r.status, .ok)
                    XCTAssertEqual(r.headers[.contentType], "application/pdf")
                    XCTAssertTrue(String(buffer: r.body).hasPrefix("%PDF-"))
                }
            }
            try await client.execute(uri: "/v1/jobs/\(job.id)/report", method: .get, headers: get) { r in
                XCTAssertEqual(r.status, .ok)
                let report = try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as! [String: Any]
                let check = report["check"] as! [String: Any]
                XCTAssertNotNil(check["overall"])
                XCTAssertNotNil(report["measurements"] as? [String: Any])
                XCTAssertEqual((report["verification"] as? [String: Any])?["exitStatus"] as? Int, 0)
                // The bundle is named by its SHA-256; nothing of the server's folders shows.
                XCTAssertEqual(check["bundle"] as? String, created.bundleSHA256 + ".zip")
            }
            try await client.execute(uri: "/v1/jobs/\(job.id)/outputs/annex.html", method: .get, headers: get) { r in
                XCTAssertEqual(r.status, .ok)
                XCTAssertEqual(r.headers[.contentType], "text/html; charset=utf-8")
                // The annex styles itself and runs nothing.
                XCTAssertEqual(r.headers[.contentSecurityPolicy], "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox")
                XCTAssertTrue(String(buffer: r.body).contains("<html"))
            }
            // Names are looked up in the job's index, never joined to a path as sent.
            for name in ["..%2F..%2Fservice.sqlite", "index.json.missing", ".hidden"] {
                try await client.execute(uri: "/v1/jobs/\(job.id)/outputs/\(name)", method: .get, headers: get) { r in
                    XCTAssertEqual(r.status, .notFound)
                    XCTAssertEqual(try Self.decode(ErrorBody.self, r).code, "JOB.OUTPUT_NOT_FOUND")
                }
            }
            // The same upload again: one blob, a second job.
            let again = try await client.execute(uri: "/v1/jobs", method: .post, headers: zipHeaders, body: ByteBuffer(bytes: zip)) { try Self.decode(JobView.self, $0) }
            XCTAssertEqual(again.bundleSHA256, created.bundleSHA256)
            XCTAssertNotEqual(again.id, created.id)
            _ = try await Self.waitForEnd(client, again.id, get)
        }
        let blobs = try FileManager.default.contentsOfDirectory(atPath: data + "/blobs")
        XCTAssertEqual(blobs, [created(zip) + ".zip"], "one blob named by its SHA-256, no part files left")
    }

    private func created(_ zip: Data) -> String {
        var h = Crypto256(); h.update(zip); return h.hex
    }

    /// An upload over the cap is refused with 413 and its code; nothing is stored. A wrong
    /// Content-Type is 415, an empty body 400, an unknown job 404, cancelling an ended job 409.
    func testRefusalsCarryTheirCodes() async throws {
        let data = try temporaryFolder()
        let app = try app(data: data, maxBytes: 4096, workers: 0)
        let con = try await Self.token(data, "contractor-1", .holder)
        let zipHeaders = Self.auth(con, zip: true), get = Self.auth(con)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/jobs", method: .post, headers: zipHeaders, body: ByteBuffer(bytes: [UInt8](repeating: 7, count: 10_000))) { r in
                XCTAssertEqual(r.status, .contentTooLarge)
                XCTAssertEqual(r.headers[.contentSecurityPolicy], "default-src 'self'", "refusals carry the same headers")
                let refusal = try Self.decode(ErrorBody.self, r)
                XCTAssertEqual(refusal.code, "HTTP.BUNDLE_TOO_LARGE")
                XCTAssertTrue(refusal.zh.contains("4096") && refusal.en.contains("4096"))
                XCTAssertNotNil(refusal.article)
            }
            try await client.execute(uri: "/v1/jobs", method: .post, headers: [.contentType: "text/plain", .authorization: "Bearer " + con], body: ByteBuffer(string: "hello")) { r in
                XCTAssertEqual(r.status, .unsupportedMediaType)
                XCTAssertEqual(try Self.decode(ErrorBody.self, r).code, "HTTP.UNSUPPORTED_MEDIA_TYPE")
            }
            try await client.execute(uri: "/v1/jobs", method: .post, headers: zipHeaders, body: ByteBuffer()) { r in
                XCTAssertEqual(r.status, .badRequest)
                XCTAssertEqual(try Self.decode(ErrorBody.self, r).code, "HTTP.EMPTY_BUNDLE")
            }
            // An annex language the service does not write is refused before anything is stored.
            for lang in ["fr", "ZH", "en&lang=zh"] {
                try await client.execute(uri: "/v1/jobs?lang=" + lang, method: .post, headers: zipHeaders, body: ByteBuffer(bytes: [9, 9, 9, 9])) { r in
                    XCTAssertEqual(r.status, .badRequest, lang)
                    let refusal = try Self.decode(ErrorBody.self, r)
                    XCTAssertEqual(refusal.code, "HTTP.BAD_QUERY", lang)
                    XCTAssertTrue(refusal.en.contains("one of zh, en"), refusal.en)
                }
            }
            for uri in ["/v1/jobs/0123456789abcdef0123456789abcdef", "/v1/jobs/../../etc", "/v1/jobs/0123456789abcdef0123456789abcdef/report"] {
                try await client.execute(uri: uri, method: .get, headers: get) { r in XCTAssertEqual(r.status, .notFound, uri) }
            }
            // Queued (no workers here), cancelled, then cancelling again is a conflict.
            let job = try await client.execute(uri: "/v1/jobs", method: .post, headers: zipHeaders, body: ByteBuffer(bytes: [1, 2, 3])) { try Self.decode(JobView.self, $0) }
            try await client.execute(uri: "/v1/jobs/\(job.id)", method: .delete, headers: get) { r in
                XCTAssertEqual(r.status, .ok)
                XCTAssertEqual(try Self.decode(JobView.self, r).state, "cancelled")
            }
            try await client.execute(uri: "/v1/jobs/\(job.id)", method: .delete, headers: get) { r in
                XCTAssertEqual(r.status, .conflict)
                XCTAssertEqual(try Self.decode(ErrorBody.self, r).code, "JOB.FINISHED")
            }
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: data + "/blobs")
        XCTAssertEqual(left.filter { $0.hasSuffix(".part") }, [], "no part file left behind")
        XCTAssertEqual(left.count, 1, "only the 3-byte upload is stored: \(left)")
    }

    /// Hostile zips (a path that climbs out, a symlink) fail their job with the ZIP.* finding,
    /// and their findings are served; the service goes on to run the next job.
    func testHostileZipsFailTheirJobWithTheirFinding() async throws {
        let data = try temporaryFolder()
        // Given relative to the working directory, as `make serve` gives it: the workers run in the
        // blob folder, so the service makes it absolute.
        let depth = FileManager.default.currentDirectoryPath.split(separator: "/").count
        let app = try app(data: String(repeating: "../", count: depth) + data.dropFirst())
        let con = try await Self.token(data, "contractor-1", .holder)
        let zipHeaders = Self.auth(con, zip: true), get = Self.auth(con)
        let cases: [(String, Data)] = [
            ("ZIP.UNSAFE_PATH", try zipped("shanwei-eco-seawall", extra: [("../../evil.txt", .file, Data("owned".utf8))])),
            ("ZIP.SYMLINK", try zipped("shanwei-eco-seawall", extra: [("shanwei-eco-seawall/link", .symlink, Data("/etc/passwd".utf8))])),
            // A zip bomb: 40 MiB of zeros in a few KiB.
            ("ZIP.COMPRESSION_RATIO", try zipped("shanwei-eco-seawall", extra: [("shanwei-eco-seawall/bomb.bin", .file, Data(count: 40 << 20))])),
        ]
        try await app.test(.router) { client in
            for (code, zip) in cases {
                let created = try await client.execute(uri: "/v1/jobs", method: .post, headers: zipHeaders, body: ByteBuffer(bytes: zip)) { try Self.decode(JobView.self, $0) }
                let job = try await Self.waitForEnd(client, created.id, get)
                XCTAssertEqual(job.state, "failed")
                XCTAssertEqual(job.error?.code, code)
                XCTAssertEqual(job.exitStatus, 2)
                XCTAssertEqual(job.stage, "verify", "the stage the job stopped at")
                try await client.execute(uri: "/v1/jobs/\(job.id)/report", method: .get, headers: get) { r in
                    let report = try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as! [String: Any]
                    let findings = (report["verification"] as! [String: Any])["findings"] as! [[String: Any]]
                    XCTAssertTrue(findings.contains { $0["code"] as? String == code }, "\(findings)")
                    XCTAssertTrue(report["check"] is NSNull)
                }
            }
            try await client.execute(uri: "/health", method: .get) { XCTAssertEqual($0.status, .ok) }
        }
    }

    /// A live `ecocredit serve`: 256 MiB streamed at a 16 MiB cap is refused with 413 while it
    /// streams, the server's peak resident memory stays under 64 MiB above what it had before,
    /// no part file is left, and the server keeps serving.
    func testAnUploadOverTheCapIsRefusedWhileStreamingInBoundedMemory() async throws {
        let data = try temporaryFolder()
        let token = try await Self.token(data, "contractor-1", .holder)
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in(); address.sin_family = sa_family_t(AF_INET); address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port)); close(socket)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: Self.executable)
        server.arguments = ["serve", "--port", String(port), "--data", data, "--max-bundle-mib", "16", "--workers", "0"]
        server.standardOutput = FileHandle.nullDevice; server.standardError = FileHandle.nullDevice
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        func sh(_ script: String) throws -> String {
            let p = Process(); p.executableURL = URL(fileURLWithPath: "/bin/sh"); p.arguments = ["-c", script]
            let out = Pipe(); p.standardOutput = out; try p.run(); p.waitUntilExit()
            return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }
        let health = "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:\(port)/health"
        var up = false
        for _ in 0..<100 where !up { up = try sh(health) == "200"; if !up { usleep(100_000) } }
        XCTAssertTrue(up, "the server did not start")
        func peakMiB() throws -> Double {
            let status = try String(contentsOfFile: "/proc/\(server.processIdentifier)/status", encoding: .utf8)
            let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
            return Double(line.split(separator: " ").dropFirst().first ?? "0")! / 1024
        }
        let before = try peakMiB()
        let code = try sh("head -c \(256 << 20) /dev/zero | curl -s -o /dev/null -w '%{http_code}' -H 'Expect:' -H 'Content-Type: application/zip' " +
                          "-H 'Authorization: Bearer \(token)' --data-binary @- http://127.0.0.1:\(port)/v1/jobs")
        let after = try peakMiB()
        print("413 while streaming: server peak RSS \(before) MiB before, \(after) MiB after 256 MiB at a 16 MiB cap")
        XCTAssertEqual(code, "413")
        XCTAssertLessThan(after - before, 64, "peak memory grew by \(after - before) MiB")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: data + "/blobs"), [])
        XCTAssertEqual(try sh(health), "200")
    }

    /// A worker that dies on a signal fails its job with JOB.WORKER_CRASHED; one that runs over
    /// the wall-time limit is killed and fails with JOB.TIMEOUT; the service keeps serving.
    func testWorkersThatCrashOrHangFailOnlyTheirJob() async throws {
        let folder = try temporaryFolder()
        for (name, script, code) in [("crash", "#!/bin/sh\nkill -9 $$\n", "JOB.WORKER_CRASHED"),
                                     ("hang", "#!/bin/sh\nexec sleep 60\n", "JOB.TIMEOUT")] {
            let worker = folder + "/" + name + ".sh"
            try script.write(toFile: worker, atomically: true, encoding: .utf8)
            chmod(worker, 0o755)
            let data = try temporaryFolder()
            let app = try app(data: data, executable: worker, limits: .init(wallSeconds: 1, cpuSeconds: 5, memoryMiB: 512))
            let con = try await Self.token(data, "contractor-1", .holder)
            let zipHeaders = Self.auth(con, zip: true), get = Self.auth(con)
            try await app.test(.router) { client in
                let created = try await client.execute(uri: "/v1/jobs", method: .post, headers: zipHeaders, body: ByteBuffer(bytes: [0x50, 0x4B])) { try Self.decode(JobView.self, $0) }
                let job = try await Self.waitForEnd(client, created.id, get)
                XCTAssertEqual(job.state, "failed", name)
                XCTAssertEqual(job.error?.code, code, name)
                try await client.execute(uri: "/health", method: .get) { XCTAssertEqual($0.status, .ok) }
            }
        }
    }
}

/// SHA-256 for the test's expectations (swift-crypto, as the service).
import Crypto
struct Crypto256 {
    var h = SHA256()
    mutating func update(_ d: Data) { h.update(data: d) }
    var hex: String { h.finalize().map { String(format: "%02x", $0) }.joined() }
}

extension XCTestCase {
    func temporaryFolder() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("ecocredit-service-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: d) }
        return d
    }

    /// A zip of `geodata/NAME` (entries under the bundle's name), plus `extra` entries.
    func zipped(_ name: String, extra: [(String, Entry.EntryType, Data)] = []) throws -> Data {
        let path = try temporaryFolder() + "/\(name).zip"
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        let base = URL(fileURLWithPath: ServiceTests.repo + "/geodata")
        for f in try FileManager.default.contentsOfDirectory(atPath: ServiceTests.repo + "/geodata/" + name).sorted() {
            try archive.addEntry(with: name + "/" + f, relativeTo: base, compressionMethod: .deflate)
        }
        for (p, type, data) in extra {
            try archive.addEntry(with: p, type: type, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                                 provider: { pos, size in data.subdata(in: Int(pos)..<Int(pos) + size) })
        }
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

}
