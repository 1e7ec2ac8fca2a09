import Foundation
import Hummingbird
import Logging
import Plumbing
import Registry
import RegistryStore
import Rules

/// What `ecocredit serve` is started with.
public struct ServiceConfiguration: Sendable {
    /// Address to listen on; loopback by default (the service has no accounts yet: see the README).
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

    public init(host: String = "127.0.0.1", port: Int = 8080, dataFolder: String, workerExecutable: String,
                maxBundleBytes: Int = 256 << 20, limits: WorkerLimits = .init(), workers: Int = 1, rulebookFiles: [String] = []) {
        self.rulebookFiles = rulebookFiles
        self.host = host; self.port = port; self.dataFolder = dataFolder; self.workerExecutable = workerExecutable
        self.maxBundleBytes = maxBundleBytes; self.limits = limits; self.workers = workers
    }
}

/// The service's parts that routes use.
public struct ServiceState: Sendable {
    public let database: ServiceDatabase
    public let jobs: JobStore
    public let tokens: TokenStore
    public let sessions: SessionStore
    let pages: Pages
    /// The Jiangyin eco-voucher registry (`registry-jy.sqlite`) and the trading rules in force.
    public let vouchers: SQLiteLedger<JiangyinVouchers>
    public let voucherRules: VoucherTradingRules
    public let blobs: BlobFolder
    public let outputs: String
    public let maxBundleBytes: Int

    public init(dataFolder given: String, maxBundleBytes: Int, rulebookFiles: [String] = [], secureCookies: Bool = false) throws {
        // Absolute: the workers run in the blob folder and write to the job folders by path.
        let dataFolder = URL(fileURLWithPath: given).standardizedFileURL.path
        try FileManager.default.createDirectory(atPath: dataFolder + "/jobs", withIntermediateDirectories: true)
        database = try ServiceDatabase(path: dataFolder + "/service.sqlite")
        jobs = JobStore(database)
        tokens = TokenStore(database)
        vouchers = try SQLiteLedger<JiangyinVouchers>(path: dataFolder + "/registry-jy.sqlite")
        let books = try rulebookFiles.map(RuleLibrary.rulebook(file:))
        sessions = SessionStore(database)
        voucherRules = try VoucherTradingRules(try books.first { $0.id == .jiangyinEcoVoucher } ?? RuleLibrary.rulebook(for: .jiangyinEcoVoucher))
        blobs = try BlobFolder(path: dataFolder + "/blobs")
        outputs = dataFolder + "/jobs"
        pages = try Pages(vouchers: vouchers, jobs: jobs, outputs: outputs, sessions: sessions, secureCookies: secureCookies)
        self.maxBundleBytes = maxBundleBytes
    }
}

/// The application: the router over the service's state, and the job workers as services of its
/// service group (graceful shutdown on SIGTERM and SIGINT when run by `runService`).
public func buildApplication(_ config: ServiceConfiguration, logger: Logger = Logger(label: "ecocredit")) throws -> some ApplicationProtocol {
    let state = try ServiceState(dataFolder: config.dataFolder, maxBundleBytes: config.maxBundleBytes, rulebookFiles: config.rulebookFiles, secureCookies: config.secureCookies)
    let router = buildRouter(state)
    let workers = (0..<config.workers).map { _ in
        JobWorker(store: state.jobs, blobs: state.blobs, outputs: state.outputs, executable: config.workerExecutable,
                  limits: config.limits, rulebookFiles: config.rulebookFiles, logger: logger)
    }
    return Application(router: router,
                       configuration: .init(address: .hostname(config.host, port: config.port), serverName: "ecocredit"),
                       services: workers,
                       logger: logger)
}
