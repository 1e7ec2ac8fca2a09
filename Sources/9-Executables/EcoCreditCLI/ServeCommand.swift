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
import Metrics
import Prometheus
import Registry
import RegistryPostgres
import Service

/// `--postgres URL`, shared by `serve` and `admin`: PostgreSQL instead of the data folder's SQLite.
struct StorageOptions: ParsableArguments {
    @Option(help: "A PostgreSQL URL (postgres://user[:password]@host[:port]/database): the job queue, accounts, sessions and the registry there, for several instances. Default: SQLite in --data.")
    var postgres: String?

    func storage() throws -> ServiceStorage {
        guard let postgres else { return .sqlite }
        guard let location = PostgresLocation(url: postgres) else {
            throw ValidationError("--postgres must be postgres://user[:password]@host[:port]/database")
        }
        return .postgres(location)
    }
}

/// `ecocredit serve`: the HTTP service (Hummingbird 2) over a data folder.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the pre-acceptance API: upload a zipped bundle, follow its job, fetch its results.",
        discussion: """
        Listens on --host (default 127.0.0.1) and --port. Keeps uploaded bundles and each job's outputs in --data, and \
        its job queue, accounts, sessions and the Jiangyin registry there in SQLite, or with --postgres in one PostgreSQL \
        database that several instances share (give them one --data folder: a shared file system). Each job runs in an `ecocredit job` worker process with limits on wall time, \
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
    @Option(help: "Seconds a job is held without a heartbeat before another worker may take it.") var leaseSeconds: Double = 30
    @Flag(inversion: .prefixedNo, help: "Print each job's annex to annex.pdf as well (Chromium, when installed).") var annexPdf = true
    @OptionGroup var storage: StorageOptions

    func run() async throws {
        var logger = Logger(label: "ecocredit.serve")
        logger.logLevel = .info
        var config = ServiceConfiguration(
            host: host, port: port, dataFolder: data, workerExecutable: ServeCommand.ownExecutable(),
            maxBundleBytes: maxBundleMib << 20,
            limits: .init(wallSeconds: jobSeconds, cpuSeconds: Int(jobSeconds * 2), memoryMiB: jobMemoryMib), workers: workers,
            rulebookFiles: rulebook)
        config.secureCookies = secureCookies
        config.storage = try storage.storage()
        guard leaseSeconds >= 1 else { throw ValidationError("--lease-seconds must be at least 1") }
        config.leaseSeconds = leaseSeconds
        config.annexPDF = annexPdf
        // Hummingbird's request metrics go to the registry GET /metrics shows.
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: config.metrics))
        try await runService(config, logger: logger)
    }

    /// This executable's path (/proc/self/exe): the workers are the same binary.
    static func ownExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
#endif

#if canImport(Service)
/// `ecocredit admin token-create | token-revoke | user-create`: the service's accounts, on its data folder.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Manage the service's access tokens and people's accounts.",
        subcommands: [TokenCreate.self, TokenRevoke.self, UserCreate.self])

    /// The data folder and the account a command is about.
    struct AccountOptions: ParsableArguments {
        @Option(help: "The service's data folder.") var data = "ecocredit-data"
        @Option(help: "The actor's id (an account name).") var actor: String
        @Option(help: "The role: OFF, CHK, CON, OPS, BANK, AUD.") var role: String
        @OptionGroup var storage: StorageOptions

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

    }

    struct TokenCreate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token-create",
            abstract: "Make a bearer token for an actor and role; prints it once (only its SHA-256 is stored).")
        @OptionGroup var account: AccountOptions
        @Option(help: "Days the token is valid.") var days = 90
        func run() async throws {
            let actor = try account.validated(), days = days
            emit(try await withServiceStore(try account.storage.storage(), dataFolder: account.data) { try await TokenStore($0).create(for: actor, days: days) })
        }
    }

    struct UserCreate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "user-create",
            abstract: "Create or reset a person's account for the pages; the password is read from standard input (bcrypt-hashed).")
        @OptionGroup var account: AccountOptions
        func run() async throws {
            let actor = try account.validated()
            guard let password = readLine(strippingNewline: true), password.count >= 12 else {
                throw ValidationError("the password (standard input, one line) must have at least 12 characters")
            }
            try await withServiceStore(try account.storage.storage(), dataFolder: account.data) { try await SessionStore($0).setUser(actor, password: password) }
            emit("account \(actor.id) (\(actor.role.rawValue)) set")
        }
    }

    struct TokenRevoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "token-revoke", abstract: "Revoke every token of an actor.")
        @Option(help: "The service's data folder.") var data = "ecocredit-data"
        @Option(help: "The actor's id.") var actor: String
        @OptionGroup var storage: StorageOptions
        func run() async throws {
            let actor = actor
            let n = try await withServiceStore(try storage.storage(), dataFolder: data) { try await TokenStore($0).revoke(actorID: actor) }
            emit("revoked \(n) token(s) of \(actor)")
        }
    }
}
#endif
