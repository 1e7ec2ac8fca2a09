import ArgumentParser
import Foundation

/// The service's subcommands, when the service is built (not under ECOCREDIT_CORE_ONLY: the
/// sanitizer and fuzz builds leave it out).
enum ServeCommands {
    #if canImport(Service)
    static let all: [any ParsableCommand.Type] = [ServeCommand.self, AdminCommand.self]
    #else
    static let all: [any ParsableCommand.Type] = []
    #endif
}

#if canImport(Service)
import Logging
import Registry
import Service

/// `ecocredit serve`: the HTTP service (Hummingbird 2) over a data folder.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the pre-acceptance API: upload a zipped bundle, follow its job, fetch its results.",
        discussion: """
        Listens on --host (default 127.0.0.1: the service has no accounts yet) and --port. Keeps its job queue, uploaded \
        bundles and each job's outputs in --data. Each job runs in an `ecocredit job` worker process with limits on wall time, \
        CPU and memory. SIGTERM or SIGINT stops taking work and shuts down gracefully. /openapi.yaml describes every route.
        """)

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: "The service's data folder (created).") var data = "ecocredit-data"
    @Option(help: "Largest upload, MiB.") var maxBundleMib = 256
    @Option(help: "Wall-time limit per job, seconds.") var jobSeconds: Double = 600
    @Option(help: "Memory limit per job worker, MiB.") var jobMemoryMib = 4096
    @Option(help: "Job workers in this process (0: queue only).") var workers = 1
    @Option(help: "A bureau's rulebook file in force (repeat for each rule; default: the shipped ones).") var rulebook: [String] = []
    @Flag(help: "Mark session cookies Secure (when served over HTTPS behind a TLS terminator).") var secureCookies = false

    func run() async throws {
        var logger = Logger(label: "ecocredit.serve")
        logger.logLevel = .info
        var config = ServiceConfiguration(
            host: host, port: port, dataFolder: data, workerExecutable: ServeCommand.ownExecutable(),
            maxBundleBytes: maxBundleMib << 20,
            limits: .init(wallSeconds: jobSeconds, cpuSeconds: Int(jobSeconds * 2), memoryMiB: jobMemoryMib), workers: workers,
            rulebookFiles: rulebook)
        config.secureCookies = secureCookies
        let app = try buildApplication(config, logger: logger)
        try await app.runService()
    }

    /// This executable's path (/proc/self/exe): the workers are the same binary.
    static func ownExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
#endif

#if canImport(Service)
/// `ecocredit admin token-create | token-revoke | user-create`: the service's accounts, on its data folder.
struct AdminCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Manage the service's access tokens and people's accounts.",
        subcommands: [TokenCreate.self, TokenRevoke.self, UserCreate.self])

    /// The data folder and the account a command is about.
    struct AccountOptions: ParsableArguments {
        @Option(help: "The service's data folder.") var data = "ecocredit-data"
        @Option(help: "The actor's id (an account name).") var actor: String
        @Option(help: "The role: OFF, CHK, CON, OPS, BANK, AUD.") var role: String

        /// The actor, checked: a known role that people and programs may hold, a short id.
        func validated() throws -> Actor {
            guard let r = Role(rawValue: role), r != .system, r != .public else {
                throw ValidationError("--role must be one of OFF, CHK, CON, OPS, BANK, AUD")
            }
            guard !actor.isEmpty, actor.utf8.count <= 64, !actor.contains(where: { $0.isWhitespace || $0 == ":" }) else {
                throw ValidationError("--actor must be 1–64 characters without spaces or colons")
            }
            return Actor(actor, r)
        }

        /// The service database, created with its folder when absent.
        func database() throws -> ServiceDatabase {
            try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
            return try ServiceDatabase(path: data + "/service.sqlite")
        }
    }

    struct TokenCreate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token-create",
            abstract: "Make a bearer token for an actor and role; prints it once (only its SHA-256 is stored).")
        @OptionGroup var account: AccountOptions
        @Option(help: "Days the token is valid.") var days = 90
        func run() throws {
            let actor = try account.validated()
            emit(try TokenStore(try account.database()).create(for: actor, days: days))
        }
    }

    struct UserCreate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "user-create",
            abstract: "Create or reset a person's account for the pages; the password is read from standard input (bcrypt-hashed).")
        @OptionGroup var account: AccountOptions
        func run() throws {
            let actor = try account.validated()
            guard let password = readLine(strippingNewline: true), password.count >= 12 else {
                throw ValidationError("the password (standard input, one line) must have at least 12 characters")
            }
            try SessionStore(try account.database()).setUser(actor, password: password)
            emit("account \(actor.id) (\(actor.role.rawValue)) set")
        }
    }

    struct TokenRevoke: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "token-revoke", abstract: "Revoke every token of an actor.")
        @Option(help: "The service's data folder.") var data = "ecocredit-data"
        @Option(help: "The actor's id.") var actor: String
        func run() throws {
            let n = try TokenStore(try ServiceDatabase(path: data + "/service.sqlite")).revoke(actorID: actor)
            emit("revoked \(n) token(s) of \(actor)")
        }
    }
}
#endif
