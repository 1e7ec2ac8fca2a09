import Crypto
import Foundation
import HummingbirdBcrypt
import Registry

/// People's accounts for the pages: a password hashed with bcrypt (HummingbirdBcrypt), made by
/// `ecocredit admin user-create`; a login opens a session kept in the service's database — so
/// every instance on the same database sees it — named by a random cookie value stored only as
/// its SHA-256, with its own CSRF token that every state change from a page must echo.
public struct SessionStore: Sendable {
    let store: any ServiceStore
    /// How long a session lasts, seconds.
    public let lifetime: Int64

    public init(_ store: any ServiceStore, lifetime: Int64 = 12 * 3600) {
        self.store = store
        self.lifetime = lifetime
    }

    /// Creates or replaces `actor`'s account with `password` (bcrypt, cost 12).
    public func setUser(_ actor: Actor, password: String) async throws {
        try await store.upsertUser(actor, passwordHash: Bcrypt.hash(password, cost: 12))
    }

    /// A session for `actor` if `password` is theirs: (cookie value, CSRF token). An unknown
    /// account costs the same bcrypt work as a wrong password (no account enumeration by timing).
    public func login(actor id: String, password: String) async throws -> (session: String, csrf: String, actor: Actor)? {
        guard let user = try await store.user(id), let role = Role(rawValue: user.role) else {
            _ = Bcrypt.verify(password, hash: Self.decoy)
            return nil
        }
        guard Bcrypt.verify(password, hash: user.passwordHash) else { return nil }
        let session = Self.randomToken(), csrf = Self.randomToken()
        try await store.insertSession(sha256: TokenStore.hash(session), actor: Actor(id, role), csrf: csrf, validForMs: lifetime * 1000)
        return (session, csrf, Actor(id, role))
    }

    /// The actor and CSRF token of a live session.
    public func session(_ cookie: String) async throws -> (actor: Actor, csrf: String)? {
        try await store.session(sha256: TokenStore.hash(cookie))
    }

    public func logout(_ cookie: String) async throws {
        try await store.deleteSession(sha256: TokenStore.hash(cookie))
    }

    /// 32 random bytes, base64url.
    static func randomToken() -> String { TokenStore.randomToken() }

    /// A bcrypt hash of nothing anyone knows, verified against for unknown accounts.
    static let decoy = Bcrypt.hash(randomToken(), cost: 12)

    /// Equal strings, compared in time independent of where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
