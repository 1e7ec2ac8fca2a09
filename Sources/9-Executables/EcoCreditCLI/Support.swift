import ArgumentParser
import BundleMeasure
import Dispatch
import Foundation
import GeoCore
import Rules
import Submission
import Verify
import Outputs
import Workflow

/// The input every measuring command takes: one bundle and, optionally, a bureau's rulebook.
struct BundleOptions: ParsableArguments {
    @Argument(help: "Bundle folder or .zip.")
    var bundle: String
    @Option(help: "A rulebook JSON file to use instead of the shipped one.")
    var rulebook: String?
}

/// Exit statuses of every command (the README's table).
enum Exit {
    /// No error; a check that passed with official quantities.
    static let ok: Int32 = 0
    /// Verification found errors, or a criterion failed.
    static let failed: Int32 = 1
    /// The bundle cannot be used (not found, unreadable manifest, unsafe zip, no usable layer,
    /// a workload the parameters would blow up).
    static let unusable: Int32 = 2
    /// A check indeterminate, not assessed, or a pass whose quantities are for reference only.
    static let notOfficial: Int32 = 3
    /// The rulebook given with --rulebook cannot be read or decoded.
    static let rulebook: Int32 = 4
    /// The output folder cannot be written.
    static let output: Int32 = 5
    // 64: a usage error (ArgumentParser's, EX_USAGE).
}

/// Text for the terminal: control characters from file names, zip entry names or attribute
/// values are shown escaped (`\u{1B}`), never sent raw.
func emit(_ text: String, terminator: String = "\n") {
    print(TerminalText.safe(text), terminator: terminator)
}
func emitError(_ text: String) {
    FileHandle.standardError.write(Data((TerminalText.safe(text) + "\n").utf8))
}

/// A coded error on standard error, in both languages: "[CODE] 中文" then the English, with
/// where it happened (`context`: the bundle or rulebook path) when the message does not say.
func emitError(_ e: any CodedError, context: String? = nil) {
    let prefix = context.map { "\($0): " } ?? ""
    emitError("\(prefix)[\(e.code)] \(e.message.zh)\n    \(e.message.en)")
}

/// Runs a pipeline call and turns its errors into coded messages and exit statuses: no raw
/// system or decoding error reaches the user.
func runPipeline<T>(_ path: String, options: Pipeline.Options, through stage: Pipeline.Stage,
                    progress: (@Sendable (Pipeline.Progress) -> Void)? = nil, _ body: (Pipeline.Result) throws -> T) throws -> T {
    do {
        return try Pipeline.withBundle(path, options: options, through: stage, progress: progress, body)
    } catch {
        throw reported(error, path: path, rulebook: options.rulebookFile)
    }
}

/// A pipeline error as the user sees it: its coded message on standard error and the exit status
/// it ends with (errors of other kinds pass through unchanged).
func reported(_ error: any Error, path: String, rulebook: String?) -> any Error {
    switch error {
    case let e as RulesError: emitError(e, context: rulebook ?? path); return ExitCode(Exit.rulebook)
    case let e as OutputError: emitError(e); return ExitCode(Exit.output)
    case let e as WorkflowError: emitError(e); return ExitCode(Exit.unusable)
    case let e as GeoError: emitError(e, context: path); return ExitCode(Exit.unusable)
    default: return error
    }
}

/// SIGINT, SIGTERM and SIGHUP remove every scratch and staging folder, then end the process
/// with 128 + signal.
///
/// The end is `_exit`, not `exit`: `exit` from the handler's thread runs the process's
/// destructors while the main thread and the workers are still measuring, which crashed one
/// killed run in twenty (SIGSEGV). Nothing the process leaves needs them: outputs are built
/// in a staging folder (removed here) and the ledgers are SQLite or PostgreSQL transactions.
/// A normal exit that races a signal keeps its own status (`ScratchFolders.holdForExit`).
enum Signals {
    nonisolated(unsafe) static var sources: [DispatchSourceSignal] = []
    static func install() {
        atexit { ScratchFolders.shared.holdForExit() }
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler {
                ScratchFolders.shared.removeAllBeforeExit()
                _exit(128 + sig)
            }
            s.resume()
            sources.append(s)
        }
    }
}

/// A one-line progress bar on standard error, only when it is a terminal.
final class ProgressBar: @unchecked Sendable {
    let active = isatty(STDERR_FILENO) != 0
    var last = -1
    func update(_ p: Pipeline.Progress) {
        guard case let .measuring(done, total) = p, active, total > 5_000 else { return }
        let pct = total > 0 ? done * 100 / total : 100
        guard pct != last else { return }
        last = pct
        let bar = String(repeating: "█", count: pct / 4) + String(repeating: "░", count: 25 - pct / 4)
        FileHandle.standardError.write(Data("\rtransects \(bar) \(pct)% (\(done)/\(total))".utf8))
    }
    func finish() { if active && last >= 0 { FileHandle.standardError.write(Data("\n".utf8)) } }
}

/// `--timings`: the wall time of each stage and each output file, on standard error (where the
/// time of a whole `ecocredit measure` goes; `make bench` shows it). Each mark names what ended,
/// with the processor time all threads spent in it (user + system): twice the wall time on two
/// cores busy, equal to it for a stage that runs on one.
final class StageClock: @unchecked Sendable {
    let enabled: Bool
    private var last = DispatchTime.now().uptimeNanoseconds
    private var lastCPU = StageClock.processorSeconds()
    private var measuring = false
    private var rows: [(String, Double, Double)] = []
    init(enabled: Bool) { self.enabled = enabled }
    /// `what` just ended.
    func mark(_ what: String) {
        guard enabled else { return }
        let t = DispatchTime.now().uptimeNanoseconds, c = Self.processorSeconds()
        rows.append((what, Double(t - last) / 1e9, c - lastCPU)); last = t; lastCPU = c
    }
    /// User + system time of every thread of this process so far (s).
    private static func processorSeconds() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
    }
    func progress(_ p: Pipeline.Progress) {
        switch p {
        case .reading: mark("start-up")
        case .verifying: mark("read")
        case .measuring: if !measuring { measuring = true; mark("verify") }
        case .measured(let step): mark("measure: " + step)
        case .checking: mark("measure: the rest")
        }
    }
    func report() {
        guard enabled else { return }
        let total = rows.reduce(0) { $0 + $1.1 }, cpu = rows.reduce(0) { $0 + $1.2 }
        for (name, s, c) in rows { emitError("timing \(name): \(fixed(s * 1000, 1)) ms (processor \(fixed(c * 1000, 1)) ms)") }
        emitError("timing total: \(fixed(total * 1000, 1)) ms (processor \(fixed(cpu * 1000, 1)) ms)")
    }
}

extension CivilDate: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
