/// A Simple Features geometry as a plain value: `Sendable`, comparable, free of C handles.
/// Coordinates are in whatever CRS the owner says (a `VectorLayer` records it). Polygons list
/// their exterior ring first, then holes; rings are closed (first == last) when valid, but a
/// value may hold an unclosed ring read from a broken file: converting it to GEOS then fails
/// with `GeometryErrorCode.ringNotClosed`, which verification reports.
public indirect enum Geometry: Sendable, Equatable {
    /// Zero coordinates = the empty point.
    case point(CoordinateSequence)
    case lineString(CoordinateSequence)
    /// Rings, exterior first; no rings = the empty polygon.
    case polygon([CoordinateSequence])
    case multiPoint([CoordinateSequence])
    case multiLineString([CoordinateSequence])
    case multiPolygon([[CoordinateSequence]])
    case collection([Geometry])

    public static func point(_ x: Double, _ y: Double) -> Geometry { .point(CoordinateSequence([XY(x, y)])) }
    public static func lineString(_ points: [XY]) -> Geometry { .lineString(CoordinateSequence(points)) }
    /// A polygon from plain rings (each closed by the caller or closed here when open).
    public static func polygon(_ exterior: [XY], holes: [[XY]] = []) -> Geometry {
        .polygon(([exterior] + holes).map { CoordinateSequence(closing($0)) })
    }
    private static func closing(_ ring: [XY]) -> [XY] {
        guard let f = ring.first, f != ring.last else { return ring }
        return ring + [f]
    }
    /// The axis-aligned rectangle as a counter-clockwise polygon.
    public static func rectangle(_ e: Envelope) -> Geometry {
        .polygon([XY(e.minX, e.minY), XY(e.maxX, e.minY), XY(e.maxX, e.maxY), XY(e.minX, e.maxY)])
    }

    /// OGC type name ("Polygon", "MultiLineString", …).
    public var typeName: String {
        switch self {
        case .point: return "Point"
        case .lineString: return "LineString"
        case .polygon: return "Polygon"
        case .multiPoint: return "MultiPoint"
        case .multiLineString: return "MultiLineString"
        case .multiPolygon: return "MultiPolygon"
        case .collection: return "GeometryCollection"
        }
    }

    /// Topological dimension: 0 points, 1 lines, 2 polygons; a collection the highest of its parts.
    public var dimension: Int {
        switch self {
        case .point, .multiPoint: return 0
        case .lineString, .multiLineString: return 1
        case .polygon, .multiPolygon: return 2
        case .collection(let gs): return gs.map(\.dimension).max() ?? 0
        }
    }

    /// Every coordinate sequence of the geometry (points, lines, rings), in order.
    public var sequences: [CoordinateSequence] {
        switch self {
        case .point(let s), .lineString(let s): return [s]
        case .polygon(let rings), .multiPoint(let rings), .multiLineString(let rings): return rings
        case .multiPolygon(let polys): return polys.flatMap { $0 }
        case .collection(let gs): return gs.flatMap(\.sequences)
        }
    }

    public var coordinateCount: Int { sequences.reduce(0) { $0 + $1.count } }
    public var isEmpty: Bool { coordinateCount == 0 }
    public var hasZ: Bool { sequences.contains { $0.z != nil } }
    public var hasM: Bool { sequences.contains { $0.m != nil } }

    /// Bounding box of all coordinates; nil when empty.
    public var envelope: Envelope? { Envelope(of: sequences.lazy.flatMap(\.xy)) }

    /// Lines of a (Multi)LineString as parts, in order; empty for other types.
    public var lineParts: [CoordinateSequence] {
        switch self {
        case .lineString(let s): return s.isEmpty ? [] : [s]
        case .multiLineString(let ps): return ps
        case .collection(let gs): return gs.flatMap(\.lineParts)
        default: return []
        }
    }

    /// Polygons of a (Multi)Polygon as lists of rings; empty for other types.
    public var polygonParts: [[CoordinateSequence]] {
        switch self {
        case .polygon(let rings): return rings.isEmpty ? [] : [rings]
        case .multiPolygon(let ps): return ps
        case .collection(let gs): return gs.flatMap(\.polygonParts)
        default: return []
        }
    }

    /// Applies `transform` to every coordinate sequence, keeping the structure.
    public func mapSequences(_ transform: (CoordinateSequence) throws -> CoordinateSequence) rethrows -> Geometry {
        switch self {
        case .point(let s): return .point(try transform(s))
        case .lineString(let s): return .lineString(try transform(s))
        case .polygon(let rs): return .polygon(try rs.map(transform))
        case .multiPoint(let ps): return .multiPoint(try ps.map(transform))
        case .multiLineString(let ls): return .multiLineString(try ls.map(transform))
        case .multiPolygon(let ps): return .multiPolygon(try ps.map { try $0.map(transform) })
        case .collection(let gs): return .collection(try gs.map { try $0.mapSequences(transform) })
        }
    }

    /// The same geometry with Z and M dropped.
    public var droppingZM: Geometry { mapSequences { $0.droppingZM } }

    /// The first non-finite coordinate (NaN or infinite), if any, with its index in `sequences`.
    public var firstNonFiniteCoordinate: (sequence: Int, index: Int)? {
        for (si, s) in sequences.enumerated() {
            if let i = s.xy.firstIndex(where: { !$0.isFinite }) { return (si, i) }
        }
        return nil
    }
}
