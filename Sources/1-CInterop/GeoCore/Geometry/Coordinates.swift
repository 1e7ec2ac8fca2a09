/// A planar coordinate pair. In a geographic CRS `x` is longitude and `y` latitude in degrees;
/// in a projected CRS `x` is the easting and `y` the northing in metres. Axis order is always
/// easting/longitude first, whatever the CRS definition says.
public struct XY: Sendable, Hashable, Codable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }

    public var isFinite: Bool { x.isFinite && y.isFinite }
}

/// An ordered list of coordinates with optional Z and M ordinates kept beside the XY pairs.
/// `z` and `m`, when present, have exactly `xy.count` elements.
public struct CoordinateSequence: Sendable, Equatable {
    public var xy: [XY]
    public var z: [Double]?
    public var m: [Double]?

    public init(_ xy: [XY], z: [Double]? = nil, m: [Double]? = nil) {
        precondition(z == nil || z!.count == xy.count, "z must have one value per coordinate")
        precondition(m == nil || m!.count == xy.count, "m must have one value per coordinate")
        self.xy = xy; self.z = z; self.m = m
    }

    public var count: Int { xy.count }
    public var isEmpty: Bool { xy.isEmpty }
    public var isClosed: Bool { xy.count > 1 && xy.first == xy.last }

    /// The same coordinates without Z and M.
    public var droppingZM: CoordinateSequence { CoordinateSequence(xy) }

    /// Signed planar area of the ring (shoelace); positive when counter-clockwise, in the
    /// square of the coordinates' unit. Used for ring orientation, not for measuring.
    public var signedRingArea: Double {
        guard xy.count > 2 else { return 0 }
        var sum = 0.0
        let x0 = xy[0].x, y0 = xy[0].y   // shifted for numerical stability
        for i in 0..<(xy.count - 1) {
            let a = xy[i], b = xy[i + 1]
            sum += (a.x - x0) * (b.y - y0) - (b.x - x0) * (a.y - y0)
        }
        return sum / 2
    }

    /// The coordinates in reverse order (Z and M follow).
    public var reversed: CoordinateSequence {
        CoordinateSequence(xy.reversed(), z: z.map { Array($0.reversed()) }, m: m.map { Array($0.reversed()) })
    }
}

/// An axis-aligned rectangle in the units of the coordinates it came from.
public struct Envelope: Sendable, Equatable, Codable {
    public var minX, minY, maxX, maxY: Double
    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
    }
    /// The envelope of the points, or nil for none.
    public init?<S: Sequence>(of points: S) where S.Element == XY {
        var it = points.makeIterator()
        guard let first = it.next() else { return nil }
        var e = Envelope(minX: first.x, minY: first.y, maxX: first.x, maxY: first.y)
        while let p = it.next() { e.include(p) }
        self = e
    }
    /// The envelope of the points, or nil for none (an array's, without generic iteration).
    public init?(of points: [XY]) { self.init(of: points[...]) }
    public init?(of points: ArraySlice<XY>) {
        guard let first = points.first else { return nil }
        var x0 = first.x, y0 = first.y, x1 = first.x, y1 = first.y
        points.withUnsafeBufferPointer { b in
            for p in b {
                x0 = Swift.min(x0, p.x); y0 = Swift.min(y0, p.y)
                x1 = Swift.max(x1, p.x); y1 = Swift.max(y1, p.y)
            }
        }
        self.init(minX: x0, minY: y0, maxX: x1, maxY: y1)
    }
    public mutating func include(_ p: XY) {
        minX = Swift.min(minX, p.x); minY = Swift.min(minY, p.y)
        maxX = Swift.max(maxX, p.x); maxY = Swift.max(maxY, p.y)
    }
    public mutating func include(_ e: Envelope) {
        minX = Swift.min(minX, e.minX); minY = Swift.min(minY, e.minY)
        maxX = Swift.max(maxX, e.maxX); maxY = Swift.max(maxY, e.maxY)
    }
    public var width: Double { maxX - minX }
    public var height: Double { maxY - minY }
    public var center: XY { XY((minX + maxX) / 2, (minY + maxY) / 2) }
    public func intersects(_ o: Envelope) -> Bool {
        !(o.minX > maxX || o.maxX < minX || o.minY > maxY || o.maxY < minY)
    }
    public func expanded(by d: Double) -> Envelope {
        Envelope(minX: minX - d, minY: minY - d, maxX: maxX + d, maxY: maxY + d)
    }
}

extension XY {
    /// Planar distance to `o`, in the units of the CRS.
    public func distance(to o: XY) -> Double { ((o.x - x) * (o.x - x) + (o.y - y) * (o.y - y)).squareRoot() }
}

extension CoordinateSequence {
    /// Planar length of the path through the points, in the units of the CRS.
    public var planarLength: Double {
        var total = 0.0
        for i in xy.indices.dropFirst() { total += xy[i - 1].distance(to: xy[i]) }
        return total
    }
}

extension Geometry {
    /// Planar length of the line parts (0 for points and polygons), in CRS units.
    public var planarLength: Double { lineParts.reduce(0) { $0 + $1.planarLength } }
    /// Planar area of the polygon parts by the shoelace formula (shells minus holes), in CRS units².
    public var planarArea: Double {
        polygonParts.reduce(0) { acc, rings in
            acc + abs(rings.first?.signedRingArea ?? 0) - rings.dropFirst().reduce(0) { $0 + abs($1.signedRingArea) }
        }
    }
}
