import Crypto
import Foundation
import Hummingbird
import HTTPTypes
import Plumbing
import Registry

/// Bearer tokens for programs and people: 32 random bytes, base64url, shown once when made
/// (`ecocredit admin token create`) and stored only as their SHA-256, with the actor (id and
/// role) they act as and an expiry.
public struct TokenStore: Sendable {
    let store: any ServiceStore
    public init(_ store: any ServiceStore) { self.store = store }

    /// Makes a token for `actor`, valid for `days`; returns the token (not stored).
    public func create(for actor: Actor, days: Int) async throws -> String {
        let token = "eco_" + Self.randomToken()
        try await store.insertToken(sha256: Self.hash(token), actor: actor, validForMs: Int64(days) * 86_400_000)
        return token
    }

    /// The actor a token acts as; nil when unknown, expired or revoked.
    public func actor(for token: String) async throws -> Actor? { try await store.tokenActor(sha256: Self.hash(token)) }

    /// Revokes every token of `actorID`; returns how many.
    public func revoke(actorID: String) async throws -> Int { try await store.revokeTokens(actor: actorID) }

    /// 32 random bytes, base64url.
    static func randomToken() -> String {
        var g = SystemRandomNumberGenerator()
        let raw = (0..<32).map { _ in UInt8.random(in: 0...255, using: &g) }
        return Data(raw).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ token: String) -> String { hexadecimal(SHA256.hash(data: Data(token.utf8))) }
}

/// The request context: Hummingbird's core, and the actor the request authenticated as.
public struct ServiceContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Nil for an anonymous request.
    public var actor: Actor?
    /// The session's CSRF token when the request came with a session cookie (pages embed it).
    public var csrf: String?
    public init(source: Source) {
        coreContext = .init(source: source)
        actor = nil
        csrf = nil
    }
}

/// Who may call each operation, deny by default: an operation with no entry is refused to
/// everyone (ServiceTests enumerates every route × every role against this table). The registry
/// checks the actor again on every command, so no route can skip it.
public enum Policy {
    public enum Access: Sendable, Equatable {
        /// Anyone, without an account (the public register, health, the contract).
        case anyone
        /// Accounts with one of these roles.
        case roles(Set<Role>)
    }

    /// "METHOD /path/{param}" → access.
    public static let table: [String: Access] = [
        "GET /health": .anyone,
        "GET /openapi.yaml": .anyone,
        // Operations' numbers: for a scraper's bearer token (platform, auditor).
        "GET /metrics": .roles([.platform, .auditor]),
        "POST /v1/jobs": .roles([.holder, .officer]),
        "GET /v1/jobs/{id}": .roles(jobReaders),
        "DELETE /v1/jobs/{id}": .roles([.holder, .officer]),
        "GET /v1/jobs/{id}/report": .roles(jobReaders),
        "GET /v1/jobs/{id}/outputs/{name}": .roles(jobReaders),
        // The public register: anyone, personal data redacted.
        "GET /v1/register/summary": .anyone,
        "GET /v1/jy/vouchers": .anyone,
        "GET /v1/jy/vouchers/{number}": .anyone,
        "GET /v1/ledger/head": .anyone,
        "GET /v1/ledger/events": .anyone,
        // The pages and their files; the upload page sends anonymous visitors to sign in.
        "GET /": .anyone,
        "GET /register.csv": .anyone,
        "GET /register/vouchers/{number}": .anyone,
        "GET /register/lots/{lot}": .anyone,
        "GET /register/lots.csv": .anyone,
        "GET /login": .anyone,
        "GET /upload": .anyone,
        "GET /static/{file}": .anyone,
        "GET /favicon.ico": .anyone,
        "GET /desk": .anyone,
        "GET /trading": .anyone,
        "POST /v1/sessions": .anyone,
        "DELETE /v1/sessions": .roles(Set(Role.allCases)),
        // Registry commands: the registry decides which role may do what (and refuses the rest).
        "POST /v1/jy/commands": .roles([.officer, .approver, .holder, .platform, .pledgee]),
        "POST /v1/jy/issues": .roles([.officer]),
        // The Shanwei indicator registry: the library, auctions and ledger for anyone; commands by
        // the roles the registry admits (it refuses the rest again).
        "GET /v1/sw/lots": .anyone,
        "GET /v1/sw/lots/{lot}": .anyone,
        "GET /v1/sw/auctions": .anyone,
        "GET /v1/sw/ledger/head": .anyone,
        "GET /v1/sw/ledger/events": .anyone,
        "POST /v1/sw/lots": .roles([.officer]),
        "POST /v1/sw/commands": .roles([.officer, .approver, .holder, .platform]),
    ]

    /// Contractors see their own jobs; officers, approvers and auditors every job.
    static let jobReaders: Set<Role> = [.holder, .officer, .approver, .auditor]
    /// Roles that see every job, not only their own.
    static let seesAllJobs: Set<Role> = [.officer, .approver, .auditor]

    /// The table's key for a route: parameters written `{name}`.
    public static func key(method: String, path: String) -> String {
        method + " /" + path.split(separator: "/").map { $0.hasPrefix(":") ? "{" + $0.dropFirst() + "}" : String($0) }.joined(separator: "/")
    }
}

/// Authenticates — `Authorization: Bearer …` for programs, the session cookie for the pages —
/// and authorises every request against `Policy`. 401 AUTH.REQUIRED without a valid token or
/// session where one is needed, 403 AUTH.FORBIDDEN for a role the operation does not admit, 403
/// AUTH.CSRF for a state change from a session without its CSRF token; an operation missing
/// from the table is refused to all.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = ServiceContext
    let tokens: TokenStore
    let sessions: SessionStore

    static let cookieName = "eco_session"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer", let actor = try await tokens.actor(for: String(parts[1])) else {
                throw ServiceError.unauthenticated
            }
            context.actor = actor
        } else if let cookie = request.cookies[Self.cookieName]?.value, let (actor, csrf) = try await sessions.session(cookie) {
            context.actor = actor
            context.csrf = csrf
        }
        // No route matched: the router's 404, whoever asks.
        guard let endpoint = context.endpointPath else { return try await next(request, context) }
        let access = Policy.table[Policy.key(method: request.method.rawValue, path: endpoint)]
        // A change made as a session's actor must carry the session's CSRF token (SameSite=Strict
        // too); operations open to anyone (signing in) do not act as the session.
        if context.csrf != nil, access != .anyone, ![.get, .head].contains(request.method) {
            guard let sent = request.headers[HTTPField.Name("X-CSRF-Token")!], let csrf = context.csrf, SessionStore.same(sent, csrf) else {
                throw ServiceError.csrf
            }
        }
        switch access {
        case .anyone?:
            break
        case .roles(let roles)?:
            guard let actor = context.actor else { throw ServiceError.unauthenticated }
            guard roles.contains(actor.role) else { throw ServiceError.forbidden(role: actor.role.rawValue) }
        case nil:
            throw ServiceError.forbidden(role: context.actor?.role.rawValue ?? "anonymous")
        }
        return try await next(request, context)
    }
}
