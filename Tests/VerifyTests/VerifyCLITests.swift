import Foundation
import XCTest
import FuzzHarness
import GeoCore
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

    func run(_ args: [String]) throws -> (status: Int32, out: String) {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
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
        XCTAssertTrue(en.out.contains("the file cannot be read"), en.out)

        let missing = try run(["verify", Fixture.root + "/nope"])
        XCTAssertEqual(missing.status, 2)
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
