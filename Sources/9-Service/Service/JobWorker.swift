import Foundation
import Logging
import Plumbing
import ServiceLifecycle

/// Limits on one job's worker process.
public struct WorkerLimits: Sendable {
    /// Wall time before the worker is killed (SIGKILL): JOB.TIMEOUT.
    public var wallSeconds: Double
    /// CPU time the worker gives itself (RLIMIT_CPU): JOB.CPU_LIMIT when it runs out.
    public var cpuSeconds: Int
    /// Address space the worker gives itself (RLIMIT_AS), MiB.
    public var memoryMiB: Int
    public init(wallSeconds: Double = 600, cpuSeconds: Int = 900, memoryMiB: Int = 4096) {
        self.wallSeconds = wallSeconds; self.cpuSeconds = cpuSeconds; self.memoryMiB = memoryMiB
    }
}

/// Runs queued jobs, one at a time per instance (measuring already uses every core), each in
/// an `ecocredit job` process of its own: a bundle that crashes it, exhausts its memory or CPU,
/// or is killed, fails that job with a code and nothing else. A service of the application's
/// service group: it stops claiming at graceful shutdown and lets the running job finish.
public struct JobWorker: Service {
    let store: JobStore
    let blobs: BlobFolder
    let outputs: String
    let executable: String
    let limits: WorkerLimits
    let rulebookFiles: [String]
    /// Whether jobs print their annex to PDF too (Chromium, when installed).
    let annexPDF: Bool
    let owner: String
    let lease: TimeInterval
    let poll: Duration
    let logger: Logger

    public init(store: JobStore, blobs: BlobFolder, outputs: String, executable: String, limits: WorkerLimits, rulebookFiles: [String] = [],
                annexPDF: Bool = true, owner: String = "worker-" + UUID().uuidString, lease: TimeInterval = 30, poll: Duration = .milliseconds(250), logger: Logger) {
        self.store = store; self.blobs = blobs; self.outputs = outputs; self.executable = executable
        self.limits = limits; self.rulebookFiles = rulebookFiles.map { URL(fileURLWithPath: $0).path }; self.annexPDF = annexPDF; self.owner = owner; self.lease = lease; self.poll = poll; self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if let job = try await store.claim(owner: owner, lease: lease) {
                    await runJob(job)
                    continue
                }
            } catch {
                logger.error("job queue: \(error)")
            }
            try? await Task.sleep(for: poll)
        }
    }

    /// The folder of a job's outputs.
    public static func outputFolder(_ outputs: String, job: String) -> String { outputs + "/" + job }

    func runJob(_ job: Job) async {
        let run = WorkerRun(worker: self, job: job, bundle: blobs.file(sha256: job.bundleSHA256) ?? "",
                            output: Self.outputFolder(outputs, job: job.id))
        let ending = await withCheckedContinuation { (c: CheckedContinuation<WorkerRun.Ending, Never>) in
            Thread.detachNewThread { c.resume(returning: run.execute()) }
        }
        do {
            _ = try await store.finish(job.id, owner: owner, state: ending.state, exitStatus: ending.exitStatus, error: ending.error)
        } catch {
            logger.error("job \(job.id): could not record its end: \(error)")
        }
        logger.info("job \(job.id): \(ending.state.rawValue) \(ending.error?.code ?? "")")
    }
}

/// One worker process, watched from a thread of its own.
struct WorkerRun: Sendable {
    struct Ending: Sendable {
        var state: Job.State
        var exitStatus: Int?
        var error: JobFailure?
    }
    /// The worker's configuration: store, owner, lease, limits, rulebooks, executable.
    let worker: JobWorker
    let job: Job
    let bundle: String
    let output: String
    var store: JobStore { worker.store }
    var owner: String { worker.owner }
    var lease: TimeInterval { worker.lease }
    var limits: WorkerLimits { worker.limits }

