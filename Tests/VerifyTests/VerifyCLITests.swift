import Foundation
import XCTest
import GRDB
import SampleData
import FuzzHarness
import GeoCore
import Submission
@testable import Verify

/// The `ecocredit verify` command as users run it: exit status, JSON, language; and the fuzz
/// corpus and every crash reproducer replayed through the readers.
final class VerifyCLITests: XCTestCase {
    /// The built `ecocredit` next to the test bundle.
    var executable: URL {
        var dir = Bundle(for: Self.self).bundleURL
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("ecocredit").path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("ecocredit")
    }

    /// Runs `ecocredit`: its status, standard output and standard error (the latter through a
    /// file, so that neither pipe can fill while the other is read).
    func run(_ args: [String], in folder: String? = nil, environment: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        if let folder { p.currentDirectoryURL = URL(fileURLWithPath: folder) }
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let pipe = Pipe()
        p.standardOutput = pipe
        let errPath = Fixture.root + "/stderr-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let err = (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    func testExitStatusJSONAndLanguage() throws {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { return XCTFail("ecocredit is not built beside the tests (swift build --build-tests builds it)") }
        let sound = try run(["verify", Fixture.sample("shanwei-beach")])
        XCTAssertEqual(sound.status, 0)
        XCTAssertTrue(sound.out.contains("结论：未发现错误"), sound.out)

        let broken = try Fixture.copy("shanwei-beach")
        try Fixture.editBytes(broken, "beach.shp") { $0.removeLast(10) }
        let bad = try run(["verify", broken, "--json"])
        XCTAssertEqual(bad.status, 1)
        let json = try JSONSerialization.jsonObject(with: Data(bad.out.utf8)) as! [String: Any]
        let codes = (json["findings"] as! [[String: Any]]).map { $0["code"] as! String }
        XCTAssertTrue(codes.contains("IO.SHP.TRUNCATED"), "\(codes)")
        XCTAssertEqual(json["exitStatus"] as? Int, 1)

        let en = try run(["verify", broken, "--lang", "en"])
        XCTAssertTrue(en.out.contains("the .shp is truncated: header declares"), en.out)
        let zh = try run(["verify", broken])
        XCTAssertTrue(zh.out.contains(".shp 文件不完整（被截断）"), zh.out)

        let missing = try run(["verify", Fixture.root + "/nope"])
        XCTAssertEqual(missing.status, 2)
    }

    /// `ecocredit measure --lang zh` says everything in Chinese but identifiers (value ids,
    /// parameter names), codes, units' symbols and the rulebook's own citations; `--lang en` in English.
    func testMeasureConsoleInChinese() throws {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { return XCTFail("ecocredit is not built beside the tests") }
        for name in Samples.all.map(\.name) {
            let out = Fixture.root + "/cases/measure-zh-\(name)-\(UUID().uuidString.prefix(6))"
            let zh = try run(["measure", Fixture.sample(name), "-o", out])
            XCTAssertEqual(zh.status, 0, zh.out)
            var text = zh.out.replacingOccurrences(of: out, with: " ").replacingOccurrences(of: Fixture.root, with: " ")
            for pattern in [#"(?m)^   ! \[[A-Z_.]+\].*$"#,                       // reasons quoting the rulebook's note
                            #"[A-Za-z][A-Za-z0-9_\[\]\-]*(\.[A-Za-z0-9_\[\]\-]+)+"#,   // value ids, files
                            #"[A-Za-z0-9_]+=[^ ]+"#,                              // parameter = value
                            #"(?m)^== .*$"#,                                      // the bundle, its rule and kind (identifiers)
                            #"m/yr"#] {
                text = text.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
            }
            XCTAssertEqual(LanguageScan.englishWords(text), [], "\(name): \(zh.out)")
            let en = try run(["measure", Fixture.sample(name), "-o", out, "--lang", "en"])
            XCTAssertTrue(en.out.contains("working CRS"), en.out)
        }
    }

