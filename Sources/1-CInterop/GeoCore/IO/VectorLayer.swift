/// A vector layer as read from a file: features with geometry values and attributes, the
/// field list, the CRS found, and how its text was decoded. A plain `Sendable` value.
public struct VectorLayer: Sendable {
    public enum Format: String, Sendable { case shapefile, geojson }
    /// Geometry family of the layer as the file declares it.
    public enum GeometryFamily: String, Sendable { case point, line, polygon, multipoint, mixed, null }

    /// Layer name: the file name without extension.
    public var name: String
    /// Path of the main file (`.shp` or `.geojson`).
    public var path: String
    public var format: Format
    public var family: GeometryFamily
    /// Whether the file carries Z or M ordinates (kept in the geometries unless dropped on reading).
    public var hasZ: Bool
    public var hasM: Bool
    public var fields: [Field]
    public var features: [Feature]
    /// The CRS read from the `.prj` (or RFC 7946's WGS 84 for GeoJSON); nil when there is none.
    public var crs: CRS?
    /// The `.prj` text as found, for reports.
    public var crsText: String?
    /// How attribute text was decoded; nil for GeoJSON (always UTF-8).
    public var encoding: EncodingReport?

    public init(name: String, path: String, format: Format, family: GeometryFamily, hasZ: Bool = false, hasM: Bool = false,
                fields: [Field], features: [Feature], crs: CRS?, crsText: String? = nil, encoding: EncodingReport? = nil) {
        self.name = name; self.path = path; self.format = format; self.family = family
        self.hasZ = hasZ; self.hasM = hasM; self.fields = fields; self.features = features
        self.crs = crs; self.crsText = crsText; self.encoding = encoding
    }

    /// Every finite vertex of every feature, in feature and ring order (for extents in another CRS).
    public var finiteVertices: [XY] {
        var n = 0
        for f in features { for s in f.geometry.sequences { n += s.count } }
        var out: [XY] = []
        out.reserveCapacity(n)
        for f in features {
            for s in f.geometry.sequences {
                s.xy.withUnsafeBufferPointer { b in for p in b where p.isFinite { out.append(p) } }
            }
        }
        return out
    }

    /// Index of the field called `name` (exact, then case-insensitive), or nil.
    public func fieldIndex(_ name: String) -> Int? {
        fields.firstIndex { $0.name == name } ?? fields.firstIndex { $0.name.lowercased() == name.lowercased() }
    }

    /// The value of `field` for `feature`, or nil when the layer has no such field.
    public func value(_ feature: Feature, _ field: String) -> AttributeValue? {
        fieldIndex(field).map { feature.attributes[$0] }
    }
}

/// One feature: its 0-based record index in the file, its geometry (empty for a null shape)
/// and one attribute value per field of the layer, in field order.
public struct Feature: Sendable, Equatable {
    public var index: Int
    public var geometry: Geometry
    public var attributes: [AttributeValue]
    public init(index: Int, geometry: Geometry, attributes: [AttributeValue]) {
        self.index = index; self.geometry = geometry; self.attributes = attributes
    }
}

/// An attribute field. `width` and `decimals` are the DBF ones (0 for GeoJSON).
public struct Field: Sendable, Equatable {
    public enum FieldType: String, Sendable {
        case character = "C", numeric = "N", float = "F", logical = "L", date = "D", memo = "M", integer = "I"
        case other = "?"
    }
    public var name: String
    public var type: FieldType
    public var width: Int
    public var decimals: Int
    public init(name: String, type: FieldType, width: Int = 0, decimals: Int = 0) {
        self.name = name; self.type = type; self.width = width; self.decimals = decimals
    }
}

/// An attribute value. Dates are kept as ISO text "YYYY-MM-DD" (DBF `D` fields hold no zone).
public enum AttributeValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case string(String)
    case integer(Int64)
    case double(Double)
    case bool(Bool)
    case date(String)

    public var description: String {
        switch self {
        case .null: return ""
        case .string(let s), .date(let s): return s
        case .integer(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return b ? "true" : "false"
        }
    }
    public var stringValue: String? {
        switch self {
        case .null: return nil
        default: return description
        }
    }
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .double(let d): return d
        case .string(let s): return Double(s.trimmingSpaces)
        default: return nil
        }
    }
}
