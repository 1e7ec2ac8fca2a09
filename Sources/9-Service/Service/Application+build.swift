import Foundation
import Hummingbird
import Logging
import Plumbing
import PostgresNIO
import Prometheus
import Registry
import RegistryPostgres
import RegistryStore
import Rules

/// Where the service keeps its rows and the registry's ledger.
public enum ServiceStorage: Sendable, Equatable {
    /// One instance: `service.sqlite` and `registry-jy.sqlite` in the data folder.
    case sqlite
    /// Several instances on one PostgreSQL database (the service's tables and the Jiangyin
    /// ledger's), sharing the data folder for uploaded bundles and job outputs.
    case postgres(PostgresLocation)
}

/// What `ecocredit serve` is started with.
public struct ServiceConfiguration: Sendable {
    /// Address to listen on; loopback by default (put a TLS terminator in front to serve beyond it).
    public var host: String
    public var port: Int
    /// The service's folder: `service.sqlite` (the job queue), `blobs/` (uploaded bundles),
    /// `jobs/<id>/` (each job's outputs).
    public var dataFolder: String
    /// The `ecocredit` executable that runs each job (`ecocredit job`).
    public var workerExecutable: String
    /// Largest upload, bytes (registry-design §5 `maxBundleBytes`).
    public var maxBundleBytes: Int
    public var limits: WorkerLimits
    /// Job workers in this process (0: accept and queue only).
    public var workers: Int
    /// Sessions cookies only over HTTPS (behind a TLS terminator); off for plain loopback.
    public var secureCookies: Bool = false
    /// The bureaux' rulebook files in force (none: the shipped ones). Jobs check under the one
    /// for their bundle's rule; the voucher registry trades under the Jiangyin one.
    public var rulebookFiles: [String]
    /// SQLite in the data folder (the default) or PostgreSQL.
    public var storage: ServiceStorage = .sqlite
    /// How long a claimed job is held without a heartbeat before another worker may take it, seconds.
    public var leaseSeconds: Double = 30
    /// Where GET /metrics reads from; `ecocredit serve` also makes it swift-metrics' backend (the
    /// HTTP request metrics of Hummingbird's MetricsMiddleware land here).
    public var metrics = PrometheusCollectorRegistry()
    /// Jobs print their annex to annex.pdf too (Chromium, when installed; a job without a browser
    /// has annex.html only).
    public var annexPDF = true

    public init(host: String = "127.0.0.1", port: Int = 8080, dataFolder: String, workerExecutable: String,
                maxBundleBytes: Int = 256 << 20, limits: WorkerLimits = .init(), workers: Int = 1, rulebookFiles: [String] = []) {
        self.rulebookFiles = rulebookFiles
        self.host = host; self.port = port; self.dataFolder = dataFolder; self.workerExecutable = workerExecutable
        self.maxBundleBytes = maxBundleBytes; self.limits = limits; self.workers = workers
    }
}

/// The service's parts that routes use.
public struct ServiceState: Sendable {
    public let store: any ServiceStore
    public let jobs: JobStore
    public let tokens: TokenStore
    public let sessions: SessionStore
    let pages: Pages
    /// The Jiangyin eco-voucher registry and the trading rules in force.
    public let vouchers: any LedgerStore<JiangyinVouchers>
    public let voucherRules: VoucherTradingRules
    /// The Shanwei coastline-indicator registry and its trading rules.
    public let indicators: any LedgerStore<ShanweiIndicators>
    public let indicatorRules: IndicatorTradingRules
    public let blobs: BlobFolder
    public let outputs: String
    public let maxBundleBytes: Int
    /// GET /metrics: this registry's metrics, and the job and ledger gauges set at each scrape.
    public var metrics = PrometheusCollectorRegistry()

    /// The service on SQLite in `dataFolder` (`service.sqlite`, `registry-jy.sqlite`).
    public init(dataFolder given: String, maxBundleBytes: Int, rulebookFiles: [String] = [], secureCookies: Bool = false) throws {
        let dataFolder = Self.absolute(given)
        try FileManager.default.createDirectory(atPath: dataFolder, withIntermediateDirectories: true)
        try self.init(dataFolder: dataFolder, store: try SQLiteServiceStore(path: dataFolder + "/service.sqlite"),
                      vouchers: try SQLiteLedger<JiangyinVouchers>(path: dataFolder + "/registry-jy.sqlite"),
                      indicators: try SQLiteLedger<ShanweiIndicators>(path: dataFolder + "/registry-sw.sqlite"),
                      maxBundleBytes: maxBundleBytes, rulebookFiles: rulebookFiles, secureCookies: secureCookies)
    }

