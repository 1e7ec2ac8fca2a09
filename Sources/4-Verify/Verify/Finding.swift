import Foundation
import GeoCore

/// One problem (or note) found in a submission: a stable code, a severity, where it is, and a
/// message in Chinese and English.
public struct Finding: Sendable, Equatable {
    public enum Severity: String, Sendable, Comparable, CaseIterable {
        case error, warning, info
        var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    /// A point a finding is about, in the layer's source CRS and in CGCS2000 longitude/latitude.
    public struct Location: Sendable, Equatable {
        /// Coordinates as the file has them (easting/longitude first).
        public var source: XY
        /// The CRS `source` is in ("EPSG:4490"), or "unknown".
        public var sourceCRS: String
        /// CGCS2000 longitude, latitude in degrees; nil when the source CRS cannot be converted.
        public var lonLat: XY?
    }

    /// A message in both languages.
    public typealias Text = Bilingual

    public var code: FindingCode
    public var severity: Severity
    /// The layer's role and file (relative to the bundle) when the finding is about a layer.
    public var role: String?
    public var layer: String?
    /// 0-based record index in the file, and the feature's id attribute when it has one.
    public var featureIndex: Int?
    public var featureId: String?
    public var message: Text
    public var location: Location?

    init(_ code: FindingCode, severity: Severity? = nil, role: String? = nil, layer: String? = nil,
                featureIndex: Int? = nil, featureId: String? = nil, message: Text, location: Location? = nil) {
        self.code = code; self.severity = severity ?? code.severity
        self.role = role; self.layer = layer; self.featureIndex = featureIndex; self.featureId = featureId
        self.message = message; self.location = location
    }
}


