import Foundation

/// GeoJSON in longitude/latitude written as bytes at close to memory speed: features split
/// into one run per core, each run's coordinates converted in one batched PROJ call on that
/// worker's own context (never shared across threads), and written digit by digit.
///
/// Coordinates are written with 9 decimals of a degree at most (1e-9° ≈ 0.1 mm; RFC 7946 §11.2
/// finds 6 enough), trailing zeros dropped: the bytes are the same on every machine and the
/// files a fifth smaller than with shortest round-trip digits. Polygon exteriors
/// counter-clockwise, holes clockwise (RFC 7946 §3.1.6); properties in field order.
extension GeoJSON {
    /// Decimals of a degree in longitude/latitude output.
    public static let lonLatDecimals = 9

    /// `layer` (coordinates in `crs`) as a FeatureCollection in CGCS2000 longitude/latitude.
    /// Returns the file as pieces of bytes in order (write them one after the other).
    ///
    /// Coordinates are converted by `LonLatConversion`: Krüger's series for a CGCS2000
    /// Gauss–Krüger CRS (no context needed), else PROJ, where `proj` converts the first run (one
    /// thread uses it while the caller waits) and the other runs each open a context of their
    /// own. A small layer (under `parallelFrom` coordinates) is one run.
    public static func lonLatPieces(_ layer: VectorLayer, from crs: CRS, proj: ProjContext, parallelFrom: Int = 50_000) throws -> [[UInt8]] {
        try lonLatPieces(layer, conversion: try LonLatConversion(from: crs, context: proj), proj: proj, parallelFrom: parallelFrom)
    }

    /// As above, with the conversion made once by the caller (for several layers of one CRS).
    public static func lonLatPieces(_ layer: VectorLayer, conversion: LonLatConversion, proj: ProjContext, parallelFrom: Int = 50_000) throws -> [[UInt8]] {
        let features = layer.features, fields = layer.fields
        // `"name":` of every property, encoded once.
        let keys = fields.map { Array((JSONText.string($0.name) + ":").utf8) }
        // Runs of about equal numbers of coordinates, so that one large polygon does not leave a core idle.
        let weights = features.map { $0.geometry.coordinateCount + 8 }
        let total = weights.reduce(0, +)
        let bounds = balancedBounds(weights, pieces: total < parallelFrom ? 1 : min(features.count, 2 * Parallel.cores))
        nonisolated(unsafe) let callers = proj
        let body = try Parallel.ranges(bounds.count - 1, workers: bounds.count - 1, minimumPerWorker: 1) { runs throws -> [UInt8] in
            var out = ByteText(capacity: 0)
            for run in runs {
                let range = bounds[run]..<bounds[run + 1]
                guard !range.isEmpty else { continue }
                var xy: [XY] = []
                xy.reserveCapacity(weights[range].reduce(0, +))
                for i in range { for s in features[i].geometry.sequences { xy += s.xy } }
                try conversion.convertHere(&xy, context: run == 0 ? callers : nil)
                out.reserve(xy.count * 24 + range.count * (64 + 24 * fields.count))
                var k = 0
                for i in range {
                    out.append(i == 0 ? "\n" as StaticString : ",\n")
                    out.append("{\"type\":\"Feature\",\"properties\":{" as StaticString)
                    for j in keys.indices {
                        if j > 0 { out.append(byte: 0x2C) }
                        out.append(bytes: keys[j])
                        appendValue(features[i].attributes[j], to: &out)
                    }
                    out.append("},\"geometry\":" as StaticString)
                    appendGeometry(features[i].geometry, lonLat: xy, from: &k, to: &out)
                    out.append(byte: 0x7D)
                }
            }
            return out.bytes
        }
        return collection(name: layer.name, features: body)
    }

    /// A FeatureCollection named `name` around features already written (pieces in order, each
    /// feature preceded by "\n" or ",\n").
    static func collection(name: String, features: [[UInt8]]) -> [[UInt8]] {
        [collectionHead(name: name)] + features + [collectionTail]
    }

