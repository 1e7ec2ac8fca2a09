import Foundation
import XCTest
import GeoCore
import SampleData
@testable import Outputs

/// Files written as `OrderedPieces`, streamed to the writing thread as the pieces are made (in
/// any order, on every core): the file is the pieces in order, index.json holds its digest, a
/// piece that fails fails the output and leaves the previous one in place; the early flushes
/// (`EarlyFlush`) change nothing in what is written.
final class StreamedOutputTests: XCTestCase {
    /// Seeded pieces of very different sizes (empty, a few bytes, over 1 MiB), 24 MiB in all so
    /// that several early flushes run while pieces are still being made.
    func testStreamedPiecesAreTheFileInOrderWithItsDigest() throws {
        var g = SeededGenerator.forTest("testStreamedPiecesAreTheFileInOrderWithItsDigest")
        var sizes: [Int] = []
        var total = 0
        while total < 24 << 20 {
            let s = [0, Int(g.next() % 16), Int(g.next() % 70_000), 262_144 + Int(g.next() % 1_500_000)][Int(g.next() % 4)]
            sizes.append(s); total += s
        }
        let seeds = sizes.map { _ in g.next() }
        let sizesNow = sizes
        /// Piece i: its own bytes from its own seed, made slowly for odd i so that pieces finish out of order.
        let pieces = OrderedPieces(count: sizes.count) { i in
            var r = SeededGenerator(seed: seeds[i])
            if i % 2 == 1 { usleep(200) }
            let words = (0..<(sizesNow[i] + 7) / 8).map { _ in r.next() }
            return words.withUnsafeBytes { Array($0.prefix(sizesNow[i])) }
        }
        let expected = Data(try pieces.collect().joined())
        XCTAssertEqual(expected.count, total)

        let dir = Fixture.root + "/streamed-\(UUID().uuidString.prefix(6))"
        var out = try OutputFolder(dir)
        try out.write("big.bin", pieces)
        try out.commit(names: ["big.bin"])
        let written = try Data(contentsOf: URL(fileURLWithPath: dir + "/big.bin"))
        XCTAssertEqual(written.count, expected.count)
        XCTAssertTrue(written == expected, "the file is the pieces in order")
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/index.json"))) as! [String: Any]
        let entry = (index["files"] as! [[String: Any]]).first { $0["name"] as? String == "big.bin" }!
        XCTAssertEqual(entry["bytes"] as? Int, total)
        XCTAssertEqual(entry["sha256"] as? String, SHA256Hex.of(expected))
    }

    /// Pieces that throw: `write` and `commit` throw the first one's error in the file's order
    /// (whichever fails first in time), the output is discarded, the previous output stays
    /// whole under the target's name, and no staging folder is left.
    func testAFailingPieceLeavesThePreviousOutput() throws {
        struct PieceFailed: Error, Equatable { let i: Int }
        let dir = Fixture.root + "/streamed-fail-\(UUID().uuidString.prefix(6))"
        var first = try OutputFolder(dir)
        try first.write("a.txt", .made([Array("previous\n".utf8)]))
        try first.commit(names: ["a.txt"])

        var out = try OutputFolder(dir)
        let pieces = OrderedPieces(count: 64) { i in
            if i == 37 || i == 51 { throw PieceFailed(i: i) }
            return Array(repeating: UInt8(ascii: "x"), count: 300_000)
        }
        XCTAssertThrowsError(try out.write("a.txt", pieces)) { XCTAssertEqual($0 as? PieceFailed, PieceFailed(i: 37)) }
        XCTAssertThrowsError(try out.commit(names: ["a.txt"])) { XCTAssertEqual($0 as? PieceFailed, PieceFailed(i: 37)) }
        out.discard()
        XCTAssertEqual(try String(contentsOfFile: dir + "/a.txt", encoding: .utf8), "previous\n")
        let parent = (dir as NSString).deletingLastPathComponent
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent).filter { $0.contains(".ecocredit-") }, [], "no staging folder left")
    }

    /// `OrderedPieces.runs`: boundaries from 0 to the total, increasing, no run longer than
    /// asked, runs within one item of each other; `framed` puts head and tail around the body.
    func testRunsCoverEveryItemOnce() throws {
        var g = SeededGenerator.forTest("testRunsCoverEveryItemOnce")
        for _ in 0..<2000 {
            let total = Int(g.next() % 300_000), per = 1 + Int(g.next() % 9000)
            let b = OrderedPieces.runs(total, perRun: per)
            XCTAssertEqual(b.first, 0); XCTAssertEqual(b.last, total)
            let lengths = zip(b, b.dropFirst()).map { $1 - $0 }
            XCTAssertTrue(lengths.allSatisfy { $0 <= per }, "total \(total) per \(per)")
            XCTAssertLessThanOrEqual((lengths.max() ?? 0) - (lengths.min() ?? 0), 1, "total \(total) per \(per)")
            XCTAssertEqual(lengths.count, max(1, (total + per - 1) / per))
        }
        let framed = OrderedPieces.framed(head: [1], .made([[2], [], [3, 4]]), tail: [5])
        XCTAssertEqual(try framed.collect(), [[1], [2], [], [3, 4], [5]])
    }
}
