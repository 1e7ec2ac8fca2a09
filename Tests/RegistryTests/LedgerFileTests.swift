import Foundation
import XCTest
import GRDB
@testable import Registry
@testable import RegistryStore

/// What may be opened as a SQLite ledger: a ledger, or nothing (an empty file) to make one. Any
/// other file — another program's SQLite database, bytes that are not SQLite, a folder — is
/// refused with `LEDGER.NOT_A_LEDGER` and left byte for byte as it was; a reading command's
/// mistyped path is `LEDGER.NOT_FOUND` and creates nothing.
final class LedgerFileTests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ledger-files-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    func testAnotherSQLiteDatabaseIsRefusedAndLeftUnchanged() throws {
        let path = folder + "/accounts.db"
        let other = try DatabaseQueue(path: path)
        try other.write { try $0.execute(sql: "CREATE TABLE accounts(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO accounts(name) VALUES ('甲')") }
        try other.close()
        let before = try bytes(path)
        XCTAssertThrowsError(try SQLiteLedger<JiangyinVouchers>(path: path)) { e in
            XCTAssertEqual(e as? LedgerFileError, .notALedger(path: path, detail: "an SQLite database without a ledger's tables"))
            XCTAssertEqual((e as? LedgerFileError)?.code, "LEDGER.NOT_A_LEDGER")
        }
        XCTAssertEqual(try bytes(path), before, "no ledger tables added to another program's database")
    }

    func testBytesThatAreNotSQLiteAndAFolderAreRefused() throws {
        let junk = folder + "/notes.sqlite"
        try Data("these are not the ledger you are looking for".utf8).write(to: URL(fileURLWithPath: junk))
        let before = try bytes(junk)
        XCTAssertThrowsError(try SQLiteLedger<ShanweiIndicators>(path: junk)) { e in
            guard case let .notALedger(p, detail)? = e as? LedgerFileError else { return XCTFail("\(e)") }
            XCTAssertEqual(p, junk)
            XCTAssertTrue(detail.contains("not a database"), detail)
        }
        XCTAssertEqual(try bytes(junk), before)
        XCTAssertThrowsError(try SQLiteLedger<ShanweiIndicators>(path: folder)) { e in
            XCTAssertEqual(e as? LedgerFileError, .notALedger(path: folder, detail: "a folder"))
        }
    }

    func testAMissingLedgerIsNotFoundForReadersAndMadeForWriters() throws {
        let path = folder + "/typo.sqlite"
        XCTAssertThrowsError(try SQLiteLedger<JiangyinVouchers>(existing: path)) { e in
            XCTAssertEqual(e as? LedgerFileError, .notFound(path: path))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "a reader creates nothing")
        XCTAssertThrowsError(try LedgerFiles.domain(at: path)) { XCTAssertEqual($0 as? LedgerFileError, .notFound(path: path)) }

        // A writer makes the ledger, in nothing or in an empty file; then it is a ledger of its registry.
        _ = try SQLiteLedger<JiangyinVouchers>(path: path)
        XCTAssertEqual(try LedgerFiles.domain(at: path), JiangyinVouchers.name)
        let empty = folder + "/empty.sqlite"
        FileManager.default.createFile(atPath: empty, contents: nil)
        XCTAssertNil(try LedgerFiles.domain(at: empty), "an empty file is a ledger not yet made")
        XCTAssertThrowsError(try SQLiteLedger<ShanweiIndicators>(existing: empty)) { e in
            XCTAssertEqual(e as? LedgerFileError, .notALedger(path: empty, detail: "an empty file"))
        }
        XCTAssertEqual(try bytes(empty).count, 0, "a reader leaves an empty file empty")
        _ = try SQLiteLedger<ShanweiIndicators>(path: empty)
        XCTAssertEqual(try LedgerFiles.domain(at: empty), ShanweiIndicators.name)
        _ = try SQLiteLedger<ShanweiIndicators>(existing: empty)
        XCTAssertThrowsError(try SQLiteLedger<JiangyinVouchers>(existing: empty)) { e in
            XCTAssertEqual(e as? LedgerFinding, .domain(expected: JiangyinVouchers.name, found: ShanweiIndicators.name))
        }
    }
}
