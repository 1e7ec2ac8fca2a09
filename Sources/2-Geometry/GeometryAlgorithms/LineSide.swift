import GeoCore

/// Which side of a directed line a point lies on: left or right of the direction of travel,
/// judged at the nearest segment (the sign of the cross product there).
public enum LineSide: String, Sendable {
    case left, right

    /// nil when the point lies on the line or there is no segment.
    public static func side(of p: XY, relativeTo lines: [CoordinateSequence]) -> LineSide? {
        var best: (d: Double, cross: Double)? = nil
        for l in lines {
            for i in 1..<max(1, l.count) {
                let a = l.xy[i - 1], b = l.xy[i]
                let dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy
                guard len2 > 0 else { continue }
                let t = max(0, min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2))
                let qx = a.x + t * dx - p.x, qy = a.y + t * dy - p.y
                let d = qx * qx + qy * qy
                if best == nil || d < best!.d { best = (d, dx * (p.y - a.y) - dy * (p.x - a.x)) }
            }
        }
        guard let best, best.cross != 0 else { return nil }
        return best.cross > 0 ? .left : .right
    }

    /// +1 for left (the transect normal's direction), −1 for right.
    public var sign: Double { self == .left ? 1 : -1 }
}
