import Foundation
import GeoCore

/// What `make run` prints per layer until measuring exists: counts, type, CRSs, planar and
/// geodesic size, encoding. Planar values are in the working CRS (m, m²); geodesic values on
/// the CGCS2000 ellipsoid with vertices converted to longitude/latitude, edges as geodesics.
public struct LayerSummary: Sendable {
    public var role: String
    public var name: String
    public var features: Int
    public var geometryType: String
    public var sourceCRS: String
    public var workingCRS: String
    /// "length" (m) for lines, "area" (m²) for polygons, nil for points.
    public var measure: String?
    public var planar: Double
    public var geodesic: Double
    public var encoding: String
    public var notes: [String]

    /// Relative difference (planar − geodesic) / geodesic.
    public var relativeDifference: Double { geodesic == 0 ? 0 : (planar - geodesic) / geodesic }

    public static func summarize(_ set: LayerSet, geos: GEOSContext, proj: ProjContext) throws -> [LayerSummary] {
        let cgcs = try CRS.epsg(4490, context: proj)
        let toLL = try CoordinateTransformer(from: set.workingCRS, to: cgcs, context: proj)
        return try set.layers.map { rl in
            let layer = rl.working
            var planar = 0.0, geodesic = 0.0
            let measure: String? = layer.family == .line ? "length" : (layer.family == .polygon ? "area" : nil)
            for f in layer.features where !f.geometry.isEmpty && f.geometry.firstNonFiniteCoordinate == nil {
                let ll = try toLL.transform(f.geometry)
                if measure == "length" {
                    planar += try geos.make(f.geometry).length()
                    geodesic += Geodesic.cgcs2000.length(ll)
                } else if measure == "area" {
                    planar += try geos.make(f.geometry).area()
                    geodesic += Geodesic.cgcs2000.area(ll)
                }
            }
            let types = Set(layer.features.filter { !$0.geometry.isEmpty }.map(\.geometry.typeName)).sorted()
            return LayerSummary(role: rl.role + (rl.date.map { " (\($0))" } ?? ""), name: layer.name, features: layer.features.count,
                                geometryType: types.isEmpty ? "empty" : types.joined(separator: "+"),
                                sourceCRS: rl.source.crs?.description ?? "none", workingCRS: set.workingCRS.description,
                                measure: measure, planar: planar, geodesic: geodesic,
                                encoding: rl.source.encoding?.description ?? "UTF-8 (GeoJSON)", notes: rl.crsNotes)
        }
    }
}