    func execute() -> Ending {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: worker.executable)
        // Run in the blob folder with the blob's own name, so that the reports name the bundle
        // by its SHA-256 and show nothing of the server's folders.
        process.currentDirectoryURL = URL(fileURLWithPath: (bundle as NSString).deletingLastPathComponent)
        // --parent-pid: the worker ends itself when this process dies (killed -9 too), so a job whose
        // instance died is not finished by an orphan while another instance runs it again.
        process.arguments = ["job", (bundle as NSString).lastPathComponent, "-o", output, "--lang", job.lang,
                             "--parent-pid", String(getpid()),
                             "--max-memory-mib", String(limits.memoryMiB), "--max-cpu-seconds", String(limits.cpuSeconds)]
            + (worker.annexPDF ? ["--pdf"] : [])
            + worker.rulebookFiles.flatMap { ["--rulebook", $0] }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            return Ending(state: .failed, error: JobFailure("JOB.WORKER_START", "无法启动处理进程", "the worker could not be started: \(error)"))
        }
        let pid = process.processIdentifier
        let watch = Watch()
        // Progress lines renew the lease; a lost lease (cancelled, or taken over) kills the worker.
        let reader = Thread {
            var pending = Data()
            while true {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let nl = pending.firstIndex(of: 0x0A) {
                    let line = String(decoding: pending[pending.startIndex..<nl], as: UTF8.self)
                    pending = Data(pending[(nl + 1)...])
                    let words = line.split(separator: " ")
                    guard words.first == "stage", words.count >= 2 else { continue }
                    let percent = words.count >= 3 ? Int(words[2]) : (words[1] == "verify" ? 0 : nil)
                    let stage = String(words[1])
                    if (try? blocking { try await store.progress(job.id, owner: owner, stage: stage, percent: percent, lease: lease) }) == false {
                        watch.mark(.lostLease); kill(pid, SIGKILL)
                    }
                }
            }
        }
        reader.start()
        let stderrTail = Tail()
        let errReader = Thread {
            while true {
                let chunk = err.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                stderrTail.append(chunk)
            }
        }
        errReader.start()
        // Heartbeat and wall clock: renew the lease (a third of it at most apart) even when the worker says nothing.
        let started = Date(), beat = min(2, lease / 3)
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + beat, repeating: beat)
        timer.setEventHandler {
            if Date().timeIntervalSince(started) > limits.wallSeconds { watch.mark(.timeout); kill(pid, SIGKILL); return }
            if (try? blocking { try await store.progress(job.id, owner: owner, stage: nil, percent: nil, lease: lease) }) == false { watch.mark(.lostLease); kill(pid, SIGKILL) }
        }
        timer.resume()
        process.waitUntilExit()
        timer.cancel()
        while reader.isExecuting || errReader.isExecuting { usleep(1000) }
        let detail = String(decoding: stderrTail.bytes.suffix(2000), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)

        switch (process.terminationReason, watch.reason) {
        case (_, .lostLease?):
            return Ending(state: .cancelled, error: JobFailure("JOB.CANCELLED", "作业已取消或已由其他实例接手", "the job was cancelled or taken over by another instance"))
        case (_, .timeout?):
            return Ending(state: .failed, error: JobFailure("JOB.TIMEOUT", "处理超过 \(Int(limits.wallSeconds)) 秒，已终止", "the worker ran over \(Int(limits.wallSeconds)) s and was stopped"))
        case (.uncaughtSignal, nil):
            let sig = process.terminationStatus
            if sig == SIGXCPU {
                return Ending(state: .failed, error: JobFailure("JOB.CPU_LIMIT", "处理超过 \(limits.cpuSeconds) 秒 CPU 时间，已终止", "the worker used over \(limits.cpuSeconds) s of CPU and was stopped"))
            }
            return Ending(state: .failed, error: JobFailure("JOB.WORKER_CRASHED", "处理进程异常退出（信号 \(sig)），可能超出 \(limits.memoryMiB) MiB 内存上限",
                                                  "the worker ended on signal \(sig) (a crash, a kill, or over its \(limits.memoryMiB) MiB memory limit): \(detail)"))
        case (.exit, nil):
            let status = Int(process.terminationStatus)
            switch status {
            case 0, 1, 3:
                // Results exist (verification found errors, or a criterion failed: status 1 — the findings are the result).
                return Ending(state: .done, exitStatus: status)
            case 2:
                let code = Self.firstErrorCode(in: output) ?? "BUNDLE.UNUSABLE"
                return Ending(state: .failed, exitStatus: status,
                              error: JobFailure(code, "数据包无法使用；发现项见 verification.json", "the bundle cannot be used; the findings are in verification.json"))
            default:
                return Ending(state: .failed, exitStatus: status,
                              error: JobFailure("JOB.WORKER_FAILED", "处理进程以状态 \(status) 结束", "the worker ended with status \(status): \(detail)"))
            }
        @unknown default:
            return Ending(state: .failed, error: JobFailure("JOB.WORKER_CRASHED", "处理进程异常退出", "the worker ended abnormally: \(detail)"))
        }
    }

    /// The first error finding's code in the job's verification.json.
    static func firstErrorCode(in output: String) -> String? {
        guard let data = FileManager.default.contents(atPath: output + "/verification.json"),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let findings = json["findings"] as? [[String: Any]] else { return nil }
        return findings.first { ($0["severity"] as? String) == "error" }?["code"] as? String
    }
}

/// Why the watcher killed the worker (set once, read after it exited).
final class Watch: @unchecked Sendable {
    enum Reason { case timeout, lostLease }
    private let lock = NSLock()
    private var _reason: Reason?
    var reason: Reason? { lock.lock(); defer { lock.unlock() }; return _reason }
    func mark(_ r: Reason) { lock.lock(); if _reason == nil { _reason = r }; lock.unlock() }
}

/// The last few KiB a worker wrote to standard error (for the job's error detail).
final class Tail: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ chunk: Data) {
        lock.lock(); defer { lock.unlock() }
        data.append(chunk)
        if data.count > 8192 { data = Data(data.suffix(4096)) }
    }
    var bytes: Data { lock.lock(); defer { lock.unlock() }; return data }
}
