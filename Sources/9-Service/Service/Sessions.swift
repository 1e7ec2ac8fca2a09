import Crypto
import Foundation
import GRDB
import HummingbirdBcrypt
import Registry

/// People's accounts for the pages: a password hashed with bcrypt (HummingbirdBcrypt), made by
/// `ecocredit admin user-create`; a login opens a session kept in the service's database — so
/// every instance on the same database sees it — named by a random cookie value stored only as
/// its SHA-256, with its own CSRF token that every state change from a page must echo.
public struct SessionStore: Sendable {
    let db: DatabasePool
    /// How long a session lasts, seconds.
    public let lifetime: Int64

    public init(_ database: ServiceDatabase, lifetime: Int64 = 12 * 3600) {
        db = database.db
        self.lifetime = lifetime
    }

    /// Creates or replaces `actor`'s account with `password` (bcrypt, cost 12).
    public func setUser(_ actor: Actor, password: String) throws {
        let hash = Bcrypt.hash(password, cost: 12)
        try db.write { db in
            try db.execute(sql: """
                INSERT INTO users(actor, role, password_hash, created_at_ms) VALUES (?, ?, ?, ?)
                ON CONFLICT(actor) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash
                """, arguments: [actor.id, actor.role.rawValue, hash, JobStore.now()])
        }
    }

    /// A session for `actor` if `password` is theirs: (cookie value, CSRF token). An unknown
    /// account costs the same bcrypt work as a wrong password (no account enumeration by timing).
    public func login(actor id: String, password: String) throws -> (session: String, csrf: String, actor: Actor)? {
        let row = try db.read { try Row.fetchOne($0, sql: "SELECT role, password_hash FROM users WHERE actor = ?", arguments: [id]) }
        guard let row, let role = Role(rawValue: row["role"]) else {
            _ = Bcrypt.verify(password, hash: Self.decoy)
            return nil
        }
        guard Bcrypt.verify(password, hash: row["password_hash"]) else { return nil }
        let session = Self.randomToken(), csrf = Self.randomToken()
        let t = JobStore.now()
        try db.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE expires_at_ms < ?", arguments: [t])
            try db.execute(sql: "INSERT INTO sessions(sha256, actor, role, csrf, created_at_ms, expires_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [TokenStore.hash(session), id, role.rawValue, csrf, t, t + lifetime * 1000])
        }
        return (session, csrf, Actor(id, role))
    }

    /// The actor and CSRF token of a live session.
    public func session(_ cookie: String) throws -> (actor: Actor, csrf: String)? {
        let now = JobStore.now()
        return try db.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT actor, role, csrf FROM sessions WHERE sha256 = ? AND expires_at_ms > ?",
                                             arguments: [TokenStore.hash(cookie), now]),
                  let role = Role(rawValue: row["role"]) else { return nil }
            return (Actor(row["actor"], role), row["csrf"])
        }
    }

    public func logout(_ cookie: String) throws {
        try db.write { try $0.execute(sql: "DELETE FROM sessions WHERE sha256 = ?", arguments: [TokenStore.hash(cookie)]) }
    }

    /// 32 random bytes, base64url.
    static func randomToken() -> String {
        var g = SystemRandomNumberGenerator()
        let raw = (0..<32).map { _ in UInt8.random(in: 0...255, using: &g) }
        return Data(raw).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// A bcrypt hash of nothing anyone knows, verified against for unknown accounts.
    static let decoy = Bcrypt.hash(randomToken(), cost: 12)

    /// Equal strings, compared in time independent of where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