    /// The service over a store and a ledger (SQLite or PostgreSQL), with files in `dataFolder`.
    public init(dataFolder given: String, store: any ServiceStore, vouchers: any LedgerStore<JiangyinVouchers>,
                indicators: any LedgerStore<ShanweiIndicators>, maxBundleBytes: Int, rulebookFiles: [String] = [], secureCookies: Bool = false) throws {
        // Absolute: the workers run in the blob folder and write to the job folders by path.
        let dataFolder = Self.absolute(given)
        try FileManager.default.createDirectory(atPath: dataFolder + "/jobs", withIntermediateDirectories: true)
        self.store = store
        jobs = JobStore(store)
        tokens = TokenStore(store)
        sessions = SessionStore(store)
        self.vouchers = vouchers
        let books = try rulebookFiles.map(RuleLibrary.rulebook(file:))
        voucherRules = try VoucherTradingRules(try books.first { $0.id == .jiangyinEcoVoucher } ?? RuleLibrary.rulebook(for: .jiangyinEcoVoucher))
        self.indicators = indicators
        indicatorRules = try IndicatorTradingRules(try books.first { $0.id == .shanweiCoastline } ?? RuleLibrary.rulebook(for: .shanweiCoastline))
        blobs = try BlobFolder(path: dataFolder + "/blobs")
        outputs = dataFolder + "/jobs"
        pages = try Pages(vouchers: vouchers, indicators: indicators, jobs: jobs, outputs: outputs, sessions: sessions, secureCookies: secureCookies)
        self.maxBundleBytes = maxBundleBytes
    }

    static func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
}

/// The application over a state: the router, and the job workers as services of its service
/// group (graceful shutdown on SIGTERM and SIGINT when run by `runService`).
public func buildApplication(_ config: ServiceConfiguration, state given: ServiceState, logger: Logger = Logger(label: "ecocredit")) -> some ApplicationProtocol {
    var state = given
    state.metrics = config.metrics
    let router = buildRouter(state)
    let workers = (0..<config.workers).map { _ in
        JobWorker(store: state.jobs, blobs: state.blobs, outputs: state.outputs, executable: config.workerExecutable,
                  limits: config.limits, rulebookFiles: config.rulebookFiles, annexPDF: config.annexPDF, lease: config.leaseSeconds, logger: logger)
    }
    return Application(router: router,
                       configuration: .init(address: .hostname(config.host, port: config.port), serverName: "ecocredit"),
                       services: workers,
                       logger: logger)
}

/// The application on SQLite in the configuration's data folder (one instance; the tests).
public func buildApplication(_ config: ServiceConfiguration, logger: Logger = Logger(label: "ecocredit")) throws -> some ApplicationProtocol {
    let state = try ServiceState(dataFolder: config.dataFolder, maxBundleBytes: config.maxBundleBytes, rulebookFiles: config.rulebookFiles, secureCookies: config.secureCookies)
    return buildApplication(config, state: state, logger: logger)
}

/// Runs the service until SIGTERM or SIGINT. On PostgreSQL, the connection pool runs around the
/// application (started first, stopped after the last request and job), the schema is brought up
/// to date (safe when several instances start at once), and the ledger opened.
public func runService(_ config: ServiceConfiguration, logger: Logger) async throws {
    switch config.storage {
    case .sqlite:
        try await buildApplication(config, logger: logger).runService()
    case .postgres(let location):
        let client = PostgresServiceStore.client(location, connections: 16)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            let store = PostgresServiceStore(client: client, logger: logger)
            try await store.migrate()
            let vouchers = try await PostgresLedger<JiangyinVouchers>.open(location, readers: client)
            // The Shanwei ledger in schema sw of the same database, with a small pool of its own for reads.
            let swLocation = location.inSchema("sw")
            let swReaders = PostgresServiceStore.client(swLocation, connections: 4)
            group.addTask { await swReaders.run() }
            let indicatorLedger = try await PostgresLedger<ShanweiIndicators>.open(swLocation, readers: swReaders)
            let state = try ServiceState(dataFolder: config.dataFolder, store: store, vouchers: vouchers, indicators: indicatorLedger,
                                         maxBundleBytes: config.maxBundleBytes,
                                         rulebookFiles: config.rulebookFiles, secureCookies: config.secureCookies)
            try await buildApplication(config, state: state, logger: logger).runService()
            await vouchers.close()
            await indicatorLedger.close()
            group.cancelAll()
        }
    }
}

/// Runs `body` with the service's store on `storage` (the `admin` commands).
public func withServiceStore<T: Sendable>(_ storage: ServiceStorage, dataFolder: String,
                                         _ body: @Sendable (any ServiceStore) async throws -> T) async throws -> T {
    switch storage {
    case .sqlite:
        try FileManager.default.createDirectory(atPath: dataFolder, withIntermediateDirectories: true)
        return try await body(try SQLiteServiceStore(path: dataFolder + "/service.sqlite"))
    case .postgres(let location):
        let client = PostgresServiceStore.client(location, connections: 1)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { await client.run(); return nil }
            defer { group.cancelAll() }
            let store = PostgresServiceStore(client: client, logger: Logger(label: "ecocredit.admin"))
            try await store.migrate()
            return try await body(store)
        }
    }
}