    /// A FeatureCollection's bytes before its first feature, and after its last.
    static func collectionHead(name: String) -> [UInt8] {
        var head = ByteText(capacity: 64)
        head.append("{\"type\":\"FeatureCollection\"" as StaticString)
        head.append(",\"name\":"); head.append(JSONText.string(name))
        head.append(",\"features\":[" as StaticString)
        return head.bytes
    }
    static let collectionTail = Array("\n]}\n".utf8)

    /// A position `[lon,lat]` with `lonLatDecimals` decimals at most.
    @inline(__always) static func appendPosition(_ p: XY, to out: inout ByteText) {
        out.append(byte: 0x5B); out.append(fixed: p.x, decimals: lonLatDecimals); out.append(byte: 0x2C)
        out.append(fixed: p.y, decimals: lonLatDecimals); out.append(byte: 0x5D)
    }

    /// Two-point lines (`count` of them, in order) as a FeatureCollection in CGCS2000
    /// longitude/latitude: the same bytes `lonLatPieces` writes for a layer of such lines whose
    /// properties `properties(i, &out)` writes (the members, without braces), without a
    /// `Feature` per line. `ends(i)`: the line's two points in the conversion's CRS.
    ///
    /// Described as pieces (a head, runs of `OrderedPieces.rowsPerPiece` lines, a tail) that can
    /// be made on any thread: an output folder streams them to disk as they are made. Under
    /// Krüger's series no context is needed; on the PROJ path each run opens a context of its
    /// own (never one shared across threads), so runs are then fewer: about two per core, of at
    /// least 4096 lines.
    public static func lonLatTwoPointLines(name: String, count: Int, conversion: LonLatConversion,
                                           ends: @escaping @Sendable (Int) -> (XY, XY),
                                           properties: @escaping @Sendable (Int, inout ByteText) -> Void) -> OrderedPieces {
        let bounds = OrderedPieces.runs(count, perRun: conversion.series != nil ? OrderedPieces.rowsPerPiece : max(4096, count / (2 * Parallel.cores) + 1))
        let body = OrderedPieces(count: bounds.count - 1) { run in
            let range = bounds[run]..<bounds[run + 1]
            var out = ByteText(capacity: range.count * 240)
            var xy: [XY] = []
            xy.reserveCapacity(2 * range.count)
            for i in range { let (a, b) = ends(i); xy.append(a); xy.append(b) }
            try conversion.convertHere(&xy, context: nil)
            var k = 0
            for i in range {
                out.append(i == 0 ? "\n" as StaticString : ",\n")
                out.append("{\"type\":\"Feature\",\"properties\":{" as StaticString)
                properties(i, &out)
                out.append("},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[" as StaticString)
                appendPosition(xy[k], to: &out); out.append(byte: 0x2C); appendPosition(xy[k + 1], to: &out)
                k += 2
                out.append("]}}" as StaticString)
            }
            return out.bytes
        }
        return .framed(head: collectionHead(name: name), body, tail: collectionTail)
    }

    /// A property `"name":value` (`key` already encoded as `"name":`), preceded by a comma
    /// unless it is the first; values written as `lonLatPieces` writes attributes.
    public static func appendProperty(_ key: StaticString, _ value: AttributeValue, first: Bool = false, to out: inout ByteText) {
        if !first { out.append(byte: 0x2C) }
        out.append(key)
        appendValue(value, to: &out)
    }

    /// Boundaries splitting `weights` into `pieces` contiguous runs of about equal total weight
    /// (first 0, last `weights.count`).
    static func balancedBounds(_ weights: [Int], pieces: Int) -> [Int] {
        guard pieces > 1 else { return [0, weights.count] }
        let total = weights.reduce(0, +)
        var bounds = [0], sum = 0
        for (i, w) in weights.enumerated() {
            sum += w
            if bounds.count < pieces, sum * pieces >= total * bounds.count { bounds.append(i + 1) }
        }
        if bounds.last != weights.count { bounds.append(weights.count) }
        return bounds
    }

