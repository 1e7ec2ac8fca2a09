import ArgumentParser
import BundleMeasure
import Check
import Registry
import Foundation
import GeoCore
import Plumbing
import Rules
import Submission
import Verify
import Workflow

/// `ecocredit check BUNDLE`: verdict per criterion, overall verdict, shortfalls and quantities.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a submission against its rulebook: a verdict per criterion with its article, shortfalls, and the metres or vouchers it makes.",
        discussion: """
        Verifies and measures the bundle (as `ecocredit measure`) and applies the rulebook's criteria. Verdicts: pass, fail, \
        indeterminate (the threshold lies within the measurement's uncertainty), not-assessed (input missing or failed \
        verification). A quantity is issuable only when the data verified without error, every criterion passed, the \
        rulebook is in force on the check date and nothing is an example or a what-if; otherwise the reasons are printed. \
        Exit status: 0 pass (official), 1 fail, 2 input unusable, 3 indeterminate, not assessed or for reference only, \
        4 rulebook unreadable.
        """)

    @OptionGroup var input: BundleOptions
    @Option(help: "Check date YYYY-MM-DD (default: the manifest's checkDate, else today in China time).")
    var date: CivilDate?
    @Flag(help: "Print JSON instead of text.")
    var json = false
    @Option(help: "Language of the text report: zh or en.")
    var lang: Language = .zh

    func run() throws {
        try runPipeline(input.bundle, options: .init(rulebookFile: input.rulebook, checkDate: date), through: .check) { r in
            guard let report = r.check else {
                emit(json ? r.verification.json() : r.verification.text(lang), terminator: "")
                throw ExitCode(Exit.unusable)
            }
            if r.measurement == nil && !json { emit(r.verification.text(lang), terminator: "") }
            emit(json ? report.json() : report.text(lang == .zh ? .zh : .en), terminator: "")
            if r.verification.unusable { throw ExitCode(Exit.unusable) }
            if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
        }
    }
}

extension SplitCommand {
    /// "500.34" → 50034 (at most two decimals).
    static func centimetres(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int64(parts[0]), parts.count == 1 || parts[1].count <= 2,
              let frac = parts.count == 2 ? Int64(parts[1].padding(toLength: 2, withPad: "0", startingAt: 0)) : 0 else { return nil }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: 100)
        guard !overflow, whole >= 0, frac >= 0 else { return nil }
        return scaled + frac
    }
}

/// `ecocredit split`: SW Art. 28 revenue split in integer fen.
struct SplitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split",
        abstract: "Split indicator-sale proceeds by SW Art. 28 in integer fen (parts always sum to the total).")

    @Option(parsing: .unconditional, help: "Total proceeds in fen (1 yuan = 100 fen); or give --metres and --price-fen-per-metre.")
    var totalFen: Int64?
    @Option(parsing: .unconditional, help: "Indicator metres sold (to the centimetre), with --price-fen-per-metre.")
    var metres: String?
    @Option(parsing: .unconditional, help: "Price in fen per metre; checked against SW Art. 27's bounds (200 000–500 000 yuan/m).")
    var priceFenPerMetre: Int64?
    @Option(help: "inter-city or in-city.")
    var sale: String
    @Option(parsing: .unconditional, help: "Social-capital share of the funding, a decimal 0–1 (0 government-funded, 1 social-capital-funded).")
    var socialShare: String = "0"
    @Option(help: "District (陆丰市, 海丰县, 城区, 红海湾经济开发区) or its type: county or district.")
    var district: String
    @Option(help: "A rulebook JSON file to use instead of the shipped one.")
    var rulebook: String?
    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        do { try split() }
        catch let e as RulesError { emitError(e, context: rulebook ?? "shanwei-coastline"); throw ExitCode(Exit.rulebook) }
        catch let e as MoneyError { emitError(e); throw ExitCode(Exit.unusable) }
    }

    func split() throws {
        let book = try rulebook.map(RuleLibrary.rulebook(file:)) ?? RuleLibrary.rulebook("shanwei-coastline")
        guard let revenue = book.revenue else { throw ValidationError("rulebook \(book.citation) has no revenue shares") }
        guard let kind = RevenueSplit.Sale(rawValue: sale) else { throw ValidationError("--sale must be inter-city or in-city") }
        guard let share = RevenueSplit.Share(socialShare) else {
            throw ValidationError("--social-share \(socialShare) is not a decimal from 0 to 1 with at most 9 decimals")
        }
        let type = revenue.districts[district] ?? district
        // One way to give the total: a total beside metres or a price would leave one of them
        // unused, and which number was split would be a guess.
        let total: Int64
        switch (totalFen, metres, priceFenPerMetre) {
        case let (totalFen?, nil, nil):
            total = totalFen
        case let (nil, metres?, price?):
            guard let bounds = book.priceBounds else { throw ValidationError("rulebook \(book.citation) has no price bounds (SW Art. 27): give --total-fen") }
            guard let cm = Self.centimetres(metres) else { throw ValidationError("--metres \(metres) is not a length in metres with at most two decimals") }
            total = try RevenueSplit.price(centimetres: cm, fenPerMetre: price, bounds: bounds)
        case (_?, _, _):
            throw ValidationError("give either --total-fen, or --metres with --price-fen-per-metre, not both")
        default:
            throw ValidationError("give --total-fen, or --metres with --price-fen-per-metre")
        }
        let split = try RevenueSplit(totalFen: total, sale: kind, socialShare: share, districtType: type, revenue: revenue)
        if json {
            let parts = split.parts.map { "\(JSONText.string($0.party)): \($0.fen)" }.joined(separator: ", ")
            print("{\"totalFen\": \(split.total), \"parts\": {\(parts)}, \"rulebook\": \(JSONText.string(book.citation)), \"article\": \(JSONText.string(revenue.article))}")
        } else {
            print("SW Art. 28 split of \(RevenueSplit.yuan(split.total)) yuan (\(split.total) fen), rulebook \(book.citation):")
            for p in split.parts { print("  \(p.party): \(p.fen) fen = \(RevenueSplit.yuan(p.fen)) yuan") }
            for s in split.steps { print("  · \(s)") }
            if totalFen == nil { print("  · total = \(metres ?? "") m × \(priceFenPerMetre ?? 0) fen/m, rounded down to the fen (SW Art. 27)") }
            print("  sum: \(split.parts.reduce(0) { $0 + $1.fen }) fen")
        }
    }
}