    /// The Jiangyin registry from geodata/ (issue #20): the quantity comes from the bundle's check
    /// under a bureau rulebook in force, issue prepared and approved by two officers, a direct sale
    /// at the minimum price, the new holder, a partial surrender (a split), its cancellation, a
    /// loss notice and the 补发 reissue 30 days later; the register and `ledger verify`.
    /// The Shanwei registry end to end from `geodata/shanwei-beach` under the bureau's test
    /// rulebook: a lot from the check (two officers), a plan within the SW 27 bounds approved with
    /// the city's decision, sealed bids committed and revealed, the award, an objection dismissed,
    /// the agreement after publicity, payments and the SW 28 split; the ledger verifies, and the
    /// independent verifier recomputes the chain, the commitments, the winner and the split.
    func testShanweiIndicatorScenario() throws {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { return XCTFail("ecocredit is not built beside the tests") }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let ledger = Fixture.root + "/indicators-\(UUID().uuidString.prefix(6)).sqlite"
        let book = repo + "/tools/registry-scenario/shanwei-bureau-test.json"
        func sw(_ args: [String], _ who: String, _ at: String) throws -> (status: Int32, out: String, err: String) {
            try run(["indicators"] + args.prefix(1) + [ledger] + args.dropFirst() + ["--as", who, "--rulebook", book, "--now", at], in: repo)
        }
        // Under the shipped draft (no start date, SW 30) nothing enters the library.
        XCTAssertEqual(try run(["indicators", "lot-prepare", ledger, "SW-X", "--bundle", "geodata/shanwei-beach", "--social-share", "0.6",
                                "--district", "红海湾经济开发区", "--as", "off-chen:OFF", "--now", "2026-03-02T09:00:00+08:00"], in: repo).status, 1)
        XCTAssertEqual(try sw(["lot-prepare", "SW-2026-001", "--bundle", "geodata/shanwei-beach", "--social-share", "0.6", "--district", "红海湾经济开发区"],
                              "off-chen:OFF", "2026-03-02T09:00:00+08:00").status, 0)
        XCTAssertEqual(try sw(["lot-approve", "SW-2026-001"], "off-chen:CHK", "2026-03-02T10:00:00+08:00").status, 1, "maker–checker")
        XCTAssertEqual(try sw(["lot-approve", "SW-2026-001"], "chk-lin:CHK", "2026-03-02T10:00:00+08:00").status, 0)
        XCTAssertEqual(try sw(["plan-draft", "P-2026-01", "--lots", "SW-2026-001", "--reserve-fen-per-metre", "19999999"], "off-chen:OFF", "2026-03-03T09:00:00+08:00").status, 1, "below SW 27")
        XCTAssertEqual(try sw(["plan-draft", "P-2026-01", "--lots", "SW-2026-001", "--reserve-fen-per-metre", "30000000"], "off-chen:OFF", "2026-03-03T09:00:00+08:00").status, 0)
        XCTAssertEqual(try sw(["plan-approve", "P-2026-01", "--decision", "汕府函〔2026〕8号"], "chk-lin:CHK", "2026-03-04T09:00:00+08:00").status, 0)
        XCTAssertEqual(try sw(["auction-open", "P-2026-01", "--hours", "72"], "ggzy:OPS", "2026-03-05T09:00:00+08:00").status, 0)
        let a = "P-2026-01#1"
        var receipts: [String: [String: Any]] = [:]
        for (who, price) in [("haiyun", "32000000"), ("lanwan", "31500000")] {
            let r = try sw(["bid", a, "--fen-per-metre", price], "\(who):CON", "2026-03-06T09:00:00+08:00")
            XCTAssertEqual(r.status, 0, r.out)
            receipts[who] = try JSONSerialization.jsonObject(with: Data(r.out.split(separator: "\n").last!.utf8)) as? [String: Any]
        }
        XCTAssertEqual(try sw(["bid", a, "--fen-per-metre", "33000000"], "nanhai:CON", "2026-03-08T09:00:00+08:00").status, 1, "a bid at the close is refused")
        for (who, r) in receipts {
            XCTAssertEqual(try sw(["reveal", a, "--fen-per-metre", "\(r["fenPerMetre"]!)", "--nonce", "\(r["nonce"]!)"], "\(who):CON", "2026-03-08T10:00:00+08:00").status, 0)
        }
        XCTAssertEqual(try sw(["object", a, "--reason", "报价异常"], "lanwan:CON", "2026-03-10T09:00:00+08:00").status, 0)
        XCTAssertEqual(try sw(["agreement", a, "--ref", "协议1"], "chk-lin:CHK", "2026-03-16T09:00:00+08:00").status, 1, "an objection is pending")
        XCTAssertEqual(try sw(["decide-objection", a, "--reason", "经复核竞价有效"], "chk-lin:CHK", "2026-03-11T09:00:00+08:00").status, 0)
        XCTAssertEqual(try sw(["agreement", a, "--ref", "汕海岸线出让协议〔2026〕1号"], "chk-lin:CHK", "2026-03-16T09:00:00+08:00").status, 0)
        // 500.34 m × 320 000.00 yuan/m = 160 108 800.00 yuan, paid in two parts.
        XCTAssertEqual(try sw(["pay", a, "--fen", "6010880000", "--ref", "付-1"], "ggzy:OPS", "2026-03-20T09:00:00+08:00").status, 0)
        XCTAssertEqual(try sw(["pay", a, "--fen", "10000000001", "--ref", "付-2"], "ggzy:OPS", "2026-03-21T09:00:00+08:00").status, 1, "overpayment")
        XCTAssertEqual(try sw(["pay", a, "--fen", "10000000000", "--ref", "付-2"], "ggzy:OPS", "2026-03-21T09:00:00+08:00").status, 0)
        // The coastline ledger: the restored piece, the buyer's occupation, the allocation (SW 5–7, 10).
        XCTAssertEqual(try sw(["piece", "HH-01", "--kind", "restored", "--district", "红海湾经济开发区", "--survey", "2022年省海岸线修测", "--metres", "520.00"], "off-chen:OFF", "2026-03-22T09:00:00+08:00").status, 0)
        XCTAssertEqual(try sw(["restoration", "HH-01", "--lot", "SW-2026-001"], "off-chen:OFF", "2026-03-22T09:00:00+08:00").status, 0)
        XCTAssertEqual(try sw(["occupation", "HH-01", "--project", "红海湾码头用海", "--occupier", "haiyun", "--metres", "300"], "off-chen:OFF", "2026-03-22T09:00:00+08:00").status, 0)
        XCTAssertEqual(try sw(["allocate", a, "--piece", "HH-01", "--project", "红海湾码头用海", "--metres", "500.35"], "off-chen:OFF", "2026-03-22T10:00:00+08:00").status, 1, "more than settled")
        XCTAssertEqual(try sw(["allocate", a, "--piece", "HH-01", "--project", "红海湾码头用海", "--metres", "300"], "off-chen:OFF", "2026-03-22T10:00:00+08:00").status, 0)
        XCTAssertEqual(try sw(["post-trade-check", a, "--result", "岸线稳定"], "off-chen:OFF", "2027-03-22T10:00:00+08:00").status, 0)
        let register = try run(["indicators", "register", ledger]).out
        XCTAssertTrue(register.contains("HH-01\trestored\t红海湾经济开发区\t520.00 m\t300.00 m\tSW-2026-001\t1"), register)
        XCTAssertTrue(register.contains("allocated from P-2026-01#1: 红海湾码头用海 300.00 m"), register)
        XCTAssertTrue(register.contains("SW-2026-001\t500.34 m\t红海湾经济开发区\t0.6\tsettled P-2026-01#1"), register)
        XCTAssertTrue(register.contains("P-2026-01#1\tsettled\t2 (2 revealed)\thaiyun\t32000000\t16010880000\t16010880000"), register)
        // In-city, co-funded 60 % social, Honghaiwan: investor 30 %, government 70 % → city 70 %, district 20 %, town 10 %.
        XCTAssertTrue(register.contains("SW-2026-001 city 7845331200, SW-2026-001 district 2241523200, SW-2026-001 town 1120761600, SW-2026-001 investor 4803264000 — total 16010880000 fen"), register)
        XCTAssertFalse(try run(["indicators", "register", ledger, "--public"]).out.contains("haiyun"), "bidders redacted in the public register")
        let csv = try run(["indicators", "register", ledger, "--csv"]).out
        XCTAssertTrue(csv.hasPrefix("lot,centimetres,district,social share,bundle sha256,rulebook,state\nSW-2026-001,50034,红海湾经济开发区,0.6,"), csv)
        XCTAssertEqual(try run(["ledger", "verify", ledger]).status, 0)
        // A signed checkpoint: the key made once (never overwritten), the head signed and stored,
        // the line saved by an auditor and checked later under the bureau's public key.
        let keyFile = Fixture.root + "/bureau-\(UUID().uuidString.prefix(6)).key"
        let made = try run(["ledger", "keygen", keyFile])
        XCTAssertEqual(made.status, 0)
        let publicKey = String(made.out.split(separator: " ").last!).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(try run(["ledger", "keygen", keyFile]).status, 2, "an existing key file is never overwritten")
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let signed = try run(["ledger", "checkpoint", ledger, "--key", keyFile])
        XCTAssertEqual(signed.status, 0, signed.out)
        let saved = Fixture.root + "/checkpoint-\(UUID().uuidString.prefix(6)).json"
        try signed.out.write(toFile: saved, atomically: true, encoding: .utf8)
        XCTAssertTrue(try run(["ledger", "verify", ledger, "--checkpoint", saved, "--public-key", publicKey]).out.contains("1 stored checkpoints, the saved checkpoint and projections agree"))
        let otherKey = String(repeating: "ab", count: 32)
        XCTAssertEqual(try run(["ledger", "verify", ledger, "--checkpoint", saved, "--public-key", otherKey]).status, 1, "signed by another key")
        var edited = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(signed.out.utf8)) as? [String: Any])
        edited["seq"] = (edited["seq"] as! Int) - 1   // claims an earlier event: the signature no longer covers it
        try JSONSerialization.data(withJSONObject: edited).write(to: URL(fileURLWithPath: saved))
        XCTAssertEqual(try run(["ledger", "verify", ledger, "--checkpoint", saved, "--public-key", publicKey]).status, 1, "an edited checkpoint")
        let export = Fixture.root + "/indicators-export-\(UUID().uuidString.prefix(6)).jsonl"
        try run(["ledger", "export", ledger]).out.write(toFile: export, atomically: true, encoding: .utf8)
        let p = Process(); p.executableURL = URL(fileURLWithPath: "/usr/bin/python3"); p.arguments = [repo + "/tools/verify_ledger.py", export]
        let out = Pipe(); p.standardOutput = out; try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self); p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("1 auctions' winners recomputed from the revealed commitments, 1 revenue splits summed, 1 checkpoints on the chain"), text)
        // The quantity is recomputable from the bundle and rulebook bytes the ledger stored (I10) …
        let recomputed = try run(["ledger", "recompute", ledger])
        XCTAssertEqual(recomputed.status, 0, recomputed.out)
        XCTAssertTrue(recomputed.out.contains("SW-2026-001: indicatorMetres 50034 recomputed = recorded"), recomputed.out)
        // … and a stored bundle changed by the database owner is found by verify and by recompute.
        let copy = ledger + ".tampered"
        try FileManager.default.copyItem(atPath: ledger, toPath: copy)
        try DatabaseQueue(path: copy).write { db in
            try db.execute(sql: "DROP TRIGGER blobs_append_only_update")
            try db.execute(sql: "UPDATE blobs SET bytes = CAST(replace(CAST(bytes AS TEXT), 'beach', 'beech') AS BLOB) WHERE length(bytes) > 10000")
        }
        let tampered = try run(["ledger", "verify", copy])
        XCTAssertEqual(tampered.status, 1)
        XCTAssertEqual(try run(["ledger", "recompute", copy]).status, 1)
        // A ledger of one registry is never opened as the other.
        XCTAssertEqual(try run(["registry", "register", ledger]).status == 0, false)
    }

    /// Deadlines at their edges, through the command line, identical under TZ=UTC and
    /// TZ=America/New_York (every date is China time, never the machine's): a voucher issued
    /// 2024-02-29 may be sold until 2026-02-28 24:00 China time (Civil Code Art. 202) and is bought
    /// out at the minimum price after; a reissue 1 ms before the end of day D+30 after the notice
    /// is refused and allowed at the next day's start; a bid at the close is refused, 1 ms before accepted.
    func testDeadlinesAtTheEdgesIdenticalInEveryTimeZone() throws {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { return XCTFail("ecocredit is not built beside the tests") }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let book = repo + "/tools/registry-scenario/jiangyin-bureau-test.json"
        func scenario(_ tz: String) throws -> [String] {
            let ledger = Fixture.root + "/edges-\(UUID().uuidString.prefix(6)).sqlite"
            var seen: [String] = []
            func reg(_ args: [String], _ who: String, _ at: String, on file: String? = nil, keep: Bool = true) throws -> Int32 {
                let r = try run(["registry"] + args.prefix(1) + [file ?? ledger] + args.dropFirst() + ["--as", who, "--rulebook", book, "--now", at],
                                in: repo, environment: ["TZ": tz])
                seen.append("\(args.joined(separator: " ")) @\(at) → \(r.status)" + (keep ? " " + r.out : ""))
                return r.status
            }
            XCTAssertEqual(try reg(["issue-prepare", "JY-1", "--bundle", "geodata/jiangyin-restoration", "--holder", "coop", "--land-rights-holder", "v"], "off-wang:OFF", "2024-02-29T10:00:00+08:00"), 0)
            XCTAssertEqual(try reg(["issue-approve", "JY-1"], "chk-li:CHK", "2024-02-29T11:00:00+08:00"), 0)
            let late = ledger + ".late"
            try FileManager.default.copyItem(atPath: ledger, toPath: late)
            XCTAssertEqual(try reg(["sell", "JY-1", "--buyer", "builder", "--fen-per-unit", "250000"], "ops:OPS", "2026-02-28T23:59:59.999+08:00"), 0, tz)
            XCTAssertEqual(try reg(["sell", "JY-1", "--buyer", "builder", "--fen-per-unit", "250000"], "ops:OPS", "2026-03-01T00:00:00+08:00", on: late), 1, tz)
            seen.append(try run(["registry", "register", late], environment: ["TZ": tz]).out)
            // Loss notice on 2026-03-10 (D): a reissue at 23:59:59.999 of D+30 is refused, at 00:00 of D+31 allowed.
            XCTAssertEqual(try reg(["register-holder", "JY-1"], "off-wang:OFF", "2026-03-02T09:00:00+08:00"), 0)
            XCTAssertEqual(try reg(["loss-notice", "JY-1", "--date", "2026-03-10", "--media", "江阴日报"], "builder:CON", "2026-03-10T09:00:00+08:00"), 0)
            XCTAssertEqual(try reg(["reissue", "JY-1"], "off-wang:OFF", "2026-04-09T23:59:59.999+08:00"), 1, tz)
            XCTAssertEqual(try reg(["reissue", "JY-1"], "off-wang:OFF", "2026-04-10T00:00:00+08:00"), 0, tz)
            XCTAssertEqual(try reg(["reissue", "JY-1"], "chk-li:CHK", "2026-04-10T00:00:01+08:00"), 0, tz)
            // A listing closing 2026-05-02 09:00 China time: a bid 1 ms before is accepted, at the close refused.
            XCTAssertEqual(try reg(["list", "JY-1", "--asking-fen-per-unit", "260000", "--hours", "24"], "builder:CON", "2026-05-01T09:00:00+08:00"), 0)
            XCTAssertEqual(try reg(["bid", "JY-1", "--fen-per-unit", "270000"], "dev-a:CON", "2026-05-02T08:59:59.999+08:00", keep: false), 0, tz)
            XCTAssertEqual(try reg(["bid", "JY-1", "--fen-per-unit", "280000"], "dev-b:CON", "2026-05-02T09:00:00+08:00", keep: false), 1, tz)
            seen.append(try run(["registry", "register", ledger], environment: ["TZ": tz]).out)
            return seen
        }
        let utc = try scenario("UTC"), newYork = try scenario("America/New_York")
        XCTAssertEqual(utc, newYork)
        XCTAssertTrue(utc.contains { $0.contains("pending-holder-change to platform-reserve at 250000 fen/unit") && $0.contains("buyout at the minimum price, JY 27") }, utc.joined(separator: "\n"))
        XCTAssertTrue(utc.last!.contains("3 补发"), utc.last!)
    }

    func testJiangyinRegistryScenario() throws {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { return XCTFail("ecocredit is not built beside the tests") }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let ledger = Fixture.root + "/ledger-\(UUID().uuidString.prefix(6)).sqlite"
        let book = repo + "/tools/registry-scenario/jiangyin-bureau-test.json"
        func reg(_ args: [String], _ who: String, _ at: String) throws -> Int32 {
            try run(["registry"] + args.prefix(1) + [ledger] + args.dropFirst() + ["--as", who, "--rulebook", book, "--now", at], in: repo).status
        }
        // Under the shipped rulebook (example coefficients, no longer in force) nothing is issuable.
        XCTAssertEqual(try run(["registry", "issue-prepare", ledger, "JY-X", "--bundle", "geodata/jiangyin-restoration", "--holder", "coop",
                                "--land-rights-holder", "village", "--as", "off-wang:OFF", "--now", "2025-10-20T10:00:00+08:00"], in: repo).status, 1)
        XCTAssertEqual(try reg(["issue-prepare", "JY-2025-001", "--bundle", "geodata/jiangyin-restoration", "--holder", "coop", "--land-rights-holder", "village"],
                               "off-wang:OFF", "2025-10-20T10:00:00+08:00"), 0)
        XCTAssertEqual(try reg(["issue-approve", "JY-2025-001"], "off-wang:CHK", "2025-10-20T11:00:00+08:00"), 1, "maker–checker")
        XCTAssertEqual(try reg(["issue-approve", "JY-2025-001"], "chk-li:CHK", "2025-10-20T11:00:00+08:00"), 0)
        XCTAssertEqual(try reg(["sell", "JY-2025-001", "--buyer", "builder", "--fen-per-unit", "199999"], "ops:OPS", "2025-11-01T09:00:00+08:00"), 1, "below the minimum price")
        XCTAssertEqual(try reg(["sell", "JY-2025-001", "--buyer", "builder", "--fen-per-unit", "200000"], "ops:OPS", "2025-11-01T09:00:00+08:00"), 0)
        XCTAssertEqual(try reg(["register-holder", "JY-2025-001"], "off-wang:OFF", "2025-11-03T09:00:00+08:00"), 0)
        XCTAssertEqual(try reg(["surrender", "JY-2025-001", "--units", "2.5", "--land-ref", "GY-2025-17"], "coop:CON", "2025-12-01T09:00:00+08:00"), 1, "not the holder any more")
        for bad in ["2.+1", "+2", "2.50000", "0", " 2", "2e0"] {   // units are digits with at most 4 decimals: a usage error
            XCTAssertEqual(try reg(["surrender", "JY-2025-001", "--units", bad, "--land-ref", "GY-2025-17"], "builder:CON", "2025-12-01T09:00:00+08:00"), 64, bad)
        }
        XCTAssertEqual(try reg(["surrender", "JY-2025-001", "--units", "2.5", "--land-ref", "GY-2025-17"], "builder:CON", "2025-12-01T09:00:00+08:00"), 0)
        XCTAssertEqual(try reg(["cancel", "JY-2025-001-1", "--certificate-ref", "苏(2026)江阴市不动产权第0001号"], "off-wang:OFF", "2026-01-10T09:00:00+08:00"), 0)
        XCTAssertEqual(try reg(["loss-notice", "JY-2025-001", "--date", "2026-02-01", "--media", "江阴日报"], "builder:CON", "2026-02-01T15:00:00+08:00"), 0)
        XCTAssertEqual(try reg(["reissue", "JY-2025-001"], "off-wang:OFF", "2026-03-03T23:59:59.999+08:00"), 1, "the notice period ends at 24:00 of 2026-03-03")
        XCTAssertEqual(try reg(["reissue", "JY-2025-001"], "off-wang:OFF", "2026-03-04T00:00:00+08:00"), 0)
        XCTAssertEqual(try reg(["reissue", "JY-2025-001"], "chk-li:CHK", "2026-03-04T10:00:00+08:00"), 0)
        // Resale by one sealed bid each (JY 28): the receipts stay with the bidders until the close.
        XCTAssertEqual(try reg(["list", "JY-2025-001", "--asking-fen-per-unit", "260000", "--hours", "24"], "builder:CON", "2026-03-05T09:00:00+08:00"), 0)
        func bid(_ who: String, _ price: String) throws -> [String: Any] {
            let out = try run(["registry", "bid", ledger, "JY-2025-001", "--fen-per-unit", price, "--as", who, "--rulebook", book, "--now", "2026-03-05T12:00:00+08:00"], in: repo).out
            return try JSONSerialization.jsonObject(with: Data(out.split(separator: "\n").last!.utf8)) as! [String: Any]
        }
        let x = try bid("dev-x:CON", "270000"), y = try bid("dev-y:CON", "275000")
        XCTAssertEqual(x["auction"] as? String, "JY-2025-001#1")
        for (who, r) in [("dev-x:CON", x), ("dev-y:CON", y)] {
            XCTAssertEqual(try reg(["reveal", "JY-2025-001", "--fen-per-unit", "\((r["fenPerUnit"] as! Int))", "--nonce", r["nonce"] as! String],
                                   who, "2026-03-06T10:00:00+08:00"), 0)
        }
        XCTAssertEqual(try reg(["register-holder", "JY-2025-001"], "off-wang:OFF", "2026-03-07T10:00:00+08:00"), 0, "after the reveal window, dev-y won")
        let register = try run(["registry", "register", ledger])
        XCTAssertTrue(register.out.contains("JY-2025-001\tJY-2025-001\t1–93500\t9.3500\tdev-y\t4 补发\theld"), register.out)
        XCTAssertTrue(register.out.contains("JY-2025-001-1\tJY-2025-001\t93501–118500\t2.5000\tbuilder\t2\tcancelled"), register.out)
        XCTAssertFalse(try run(["registry", "register", ledger, "--public"]).out.contains("dev-y"))
        let verified = try run(["ledger", "verify", ledger])
        XCTAssertEqual(verified.status, 0); XCTAssertTrue(verified.out.contains("ledger verified: 18 events"), verified.out)
        XCTAssertEqual(try run(["ledger", "verify", ledger + ".missing"]).status, 2)
        // Both issues recomputed from the bundle and rulebook bytes stored with them (I10).
        let recomputed = try run(["ledger", "recompute", ledger])
        XCTAssertEqual(recomputed.status, 0, recomputed.out)
        XCTAssertTrue(recomputed.out.contains("JY-2025-001: vouchers 118500 recomputed = recorded"), recomputed.out)
        // The export, verified by an independent program (Python, standard library only); an edited copy is refused.
        let export = try run(["ledger", "export", ledger])
        let file = ledger + ".jsonl", edited = ledger + ".edited.jsonl"
        try export.out.write(toFile: file, atomically: true, encoding: .utf8)
        try export.out.replacingOccurrences(of: "dev-y", with: "mallory").write(toFile: edited, atomically: true, encoding: .utf8)
        func python(_ f: String) throws -> Int32 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["python3", repo + "/tools/verify_ledger.py", f]
            p.standardOutput = FileHandle.nullDevice
            try p.run(); p.waitUntilExit()
            return p.terminationStatus
        }
        XCTAssertEqual(try python(file), 0)
        XCTAssertEqual(try python(edited), 1)
    }

    /// kill -9 inside a registry command — after the events are inserted, after the projection is
    /// updated (both before COMMIT) and after COMMIT before the reply: after restart the chain and
    /// the projections verify, a command killed before COMMIT left no trace, one killed after it is
    /// there, and the retry with the same idempotency key is applied exactly once.
    func testRegistryCommandKilledAtFixedPoints() throws {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { return XCTFail("ecocredit is not built beside the tests") }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let book = repo + "/tools/registry-scenario/jiangyin-bureau-test.json"
        for (i, point) in ["after-insert", "after-projection", "after-commit"].enumerated() {
            let ledger = Fixture.root + "/crash-\(point)-\(UUID().uuidString.prefix(6)).sqlite"
            func reg(_ args: [String], _ who: String, key: String, crash: String? = nil) throws -> Int32 {
                try run(["registry"] + args.prefix(1) + [ledger] + args.dropFirst() + ["--as", who, "--rulebook", book, "--key", key, "--now", "2025-10-20T10:00:00+08:00"],
                        in: repo, environment: crash.map { ["ECOCREDIT_CRASH_AT": $0] } ?? [:]).status
            }
            XCTAssertEqual(try reg(["issue-prepare", "JY-1", "--bundle", "geodata/jiangyin-restoration", "--holder", "coop", "--land-rights-holder", "v"], "off:OFF", key: "p"), 0)
            XCTAssertEqual(try reg(["issue-approve", "JY-1"], "chk:CHK", key: "a"), 0)
            let surrender = ["surrender", "JY-1", "--units", "1.5", "--land-ref", "GY-\(i)"]
            XCTAssertEqual(try reg(surrender, "coop:CON", key: "s", crash: point), 9, "\(point): killed by SIGKILL")
            XCTAssertEqual(try run(["ledger", "verify", ledger]).status, 0, point)
            let before = try run(["registry", "register", ledger]).out
            XCTAssertEqual(before.contains("JY-1-1"), point == "after-commit", "\(point): \(before)")
            XCTAssertEqual(try reg(surrender, "coop:CON", key: "s"), 0, point)
            let after = try run(["registry", "register", ledger]).out
            XCTAssertTrue(after.contains("JY-1-1\tJY-1\t103501–118500\t1.5000"), "\(point): \(after)")
            XCTAssertFalse(after.contains("JY-1-2"), "\(point): applied once")
            XCTAssertEqual(try run(["ledger", "verify", ledger]).status, 0, point)
        }
    }

    /// Data that verification rejects is never measured: measure and annex exit 1 with the
    /// findings, check says not assessed (3) with the finding's code; no stage crashes.
    func testInvalidGeometryStopsMeasureCheckAndAnnexCleanly() throws {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { return XCTFail("ecocredit is not built beside the tests (swift build --build-tests builds it)") }
        let broken = try Fixture.copy("shanwei-beach")
        try Fixture.editGeometry(broken, "beach.shp") { g in var r = g.firstRing; r.swapAt(1, 2); return .polygon([CoordinateSequence(r)]) }
        for args in [["measure", broken, "-o", broken + "/out"], ["check", broken], ["annex", broken, "-o", broken + "/annex"]] {
            let p = Process(); p.executableURL = executable; p.arguments = args
            let out = Pipe(); p.standardError = FileHandle.nullDevice; p.standardOutput = out
            try p.run(); let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self); p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, args[0] == "check" ? 3 : 1, args[0])
            XCTAssertTrue(text.contains("GEOM."), "\(args[0]): \(text)")
        }
    }

    /// kill -9 at 20 random moments of `measure -o DIR` over an earlier run's DIR: DIR is always
    /// one whole run — every file its index.json lists, with that size and SHA-256, and no other.
    func testKilledMeasureLeavesOneWholeRun() throws {
        try interruptMeasure(with: SIGKILL, times: 20, test: "testKilledMeasureLeavesOneWholeRun")
    }

    /// SIGTERM and SIGINT at 20 random moments of `measure -o DIR` over an earlier run's DIR: DIR
    /// is one whole run, the staging folder beside it is removed too (unlike after kill -9), and
    /// the process ends with 128 + the signal (or 0 when it finished first), never a crash.
    func testSignalledMeasureLeavesOneWholeRunAndNoStaging() throws {
        try interruptMeasure(with: SIGTERM, times: 10, test: "testSignalledMeasureLeavesOneWholeRunAndNoStaging")
        try interruptMeasure(with: SIGINT, times: 10, test: "testSignalledMeasureLeavesOneWholeRunAndNoStaging")
    }

    /// Sends `signal` at `times` random moments of `measure -o DIR` (alternating two bundles over
    /// DIR) and checks after each that DIR is one whole run.
    func interruptMeasure(with signal: Int32, times: Int, test: String) throws {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { return XCTFail("ecocredit is not built beside the tests") }
        var rng = SeededGenerator.forTest(test + "-\(signal)")
        let parent = Fixture.root + "/interrupted-\(UUID().uuidString.prefix(6))"
        let dir = parent + "/out"
        let a = Fixture.sample("shanwei-beach"), b = Fixture.sample("jiangyin-restoration")
        XCTAssertEqual(try run(["measure", a, "-o", dir]).status, 0)
        // How long a whole run takes, to spread the signals over it.
        let t0 = Date(); _ = try run(["measure", b, "-o", dir]); let whole = max(Date().timeIntervalSince(t0), 0.05)
        for i in 0..<times {
            let p = Process(); p.executableURL = executable
            p.arguments = ["measure", i % 2 == 0 ? a : b, "-o", dir]
            p.standardOutput = FileHandle.nullDevice; p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32(Double(rng.next() % 1000) / 1000 * whole * 1.2 * 1e6))
            kill(p.processIdentifier, signal); p.waitUntilExit()
            let what = "signal \(signal), \(i)"
            let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/index.json"))) as! [String: Any]
            let files = index["files"] as! [[String: Any]]
            XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: dir)), Set(files.map { $0["name"] as! String } + ["index.json"]), what)
            for f in files {
                let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + (f["name"] as! String)))
                XCTAssertEqual(f["bytes"] as? Int, data.count, "\(what) \(f["name"]!)")
                XCTAssertEqual(f["sha256"] as? String, SHA256Hex.of(data), "\(what) \(f["name"]!)")
            }
            guard signal != SIGKILL else { continue }
            // A signal the process can catch also removes the staging folder beside DIR.
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent), ["out"], "\(what): only the output beside it")
            switch p.terminationReason {
            case .uncaughtSignal: XCTAssertEqual(p.terminationStatus, signal, "\(what): ended by signal \(p.terminationStatus) (only the signal sent may end it, before its handler is installed)")
            case .exit: XCTAssert([0, 128 + signal].contains(p.terminationStatus), "\(what): exit status \(p.terminationStatus)")
            @unknown default: XCTFail(what)
            }
        }
        // Staging folders a kill left behind are siblings, never inside the output.
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: dir).contains { $0.contains("ecocredit-") })
    }

    /// A symbolic link where the output folder should be is refused (exit 5), its target untouched.
    func testOutputThroughSymlinkIsRefused() throws {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { return XCTFail("ecocredit is not built beside the tests") }
        let victim = Fixture.root + "/victim-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: victim, withIntermediateDirectories: true)
        try "keep".write(toFile: victim + "/measurements.json", atomically: true, encoding: .utf8)
        let link = Fixture.root + "/link-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: victim)
        XCTAssertEqual(try run(["measure", Fixture.sample("shanwei-beach"), "-o", link]).status, 5)
        XCTAssertEqual(try String(contentsOfFile: victim + "/measurements.json", encoding: .utf8), "keep")
        // Unwritable places give a coded error and their own status, never a raw system error.
        XCTAssertEqual(try run(["measure", Fixture.sample("shanwei-beach"), "-o", "/proc/ecocredit"]).status, 5)
        // A broken --rulebook is not "fail": status 4.
        let bad = Fixture.root + "/bad-rulebook.json"
        try "{ nope".write(toFile: bad, atomically: true, encoding: .utf8)
        XCTAssertEqual(try run(["check", Fixture.sample("shanwei-beach"), "--rulebook", bad]).status, 4)
        XCTAssertEqual(try run(["check", Fixture.sample("shanwei-beach"), "--no-such-option"]).status, 64)
        // One-character names (Foundation's deletingLastPathComponent traps on "o"): `-o o` in the
        // working folder, a bundle called "b", and an output folder "o/" with a trailing slash.
        let cwd = Fixture.root + "/cwd-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: cwd, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixture.sample("shanwei-beach"), toPath: cwd + "/b")
        XCTAssertEqual(try run(["measure", "b", "-o", "o"], in: cwd).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: cwd + "/o/index.json"))
        XCTAssertEqual(try run(["annex", "b", "-o", "o/"], in: cwd).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: cwd + "/o/annex.html"))
        XCTAssertEqual(parentFolder(of: "o"), "."); XCTAssertEqual(parentFolder(of: "/o"), "/"); XCTAssertEqual(parentFolder(of: "a/b/"), "a")
    }

    /// `ecocredit --version` and the annex's provenance print the same version, from one constant.
    func testVersionIsOneConstant() throws {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { return XCTFail("ecocredit is not built beside the tests") }
        let v = try run(["--version"])
        XCTAssertTrue(v.out.hasPrefix(EcoCreditVersion.string + " "), v.out)
        let dir = Fixture.root + "/version-\(UUID().uuidString.prefix(6))"
        _ = try run(["annex", Fixture.sample("shanwei-mudflat"), "-o", dir, "--generated-at", "t"])
        let html = try String(contentsOfFile: dir + "/annex.html", encoding: .utf8)
        XCTAssertTrue(html.contains("EcoCredit \(EcoCreditVersion.string)"))
        XCTAssertEqual(html.components(separatedBy: "EcoCredit 0.").count - 1, 1, "one version in the provenance")
    }

    /// SIGTERM while a zipped bundle is being read: the scratch folder it was unpacked into is
    /// removed before the process exits (10 seeded random moments).
    func testSignalsRemoveScratchFolders() throws {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { return XCTFail("ecocredit is not built beside the tests") }
        var rng = SeededGenerator.forTest("testSignalsRemoveScratchFolders")
        let zip = Fixture.root + "/signal-\(UUID().uuidString.prefix(6)).zip"
        try FindingCodeTests.zip(Fixture.sample("jiangyin-restoration"), to: zip)
        func start(_ tmp: String) throws -> Process {
            try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
            let p = Process(); p.executableURL = executable; p.arguments = ["check", zip]
            p.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": tmp]) { _, b in b }
            p.standardOutput = FileHandle.nullDevice; p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }
        // The status of a run that is not interrupted, and how long it takes: the kills fall
        // anywhere from before the handlers are installed to after the run has ended.
        let began = Date()
        let whole = try start(Fixture.root + "/tmp-whole-\(UUID().uuidString.prefix(6))")
        whole.waitUntilExit()
        let span = max(UInt64(Date().timeIntervalSince(began) * 1.2e6), 20_000)
        for i in 0..<30 {
            let tmp = Fixture.root + "/tmp-\(i)-\(UUID().uuidString.prefix(6))"
            let p = try start(tmp)
            let delay = rng.next() % span
            usleep(UInt32(delay))
            kill(p.processIdentifier, SIGTERM); p.waitUntilExit()
            let what = "kill \(i) after \(delay / 1000) ms"
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp), [], "\(what): nothing left in TMPDIR")
            // Ended by the signal (before or after the handler was installed: 143 = 128 + SIGTERM),
            // or finished first with the uninterrupted status; never a crash.
            switch p.terminationReason {
            case .uncaughtSignal: XCTAssertEqual(p.terminationStatus, SIGTERM, "\(what): killed by signal \(p.terminationStatus)")
            case .exit: XCTAssert([128 + SIGTERM, whole.terminationStatus].contains(p.terminationStatus),
                                  "\(what): exit status \(p.terminationStatus), neither 143 nor \(whole.terminationStatus)")
            @unknown default: XCTFail(what)
            }
        }
    }

    /// A zipped bundle when TMPDIR is missing, or is a file: `ZIP.SCRATCH_UNWRITABLE` naming the
    /// folder and the system's reason (not a damaged zip), exit 2, and nothing created there.
    /// (A read-only folder is the same `mkdir` failure; the tests may run as root, who can write
    /// anywhere.) With a usable TMPDIR the unpacked bundle is in a folder of mode 0700.
    func testATemporaryFolderThatCannotHoldTheZipIsNamed() throws {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { return XCTFail("ecocredit is not built beside the tests") }
        let zip = Fixture.root + "/scratch-\(UUID().uuidString.prefix(6)).zip"
        try FindingCodeTests.zip(Fixture.sample("shanwei-beach"), to: zip)
        let missing = Fixture.root + "/no-such-tmp-\(UUID().uuidString.prefix(6))/deeper"
        let file = Fixture.root + "/tmp-is-a-file-\(UUID().uuidString.prefix(6))"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        for (tmp, reason) in [(missing, "No such file or directory"), (file, "Not a directory")] {
            let r = try run(["verify", zip, "--lang", "en"], environment: ["TMPDIR": tmp])
            XCTAssertEqual(r.status, 2, r.out)
            XCTAssertTrue(r.out.contains("ZIP.SCRATCH_UNWRITABLE"), r.out)
            XCTAssertTrue(r.out.contains("cannot unpack into the temporary folder \(tmp): \(reason)"), r.out)
            XCTAssertFalse(r.out.contains("ZIP.UNREADABLE"), r.out)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: (missing as NSString).deletingLastPathComponent), "no folder above the scratch folder is made")
        let zh = try run(["verify", zip], environment: ["TMPDIR": missing])
        XCTAssertTrue(zh.out.contains("无法在临时目录“\(missing)”中解压"), zh.out)

        let bundle = try SubmissionBundle.open(zip)
        defer { bundle.removeUnpacked() }
        let folder = try XCTUnwrap(bundle.scratchFolder)
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int)
        XCTAssertEqual(mode & 0o777, 0o700, "the unpacked bundle is the user's alone")
    }

    /// `ecocredit split` (SW Art. 28): a known split (1 000 fen sold in the city, government-funded:
    /// 70/20/10 to city, district, town), the same total given as metres × price, JSON that parses
    /// and sums; a total beside metres or a price, or neither, is a usage error (64) naming both
    /// ways, never one of the numbers silently unused.
    func testSplitTakesTheTotalOneWay() throws {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { return XCTFail("ecocredit is not built beside the tests") }
        let common = ["--sale", "in-city", "--district", "城区"]
        let byTotal = try run(["split", "--total-fen", "1000"] + common)
        XCTAssertEqual(byTotal.status, 0, byTotal.out)
        for line in ["city: 700 fen", "district: 200 fen", "town: 100 fen", "sum: 1000 fen"] { XCTAssertTrue(byTotal.out.contains(line), byTotal.out) }
        // 1.5 m at 300 000 yuan/m = 45 000 000 fen, split 70/20/10.
        let json = try run(["split", "--metres", "1.5", "--price-fen-per-metre", "30000000", "--json"] + common)
        XCTAssertEqual(json.status, 0, json.out)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        XCTAssertEqual(object["totalFen"] as? Int, 45_000_000)
        let parts = try XCTUnwrap(object["parts"] as? [String: Int])
        XCTAssertEqual(parts, ["city": 31_500_000, "district": 9_000_000, "town": 4_500_000])
        for both in [["--total-fen", "1000", "--metres", "1.5", "--price-fen-per-metre", "30000000"], ["--total-fen", "1000", "--metres", "1.5"],
                     ["--total-fen", "1000", "--price-fen-per-metre", "30000000"]] {
            let r = try run(["split"] + both + common)
            XCTAssertEqual(r.status, 64, "\(both): \(r.err)")
            XCTAssertTrue(r.err.contains("not both"), "\(both): \(r.err)")
        }
        for neither in [[String](), ["--metres", "1.5"], ["--price-fen-per-metre", "30000000"]] {
            let r = try run(["split"] + neither + common)
            XCTAssertEqual(r.status, 64, "\(neither): \(r.err)")
            XCTAssertTrue(r.err.contains("give --total-fen, or --metres with --price-fen-per-metre"), "\(neither): \(r.err)")
        }
        let share = try run(["split", "--total-fen", "1000", "--social-share", "0.1234567891"] + common)
        XCTAssertEqual(share.status, 64)
        XCTAssertTrue(share.err.contains("--social-share 0.1234567891 is not a decimal from 0 to 1 with at most 9 decimals"), share.err)
    }

    /// A refusal made after parsing (a value only the rulebook or the command itself can judge)
    /// is reported with the usage of the subcommand that refused, nested ones included, not the
    /// root's "ecocredit <subcommand>"; a negative number given as `--option -5` reaches the
    /// command's own check instead of "Missing value".
    func testRefusalsNameTheSubcommandThatRefused() throws {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { return XCTFail("ecocredit is not built beside the tests") }
        let sale = try run(["split", "--total-fen", "1000", "--sale", "abroad", "--district", "城区"])
        XCTAssertEqual(sale.status, 64, sale.err)
        XCTAssertTrue(sale.err.contains("Error: --sale must be inter-city or in-city"), sale.err)
        XCTAssertTrue(sale.err.contains("Usage: ecocredit split [--total-fen <total-fen>]"), sale.err)
        XCTAssertTrue(sale.err.contains("See 'ecocredit split --help'"), sale.err)
        XCTAssertFalse(sale.err.contains("<subcommand>"), sale.err)
        let ledger = Fixture.root + "/refusal-\(UUID().uuidString.prefix(6)).sqlite"
        let units = try run(["registry", "surrender", ledger, "JY-1", "--units", "abc", "--land-ref", "L-1", "--as", "coop:CON"])
        XCTAssertEqual(units.status, 64, units.err)
        XCTAssertTrue(units.err.contains("--units must be a positive number with at most 4 decimals"), units.err)
        XCTAssertTrue(units.err.contains("Usage: ecocredit registry surrender <ledger>"), units.err)
        XCTAssertTrue(units.err.contains("See 'ecocredit registry surrender --help'"), units.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: ledger), "a refused command made a ledger")
        let negative = try run(["split", "--total-fen", "-5", "--sale", "in-city", "--district", "城区"])
        XCTAssertEqual(negative.status, 2, negative.err)
        XCTAssertTrue(negative.err.contains("the total must not be negative"), negative.err)
        XCTAssertFalse(negative.err.contains("Missing value"), negative.err)
    }

    /// Reading commands on a path that is not a ledger: a mistyped path is `LEDGER.NOT_FOUND`
    /// (exit 2, and no empty register printed or file made), a file that is not a ledger
    /// `LEDGER.NOT_A_LEDGER` and left as it was, for writing commands too; never SQLite's words alone.
    func testLedgerPathsThatAreNotLedgers() throws {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { return XCTFail("ecocredit is not built beside the tests") }
        let typo = Fixture.root + "/typo-\(UUID().uuidString.prefix(6)).sqlite"
        for args in [["registry", "register", typo], ["indicators", "register", typo], ["ledger", "verify", typo], ["ledger", "export", typo]] {
            let r = try run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.out)")
            XCTAssertTrue(r.err.contains("[LEDGER.NOT_FOUND]"), "\(args): \(r.err)")
            XCTAssertEqual(r.out, "", "\(args): nothing printed as if it were an empty register")
            XCTAssertFalse(FileManager.default.fileExists(atPath: typo), "\(args) made a file")
        }
        let junk = Fixture.root + "/junk-\(UUID().uuidString.prefix(6)).sqlite"
        try Data("not a database at all".utf8).write(to: URL(fileURLWithPath: junk))
        for args in [["ledger", "verify", junk], ["registry", "register", junk],
                     ["registry", "loss-notice", junk, "JY-1", "--as", "coop:CON", "--date", "2025-10-20", "--media", "报纸"]] {
            let r = try run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.err)")
            XCTAssertTrue(r.err.contains("[LEDGER.NOT_A_LEDGER]") && r.err.contains("file is not a database"), "\(args): \(r.err)")
            XCTAssertFalse(r.err.contains("SQLite error"), "\(args): \(r.err)")
            XCTAssertEqual(try String(contentsOfFile: junk, encoding: .utf8), "not a database at all")
        }
        // An empty file (what `mktemp` makes) is not a ledger yet: readers refuse it and leave it empty.
        let empty = Fixture.root + "/empty-\(UUID().uuidString.prefix(6)).sqlite"
        FileManager.default.createFile(atPath: empty, contents: nil)
        for args in [["registry", "register", empty], ["indicators", "register", empty], ["ledger", "verify", empty]] {
            let r = try run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.err)")
            XCTAssertTrue(r.err.contains("[LEDGER.NOT_A_LEDGER]") && r.err.contains("an empty file"), "\(args): \(r.err)")
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: empty)).count, 0, "\(args) wrote to it")
        }
        // A writing command makes a ledger where none is, and says so (a mistyped path would
        // otherwise start a new ledger unseen); on the ledger it made, it says nothing more.
        let fresh = Fixture.root + "/fresh-\(UUID().uuidString.prefix(6)).sqlite"
        let notice = ["registry", "loss-notice", fresh, "JY-1", "--as", "coop:CON", "--date", "2025-10-20", "--media", "报纸"]
        let first = try run(notice)
        XCTAssertTrue(first.err.contains("[LEDGER.CREATED]") && first.err.contains("a new, empty jiangyin-eco-voucher ledger was made at \(fresh)"), first.err)
        XCTAssertTrue(first.err.contains("[REG.UNKNOWN_VOUCHER]"), first.err)
        let again = try run(notice)
        XCTAssertFalse(again.err.contains("LEDGER.CREATED"), again.err)
        XCTAssertFalse(try run(["registry", "register", fresh]).err.contains("LEDGER.CREATED"))
    }

    /// Every input in fuzz/corpus and fuzz/regressions goes through the readers without a crash.
    func testFuzzCorpusReplays() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let proj = try ProjContext()
        let scratch = Fixture.root + "/fuzz"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        var n = 0
        for sub in ["fuzz/corpus", "fuzz/regressions"] {
            let dir = repo.appendingPathComponent(sub).path
            for f in try FileManager.default.contentsOfDirectory(atPath: dir).sorted() {
                FuzzHarness.run([UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/" + f))), proj: proj, scratch: scratch)
                n += 1
            }
        }
        XCTAssertGreaterThan(n, 30)
    }
}

