import Foundation
import GeoCore

/// The result of verifying one bundle: the layers found, the working CRS and every finding,
/// with the exit status the CLI returns (0 no errors, 1 errors, 2 unusable input).
public struct VerificationReport: Sendable {
    public struct LayerInfo: Sendable, Equatable, Codable {
        public var role: String
        public var file: String
        public var features: Int
        public var crs: String?
        public var encoding: String?
        /// False when the layer was read but its CRS cannot be used.
        public var usable: Bool
    }

    /// The path the user gave (folder or zip).
    public var bundle: String
    /// "id version" of the rulebook whose tolerances and vocabularies were used.
    public var rulebook: String?
    public var workingCRS: String?
    public var workingCRSReason: String?
    public var layers: [LayerInfo] = []
    public var findings: [Finding] = []
    /// True when the bundle could not be opened or no layer could be used.
    public var unusable = false

    public init(bundle: String) { self.bundle = bundle }

    public func count(_ s: Finding.Severity) -> Int { findings.filter { $0.severity == s }.count }
    public var codes: Set<FindingCode> { Set(findings.map(\.code)) }
    public var exitStatus: Int32 { unusable ? 2 : count(.error) > 0 ? 1 : 0 }

    /// Severity, then layer, record and code.
    static func order(_ a: Finding, _ b: Finding) -> Bool {
        if a.severity != b.severity { return a.severity < b.severity }
        if (a.layer ?? "") != (b.layer ?? "") { return (a.layer ?? "") < (b.layer ?? "") }
        if (a.featureIndex ?? -1) != (b.featureIndex ?? -1) { return (a.featureIndex ?? -1) < (b.featureIndex ?? -1) }
        return a.code < b.code
    }
}
