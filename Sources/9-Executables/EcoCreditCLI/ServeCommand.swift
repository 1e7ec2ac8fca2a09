import ArgumentParser
import Foundation

/// The service's subcommands, when the service is built (not under ECOCREDIT_CORE_ONLY: the
/// sanitizer and fuzz builds leave it out).
enum ServeCommands {
    #if canImport(Service)
    static let all: [any ParsableCommand.Type] = [ServeCommand.self]
    #else
    static let all: [any ParsableCommand.Type] = []
    #endif
}

#if canImport(Service)
import Logging
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

    func run() async throws {
        var logger = Logger(label: "ecocredit.serve")
        logger.logLevel = .info
        let config = ServiceConfiguration(
            host: host, port: port, dataFolder: data, workerExecutable: ServeCommand.ownExecutable(),
            maxBundleBytes: maxBundleMib << 20,
            limits: .init(wallSeconds: jobSeconds, cpuSeconds: Int(jobSeconds * 2), memoryMiB: jobMemoryMib), workers: workers)
        let app = try buildApplication(config, logger: logger)
        try await app.runService()
    }

    /// This executable's path (/proc/self/exe): the workers are the same binary.
    static func ownExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
#endif
