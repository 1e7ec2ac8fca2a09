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

    /// Map coordinates to SVG coordinates: one scale for both axes, centred in the frame.
    struct Frame {
        let view: Envelope, width: Double, height: Double
        let pad = 28.0
        var scale: Double { min((width - 2 * pad) / max(view.width, 1e-9), (height - 2 * pad) / max(view.height, 1e-9)) }
        var ox: Double { pad + ((width - 2 * pad) - view.width * scale) / 2 }
        var oy: Double { pad + ((height - 2 * pad) - view.height * scale) / 2 }
        func X(_ x: Double) -> Double { ox + (x - view.minX) * scale }
        func Y(_ y: Double) -> Double { height - (oy + (y - view.minY) * scale) }
        func f(_ v: Double) -> String { fixed(v, 1) }
        /// An SVG path of `seq`, skipping sub-decipixel steps.
        func path(_ seq: [XY], close: Bool) -> String {
            guard let first = seq.first else { return "" }
            var d = "M\(f(X(first.x))) \(f(Y(first.y)))"
            var last = (f(X(first.x)), f(Y(first.y)))
            for p in seq.dropFirst() {
                let q = (f(X(p.x)), f(Y(p.y)))
                if q != last { d += "L\(q.0) \(q.1)"; last = q }
            }
            return d + (close ? "Z" : "")
        }
    }

    func render() -> String {
        let fr = Frame(view: view, width: width, height: height)
        let f = fr.f
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\" aria-label=\"\(escape(title))\">"
        out += "<rect class=\"frame\" x=\"0\" y=\"0\" width=\"\(f(width))\" height=\"\(f(height))\"/>"
        out += grid(fr) + features(fr) + scaleBarAndNorth(fr)
        return out + "</svg>"
    }

    /// The coordinate grid with its labels.
    func grid(_ fr: Frame) -> String {
        let (X, Y, f) = (fr.X, fr.Y, fr.f)
        var out = ""
        let step = SVGMap.nice(view.width / 4)
        var gx = (view.minX / step).rounded(.up) * step
        while gx <= view.maxX {
            out += "<line class=\"grid\" x1=\"\(f(X(gx)))\" y1=\"\(f(Y(view.minY)))\" x2=\"\(f(X(gx)))\" y2=\"\(f(Y(view.maxY)))\"/>"
            out += "<text class=\"gridlabel\" x=\"\(f(X(gx)))\" y=\"\(f(height - 4))\" text-anchor=\"middle\">\(Int(gx.rounded()))</text>"
            gx += step
        }
        var gy = (view.minY / step).rounded(.up) * step
        while gy <= view.maxY {
            out += "<line class=\"grid\" x1=\"\(f(X(view.minX)))\" y1=\"\(f(Y(gy)))\" x2=\"\(f(X(view.maxX)))\" y2=\"\(f(Y(gy)))\"/>"
            out += "<text class=\"gridlabel\" x=\"2\" y=\"\(f(Y(gy) - 2))\">\(Int(gy.rounded()))</text>"
            gy += step
        }
        return out
    }

    /// The layers, the transects and the marks.
    func features(_ fr: Frame) -> String {
        let (X, Y, f) = (fr.X, fr.Y, fr.f)
        var out = ""
        for l in layers {
            for g in l.geometries {
                if g.dimension == 2 {
                    let d = g.polygonParts.map { $0.map { fr.path($0.xy, close: true) }.joined() }.joined()
                    out += "<path class=\"\(l.cssClass)\" fill-rule=\"evenodd\" d=\"\(d)\"/>"
                } else if g.dimension == 1 {
                    out += "<path class=\"\(l.cssClass)\" d=\"\(g.lineParts.map { fr.path($0.xy, close: false) }.joined())\"/>"
                }
            }
        }
        for t in lines {
            out += "<line class=\"\(t.cssClass)\" x1=\"\(f(X(t.from.x)))\" y1=\"\(f(Y(t.from.y)))\" x2=\"\(f(X(t.to.x)))\" y2=\"\(f(Y(t.to.y)))\"/>"
        }
        for m in marks {
            out += "<path class=\"\(m.cssClass)\" d=\"\(fr.path(m.points, close: false))\"/>"
            if let mid = m.points.dropFirst(m.points.count / 2).first {
                out += "<text class=\"marklabel\" x=\"\(f(X(mid.x)))\" y=\"\(f(Y(mid.y) - 6))\" text-anchor=\"middle\">\(escape(m.label))</text>"
            }
        }
        return out
    }

    /// Scale bar (bottom left) and grid-north arrow (top right).
    func scaleBarAndNorth(_ fr: Frame) -> String {
        let f = fr.f, s = fr.scale, pad = fr.pad
        let bar = SVGMap.nice(view.width / 5), bx = pad, by = height - pad + 8
        var out = "<g class=\"scalebar\"><line x1=\"\(f(bx))\" y1=\"\(f(by))\" x2=\"\(f(bx + bar * s))\" y2=\"\(f(by))\"/>"
        out += "<line x1=\"\(f(bx))\" y1=\"\(f(by - 4))\" x2=\"\(f(bx))\" y2=\"\(f(by + 4))\"/><line x1=\"\(f(bx + bar * s))\" y1=\"\(f(by - 4))\" x2=\"\(f(bx + bar * s))\" y2=\"\(f(by + 4))\"/>"
        out += "<text x=\"\(f(bx + bar * s / 2))\" y=\"\(f(by - 6))\" text-anchor=\"middle\">\(bar >= 1000 ? "\(Int(bar / 1000)) km" : "\(Int(bar)) m")</text></g>"
        let nx = width - pad - 8, ny = pad + 4
        out += "<g class=\"north\"><path d=\"M\(f(nx)) \(f(ny - 2))L\(f(nx - 7)) \(f(ny + 18))L\(f(nx)) \(f(ny + 13))L\(f(nx + 7)) \(f(ny + 18))Z\"/>"
        out += "<text x=\"\(f(nx))\" y=\"\(f(ny + 30))\" text-anchor=\"middle\">N</text><text class=\"gridlabel\" x=\"\(f(nx))\" y=\"\(f(ny + 40))\" text-anchor=\"end\">\(escape(gridLabel))</text></g>"
        return out
    }
}

func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}
