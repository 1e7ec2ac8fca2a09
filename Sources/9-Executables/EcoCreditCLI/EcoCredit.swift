import ArgumentParser
import Foundation
import GeoCore
import Plumbing
import Rules
import Submission
import Workflow

@main
struct EcoCredit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ecocredit",
        abstract: "Geospatial validation of ecological-restoration credits (Shanwei coastline indicators, Jiangyin eco-vouchers).",
        version: "\(EcoCreditVersion.string) (GEOS \(GEOSContext.version), PROJ \(ProjContext.version))",
        subcommands: [VerifyCommand.self, MeasureCommand.self, CheckCommand.self, SplitCommand.self, AnnexCommand.self, Summary.self,
                      RegistryCommand.self, IndicatorsCommand.self, LedgerCommand.self, JobCommand.self] + ServeCommands.all)

    /// Signals remove scratch folders before exiting (`Signals`); `serve` leaves them to its
    /// service group, which shuts down gracefully.
    static func main() async {
        if CommandLine.arguments.dropFirst().first != "serve" { Signals.install() }
        keepFreedMemory()
        RuleLibrary.decodeShippedAhead()
        // ArgumentParser's own `main` reports a `ValidationError` thrown from a subcommand's
        // `run()` with the root's usage ("ecocredit <subcommand>"); the checks that need a
        // rulebook or a file (a `--sale` its rulebook does not know, a price it forbids) can
        // only run there, so the subcommand that refused is named here, as a parse error is.
        let command: ParsableCommand
        do { command = try await asyncParseAsRoot(nil) } catch { exit(withError: error) }
        do {
            if var async = command as? AsyncParsableCommand { try await async.run() } else { var c = command; try c.run() }
        } catch let refusal as ValidationError {
            let sub = type(of: command)
            emitError("Error: \(refusal.message)\nUsage: \(usageString(for: sub))\n  See '\(commandPath(of: sub)) --help' for more information.")
            exit(withError: ExitCode.validationFailure)
        } catch let coded as CodedError {
            // A coded error no command caught itself (the service's storage refused at start-up:
            // a PostgreSQL database holding another program's tables): in both languages, with
            // its code, as the commands report theirs — not ArgumentParser's English line.
            emitError(coded)
            exit(withError: ExitCode(Exit.unusable))
        } catch {
            exit(withError: error)
        }
    }

    /// "ecocredit registry issue": the names from the root to `sub`.
    static func commandPath(of sub: ParsableCommand.Type) -> String {
        func path(_ node: ParsableCommand.Type) -> [String]? {
            if node == sub { return [node._commandName] }
            for child in node.configuration.subcommands { if let p = path(child) { return [node._commandName] + p } }
            return nil
        }
        return (path(self) ?? [configuration.commandName ?? "ecocredit", sub._commandName]).joined(separator: " ")
    }

    /// A run builds its outputs in buffers of megabytes, one after another. glibc gives each
    /// buffer over 128 KiB fresh pages from `mmap` and returns them on `free`, so every output
    /// file paid again for page faults and zeroing (10 % of a 1 000 km `measure`). Buffers up to
    /// 32 MiB (glibc's largest `M_MMAP_THRESHOLD`) now come from the heap, and freed memory is
    /// kept for the next one. The peak resident size is what bench/whole.py measures (190–198 MiB
    /// at 1000 km with this and the lon/lat copy of every layer; 168 MiB before).
    /// (`mallopt` is found at run time: Swift's Glibc module does not export `<malloc.h>`.)
    static func keepFreedMemory() {
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let sym = dlsym(nil, "mallopt") else { return }
        let mallopt = unsafeBitCast(sym, to: Mallopt.self)
        _ = mallopt(-3 /* M_MMAP_THRESHOLD */, 32 << 20)
        _ = mallopt(-1 /* M_TRIM_THRESHOLD */, 1 << 30)
    }
}

struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Load every layer of each bundle and print, per layer: features, geometry type, source and working CRS, planar and geodesic length or area, and the attribute encoding.")

    @Argument(help: "Bundle folders (each with a submission.json, or layers whose names tell their roles).")
    var bundles: [String]

    func run() throws {
        var status: Int32 = 0
        for path in bundles {
            do {
                try runPipeline(path, options: .init(), through: .verify) { r in
                    guard let bundle = r.bundle, let set = r.set, !r.verificationFailed else {
                        emit(r.verification.text(.en), terminator: "")
                        emitError("\(path): not summarised: verification found errors")
                        status = max(status, r.verification.unusable ? Exit.unusable : Exit.failed)
                        return
                    }
                    emit(SummaryText.render(bundle: bundle, set: set, rows: try LayerSummary.summarize(set, geos: r.geos, proj: r.proj)))
                }
            } catch let e as ExitCode { status = max(status, e.rawValue) }
        }
        if status != 0 { throw ExitCode(status) }
    }
}

enum SummaryText {
    static func render(bundle: SubmissionBundle, set: LayerSet, rows: [LayerSummary]) -> String {
        var out = "== \(bundle.root)"
        if let m = bundle.manifest { out += "  [\(m.projectId ?? "?")] \(m.rule ?? "?") / \(m.kind ?? "?")" }
        out += "\n   working CRS \(set.workingCRS): \(set.workingCRSReason)\n"
        for g in bundle.roleGuesses { out += "   role guessed: \(g)\n" }
        for r in rows {
            out += "   - \(r.role): \(r.name), \(r.features) features, \(r.geometryType), source \(r.sourceCRS), encoding \(r.encoding)\n"
            if let m = r.measure {
                let unit = m == "area" ? "m²" : "m"
                out += "       \(m) planar \(fixed(r.planar)) \(unit) (in \(r.workingCRS)), geodesic \(fixed(r.geodesic)) \(unit) (CGCS2000 ellipsoid), difference \(signedFixed(r.relativeDifference * 100, 4))%"
                if m == "area" { out += ", \(fixed(r.planar / (10000.0 / 15.0), 4)) mu" }
                out += "\n"
            }
            for n in r.notes { out += "       note: \(n)\n" }
        }
        return out
    }
}
