import Foundation
import GeoCore

/// A map drawn as inline SVG from working-CRS geometry (metres, y up): layers, transects
/// coloured by class, marked baseline spans, a coordinate grid with labels, a scale bar and a
/// grid-north arrow. Output is deterministic (fixed decimals, input order).
struct SVGMap {
    struct Layer { var cssClass: String; var geometries: [Geometry] }
    struct Line { var cssClass: String; var from: XY; var to: XY }
    struct Mark { var cssClass: String; var points: [XY]; var label: String }

    var title: String
    var view: Envelope
    var layers: [Layer] = []
    var lines: [Line] = []
    var marks: [Mark] = []
    var width = 680.0
    var gridLabel: String = "grid"

    var height: Double { min(560, max(240, width * view.height / max(view.width, 1e-9))) }

    /// Nice round number near `x`: 1, 2 or 5 × 10^k.
    static func nice(_ x: Double) -> Double {
        guard x > 0 else { return 1 }
        let p = pow(10, floor(log10(x))), m = x / p
        return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p
    }

    func render() -> String {
        let h = height, pad = 28.0
        // One scale for both axes, centred.
        let s = min((width - 2 * pad) / max(view.width, 1e-9), (h - 2 * pad) / max(view.height, 1e-9))
        let ox = pad + ((width - 2 * pad) - view.width * s) / 2, oy = pad + ((h - 2 * pad) - view.height * s) / 2
        func X(_ x: Double) -> Double { ox + (x - view.minX) * s }
        func Y(_ y: Double) -> Double { h - (oy + (y - view.minY) * s) }
        func f(_ v: Double) -> String { fixed(v, 1) }
        func path(_ seq: [XY], close: Bool) -> String {
            guard let first = seq.first else { return "" }
            var d = "M\(f(X(first.x))) \(f(Y(first.y)))"
            var last = (f(X(first.x)), f(Y(first.y)))
            for p in seq.dropFirst() {
                let q = (f(X(p.x)), f(Y(p.y)))
                if q != last { d += "L\(q.0) \(q.1)"; last = q }   // skip sub-decipixel steps
            }
            return d + (close ? "Z" : "")
        }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\" viewBox=\"0 0 \(f(width)) \(f(h))\" width=\"\(f(width))\" height=\"\(f(h))\" role=\"img\" aria-label=\"\(escape(title))\">"
        out += "<rect class=\"frame\" x=\"0\" y=\"0\" width=\"\(f(width))\" height=\"\(f(h))\"/>"
        // Coordinate grid.
        let step = SVGMap.nice(view.width / 4)
        var gx = (view.minX / step).rounded(.up) * step
        while gx <= view.maxX {
            out += "<line class=\"grid\" x1=\"\(f(X(gx)))\" y1=\"\(f(Y(view.minY)))\" x2=\"\(f(X(gx)))\" y2=\"\(f(Y(view.maxY)))\"/>"
            out += "<text class=\"gridlabel\" x=\"\(f(X(gx)))\" y=\"\(f(h - 4))\" text-anchor=\"middle\">\(Int(gx.rounded()))</text>"
            gx += step
        }
        var gy = (view.minY / step).rounded(.up) * step
        while gy <= view.maxY {
            out += "<line class=\"grid\" x1=\"\(f(X(view.minX)))\" y1=\"\(f(Y(gy)))\" x2=\"\(f(X(view.maxX)))\" y2=\"\(f(Y(gy)))\"/>"
            out += "<text class=\"gridlabel\" x=\"2\" y=\"\(f(Y(gy) - 2))\">\(Int(gy.rounded()))</text>"
            gy += step
        }
        for l in layers {
            for g in l.geometries {
                if g.dimension == 2 {
                    let d = g.polygonParts.map { $0.map { path($0.xy, close: true) }.joined() }.joined()
                    out += "<path class=\"\(l.cssClass)\" fill-rule=\"evenodd\" d=\"\(d)\"/>"
                } else if g.dimension == 1 {
                    out += "<path class=\"\(l.cssClass)\" d=\"\(g.lineParts.map { path($0.xy, close: false) }.joined())\"/>"
                }
            }
        }
        for t in lines {
            out += "<line class=\"\(t.cssClass)\" x1=\"\(f(X(t.from.x)))\" y1=\"\(f(Y(t.from.y)))\" x2=\"\(f(X(t.to.x)))\" y2=\"\(f(Y(t.to.y)))\"/>"
        }
        for m in marks {
            out += "<path class=\"\(m.cssClass)\" d=\"\(path(m.points, close: false))\"/>"
            if let mid = m.points.dropFirst(m.points.count / 2).first {
                out += "<text class=\"marklabel\" x=\"\(f(X(mid.x)))\" y=\"\(f(Y(mid.y) - 6))\" text-anchor=\"middle\">\(escape(m.label))</text>"
            }
        }
        // Scale bar (bottom left) and grid-north arrow (top right).
        let bar = SVGMap.nice(view.width / 5), bx = pad, by = h - pad + 8
        out += "<g class=\"scalebar\"><line x1=\"\(f(bx))\" y1=\"\(f(by))\" x2=\"\(f(bx + bar * s))\" y2=\"\(f(by))\"/>"
        out += "<line x1=\"\(f(bx))\" y1=\"\(f(by - 4))\" x2=\"\(f(bx))\" y2=\"\(f(by + 4))\"/><line x1=\"\(f(bx + bar * s))\" y1=\"\(f(by - 4))\" x2=\"\(f(bx + bar * s))\" y2=\"\(f(by + 4))\"/>"
        out += "<text x=\"\(f(bx + bar * s / 2))\" y=\"\(f(by - 6))\" text-anchor=\"middle\">\(bar >= 1000 ? "\(Int(bar / 1000)) km" : "\(Int(bar)) m")</text></g>"
        let nx = width - pad - 8, ny = pad + 4
        out += "<g class=\"north\"><path d=\"M\(f(nx)) \(f(ny - 2))L\(f(nx - 7)) \(f(ny + 18))L\(f(nx)) \(f(ny + 13))L\(f(nx + 7)) \(f(ny + 18))Z\"/>"
        out += "<text x=\"\(f(nx))\" y=\"\(f(ny + 30))\" text-anchor=\"middle\">N</text><text class=\"gridlabel\" x=\"\(f(nx))\" y=\"\(f(ny + 40))\" text-anchor=\"end\">\(escape(gridLabel))</text></g>"
        return out + "</svg>"
    }
}

func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}
