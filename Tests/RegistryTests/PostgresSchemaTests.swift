import Foundation
import XCTest
import Logging
import Plumbing
import PostgresNIO
@testable import Registry
@testable import RegistryStore
@testable import RegistryPostgres

/// A PostgreSQL database or schema that holds another program's tables is refused before
/// anything is made in it (`LEDGER.NOT_A_LEDGER`), as a foreign SQLite file is; a schema of its
/// own in the same database is fine.
final class PostgresSchemaTests: XCTestCase {
    func fresh(_ admin: PostgresLocation, _ statements: [String]) async throws -> PostgresLocation {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await admin.execute(["CREATE DATABASE \(name)"])
        let here = admin.database(name)
        if !statements.isEmpty { try await here.execute(statements) }
        return here
    }

    /// The tables in `schema` of the database at `here`, in name order.
    func tableNames(_ here: PostgresLocation, schema: String) async throws -> [String] {
        let logger = Logger(label: "test")
        let c = try await PostgresSetup.connect(here, logger: logger)
        defer { Task { try? await c.close() } }
        return try await c.query("SELECT table_name::text FROM information_schema.tables WHERE table_schema = \(schema) ORDER BY 1", logger: logger)
            .collect().map { try $0.decode(String.self) }
    }

    func testAnotherProgramsDatabaseIsRefusedAndLeftAsItWas() async throws {
        guard let admin = BackEnd.postgres()?.admin else { return }
        let cases: [(setup: [String], says: String)] = [
            (["CREATE TABLE users(id int PRIMARY KEY, name text)", "INSERT INTO users VALUES (1, 'kept')"], "tables users"),
            // A Rails-style migrations table of the same name as ours.
            (["CREATE TABLE schema_migrations(version varchar PRIMARY KEY)", "INSERT INTO schema_migrations VALUES ('20240101000000')"],
             "schema_migrations versions 20240101000000"),
        ]
        for (setup, says) in cases {
            let here = try await fresh(admin, setup)
            let before = try await tableNames(here, schema: "public")
            do {
                let ledger = try await PostgresLedger<JiangyinVouchers>.open(here)
                await ledger.close()
                XCTFail("\(setup): a foreign database was taken as a ledger")
            } catch let e as LedgerFileError {
                XCTAssertEqual(e.code, "LEDGER.NOT_A_LEDGER")
                XCTAssertTrue(e.message.en.contains(says), e.message.en)
                XCTAssertTrue(e.message.en.contains("PostgreSQL database \(here.database), schema public"), e.message.en)
            }
            let after = try await tableNames(here, schema: "public")
            XCTAssertEqual(after, before, "\(setup): nothing made or removed")
            // A schema of its own in the same database is the ledger's to make.
            let own = try await PostgresLedger<ShanweiIndicators>.open(here.inSchema("sw"))
            await own.close()
            let made = try await tableNames(here, schema: "sw")
            XCTAssertTrue(made.contains("events") && made.contains("schema_migrations"), "\(made)")
        }
        // EcoCredit's own schema opens again (the service's version beside the ledger's is EcoCredit's too).
        let ours = try await fresh(admin, [])
        await (try await PostgresLedger<JiangyinVouchers>.open(ours)).close()
        try await ours.execute(["INSERT INTO schema_migrations VALUES ('service-v1')", "CREATE TABLE jobs(id text)"])
        await (try await PostgresLedger<JiangyinVouchers>.open(ours)).close()
    }
}