    /// An attribute as a JSON value (as `jsonValue` writes it).
    static func appendValue(_ v: AttributeValue, to out: inout ByteText) {
        switch v {
        case .null: out.append("null" as StaticString)
        case .string(let s), .date(let s): out.append(JSONText.string(s))
        case .integer(let i): out.append(Int(i))
        case .double(let d):
            guard d.isFinite else { out.append("null" as StaticString); return }
            let before = out.count
            out.append(number: d)
            // A double stays a JSON number with a point or exponent ("3.0", not "3").
            if !out.bytes[before...].contains(where: { $0 == 0x2E || $0 == 0x65 || $0 == 0x45 }) { out.append(".0" as StaticString) }
        case .bool(let b): out.append(b ? "true" as StaticString : "false")
        }
    }

    /// A geometry whose converted coordinates are `lonLat[k...]`, in sequence order; advances `k`.
    static func appendGeometry(_ g: Geometry, lonLat: [XY], from k: inout Int, to out: inout ByteText) {
        func pos(_ p: XY) { appendPosition(p, to: &out) }
        /// The next sequence's points; `reverse` writes them backwards.
        func seq(_ s: CoordinateSequence, ring: Int? = nil) {
            let n = s.count, base = k
            k += n
            var reverse = false
            if let ring {
                // Signed area (shoelace) of the converted ring: exterior counter-clockwise, holes clockwise.
                var a = 0.0
                for i in 0..<n { let p = lonLat[base + i], q = lonLat[base + (i + 1) % n]; a += p.x * q.y - q.x * p.y }
                reverse = (a < 0) == (ring == 0)
            }
            out.append(byte: 0x5B)
            for i in 0..<n {
                if i > 0 { out.append(byte: 0x2C) }
                pos(lonLat[reverse ? base + n - 1 - i : base + i])
            }
            out.append(byte: 0x5D)
        }
        func rings(_ rs: [CoordinateSequence]) {
            out.append(byte: 0x5B)
            for (i, r) in rs.enumerated() { if i > 0 { out.append(byte: 0x2C) }; seq(r, ring: i) }
            out.append(byte: 0x5D)
        }
        func list<T>(_ items: [T], _ each: (T) -> Void) {
            out.append(byte: 0x5B)
            for (i, x) in items.enumerated() { if i > 0 { out.append(byte: 0x2C) }; each(x) }
            out.append(byte: 0x5D)
        }
        switch g {
        case .point(let s):
            out.append("{\"type\":\"Point\",\"coordinates\":" as StaticString)
            if s.isEmpty { out.append("[]" as StaticString) } else { pos(lonLat[k]) }
            k += s.count
            out.append(byte: 0x7D)
        case .multiPoint(let ps):
            out.append("{\"type\":\"MultiPoint\",\"coordinates\":" as StaticString)
            list(ps) { s in if let _ = s.xy.first { pos(lonLat[k]) }; k += s.count }
            out.append(byte: 0x7D)
        case .lineString(let s):
            out.append("{\"type\":\"LineString\",\"coordinates\":" as StaticString); seq(s); out.append(byte: 0x7D)
        case .multiLineString(let ls):
            out.append("{\"type\":\"MultiLineString\",\"coordinates\":" as StaticString); list(ls) { seq($0) }; out.append(byte: 0x7D)
        case .polygon(let rs):
            out.append("{\"type\":\"Polygon\",\"coordinates\":" as StaticString); rings(rs); out.append(byte: 0x7D)
        case .multiPolygon(let ps):
            out.append("{\"type\":\"MultiPolygon\",\"coordinates\":" as StaticString); list(ps) { rings($0) }; out.append(byte: 0x7D)
        case .collection(let gs):
            if gs.isEmpty { out.append("null" as StaticString); return }
            out.append("{\"type\":\"GeometryCollection\",\"geometries\":" as StaticString)
            list(gs) { appendGeometry($0, lonLat: lonLat, from: &k, to: &out) }
            out.append(byte: 0x7D)
        }
    }
}
