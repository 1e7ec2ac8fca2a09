import Annex
import ArgumentParser
import Foundation
import Outputs
import Plumbing
import Rules
import Workflow

/// `ecocredit job BUNDLE -o DIR`: one job of the service, in a worker process of its own.
///
/// The service never opens an uploaded bundle itself: it starts this command, which first limits
/// its own address space and CPU time (`setrlimit`), then runs verify → measure → check → annex
/// and writes every output into DIR (atomically, indexed with SHA-256: `Outputs.write`). A
/// bundle that fails verification still gets DIR/verification.json with its findings. Progress
/// goes to standard output as lines `stage NAME [PERCENT]` (verify, measure, check, annex), and
/// a last line `done`; the exit status is the CLI's (`Exit`). A crash, a limit or a kill ends
/// only this process.
struct JobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job",
        abstract: "Run one service job on a bundle in this process, with limits (started by `ecocredit serve`).",
        shouldDisplay: false)

    @Argument(help: "Bundle folder or .zip.")
    var bundle: String
    @Option(name: .shortAndLong, help: "Output folder (created).")
    var output: String
    @Option(help: "Language of the annex: zh or en.")
    var lang: Language = .zh
    @Option(help: "Largest address space, MiB (RLIMIT_AS).")
    var maxMemoryMib: Int = 4096
    @Option(help: "Largest CPU time, seconds (RLIMIT_CPU).")
    var maxCpuSeconds: Int = 600
    @Option(help: "A bureau's rulebook file; repeat for several rules. The one for the bundle's rule applies, else the shipped one.")
    var rulebook: [String] = []
    @Option(help: "The serving process: when it dies (even by SIGKILL), this job ends at once.")
    var parentPid: Int32?
    @Flag(help: "Print the annex to annex.pdf as well (Chromium), when a browser is installed.")
    var pdf = false

    func run() throws {
        OwnLimits.apply(addressSpaceMiB: maxMemoryMib, cpuSeconds: maxCpuSeconds)
        if let parentPid { OrphanWatch.start(parent: parentPid) }
        let reporter = StageReporter()
        reporter.say("stage verify")
        // Fault injection for the multi-instance test (a job still running when its instance is
        // killed): ECOCREDIT_WORKER_HOLD_MS holds the worker that long after it started. Unset
        // outside that test; does nothing then.
        if let hold = ProcessInfo.processInfo.environment["ECOCREDIT_WORKER_HOLD_MS"].flatMap(UInt32.init) { usleep(min(hold, 60_000) * 1000) }
        let time = ISO8601DateFormatter().string(from: Date())
        // The bureau's rulebook for the bundle's rule: each file in turn (one whose rule is not the
        // bundle's is passed over), then the shipped one.
        let candidates: [String?] = rulebook.map { $0 } + [nil]
        var status = Exit.ok
        for (i, file) in candidates.enumerated() {
            do {
                status = try Pipeline.withBundle(bundle, options: .init(rulebookFile: file, layerGeoJSONAhead: true), through: .check, progress: { reporter.progress($0) }) { r in
                    // The annex is written only for a checked bundle; a bundle that failed
                    // verification ends at that stage, and its job says so.
                    if r.check != nil { reporter.say("stage annex") }
                    // The untrusted stages are over: the address-space limit is lifted for writing
                    // and for Chromium, which reserves far more address space than it uses (it
                    // cannot start under the limit). A PDF that fails leaves the results without it.
                    let printing = pdf && r.check != nil && PDFPrinter.browser() != nil
                    if printing { OwnLimits.liftAddressSpace() }
                    func write(pdf: Bool) throws {
                        try Outputs.write(r, to: output, annex: r.check == nil ? nil : .init(lang: lang.rawValue, generatedAt: time, command: "ecocredit serve (job)", pdf: pdf))
                    }
                    do { try write(pdf: printing) } catch let e as PDFPrinter.PrintError {
                        FileHandle.standardError.write(Data("annex.pdf not made: \(e.message.en)\n".utf8))
                        try write(pdf: false)
                    }
                    if r.check == nil { return Exit.unusable }
                    return r.measurement == nil ? Exit.failed : Exit.ok
                }
                break
            } catch RulesError.ruleMismatch(_, _) where i < candidates.count - 1 {
                continue
            } catch {
                throw reported(error, path: bundle, rulebook: file)
            }
        }
        reporter.say("done")
        if status != Exit.ok { throw ExitCode(status) }
    }
}

/// Progress lines on standard output, flushed at once; measuring at most once per percent.
final class StageReporter: @unchecked Sendable {
    private let lock = NSLock()
    private var lastPercent = -1
    func say(_ line: String) {
        lock.lock(); defer { lock.unlock() }
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
    func progress(_ p: Pipeline.Progress) {
        switch p {
        case .measuring(let done, let total):
            let pct = total > 0 ? done * 100 / total : 0
            lock.lock(); let fresh = pct != lastPercent; lastPercent = pct; lock.unlock()
            if fresh { say("stage measure \(pct)") }
        case .checking: say("stage check")
        case .reading, .verifying, .measured: break
        }
    }
}

/// Ends the worker when its serving process is gone (the parent changed: it died and the worker
/// was re-parented). Without it a worker orphaned by a killed instance would finish a job that
/// another instance is already running again after the lease ran out.
enum OrphanWatch {
    static func start(parent: Int32) {
        if getppid() != parent { _exit(137) }
        Thread.detachNewThread {
            while true {
                usleep(200_000)
                if getppid() != parent { _exit(137) }
            }
        }
    }
}

/// The worker's own limits, set before it reads anything (the service's `WorkerLimits` are what it is given).
enum OwnLimits {
    /// Nice 10; the address space as a soft limit (the hard one stays, so `liftAddressSpace` can
    /// undo it once the untrusted stages are over); CPU time and core dumps hard.
    static func apply(addressSpaceMiB: Int, cpuSeconds: Int) {
        // Below the server: a job (and the Chromium that prints its PDF) takes the CPU the
        // requests leave, so a queue of jobs does not slow the pages and the API.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        set(RLIMIT_AS, UInt64(max(64, addressSpaceMiB)) << 20, hard: false)
        set(RLIMIT_CPU, UInt64(max(1, cpuSeconds)))
        set(RLIMIT_CORE, 0)
    }
    /// The address-space soft limit back up to the hard one.
    static func liftAddressSpace() {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0 else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit)
    }
    private static func set(_ resource: __rlimit_resource, _ value: UInt64, hard: Bool = true) {
        var limit = rlimit()
        _ = getrlimit(__rlimit_resource_t(resource.rawValue), &limit)
        limit.rlim_cur = rlim_t(value)
        if hard { limit.rlim_max = rlim_t(value) }
        _ = setrlimit(__rlimit_resource_t(resource.rawValue), &limit)
    }
}
