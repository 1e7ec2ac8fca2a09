import ArgumentParser
import Foundation
import GeoCore
import Verify

extension Language: ExpressibleByArgument {}

/// `ecocredit verify BUNDLE…`: every check of the verify stage, every problem reported.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that a submission's vector data is sound before anything is measured.",
        discussion: """
        BUNDLE is a folder or a .zip of one. Exit status: 0 no errors, 1 findings of error severity, \
        2 input that cannot be used (no such bundle, unreadable manifest, unsafe zip, no usable layer). \
        With several bundles the highest status wins.
        """)

    @Argument(help: "Bundle folders or .zip files.")
    var bundles: [String]

    @Flag(help: "Print the report as JSON (both languages, stable codes) instead of text.")
    var json = false

    @Option(help: "Language of the text report: zh or en.")
    var lang: Language = .zh

    @Option(help: "A rulebook JSON file to use instead of the shipped one (tolerances, vocabularies).")
    var rulebook: String?

    func run() throws {
        var status: Int32 = 0
        for path in bundles {
            let report = Verifier.verify(path, options: .init(rulebookFile: rulebook))
            print(json ? report.json() : report.text(lang), terminator: json ? "\n" : "")
            status = max(status, report.exitStatus)
        }
        if status != 0 { throw ExitCode(status) }
    }
}
