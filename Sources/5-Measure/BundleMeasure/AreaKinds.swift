import Foundation
import GeoCore
import Measure
import Rules
import Submission

/// §6 eco-seawall and §7 dike removal, and the per-layer sizes every report carries.
extension MeasureContext {
    /// Whether a species value names an invasive species of the rulebook (via its Latin name,
    /// Chinese name or a synonym in the vocabulary; matched after §6 normalisation).
    func isInvasive(_ value: String) -> Bool {
        let invasive = Set(rulebook.invasiveSpecies.names.map(Vocabulary.normalise))
        if invasive.contains(Vocabulary.normalise(value)) { return true }
        return vocabulary.species(named: value).map { invasive.contains(Vocabulary.normalise($0.latin)) } ?? false
    }

    mutating func seawall() throws {
        let article = "SW Art. 19(4)"
        let veg = features("vegetation")
        guard let layer = set.layer("vegetation") else { report.notes.append("no vegetation layer"); return }
        let (name, _) = layer.field("species", manifest: manifest, defaults: vocabulary.fieldDefaults["vegetation.species"] ?? [])
        guard let name else { report.notes.append("vegetation has no species field: cover not measured (§6)"); return }
        let invasive = veg.filter { isInvasive($0.layer.source.value($0.layer.source.features[$0.feature.index], name)?.stringValue ?? "") }
        let cover = try CoverFraction.seawallVegetation(vegetation: veg.map(\.feature.geometry), invasive: invasive.map(\.feature.geometry),
                                                        seawall: geometries("seawall"), geos: geos)
        let layers = files("seawall") + files("vegetation")
        add(MeasuredValue(id: "seawall.vegetationCover", label: "vegetation cover without invasive species", value: cover.fraction, unit: "ratio",
                          method: "§6 area((∪vegetation − ∪invasive) ∩ seawall) / area(seawall)", layers: layers,
                          featureIds: ids("vegetation"), crs: crs, article: article,
                          uncertainty: cover.uncertainty(positionalAccuracy: params["positionalAccuracy_m"])))
        add(MeasuredValue(id: "seawall.area_m2", label: "seawall footprint area", value: cover.total, unit: "m²",
                          method: "§6 area(∪seawall)", layers: files("seawall"), crs: crs, article: article))
        add(MeasuredValue(id: "seawall.vegetated_m2", label: "vegetated area without invasive species", value: cover.covered, unit: "m²",
                          method: "§6 numerator", layers: layers, crs: crs, article: article))
        add(MeasuredValue(id: "seawall.invasivePolygons", label: "vegetation polygons of invasive species (\(rulebook.invasiveSpecies.names.joined(separator: ", ")))",
                          value: Double(invasive.count), unit: "count", method: "§6 species matched after collapsing white space and case-folding",
                          layers: files("vegetation"), featureIds: invasive.map { featureId($0.layer, $0.feature) }, crs: crs, article: rulebook.invasiveSpecies.article))
        try stability(TransectCaster.cast(baseline("shoreline"), params.transect), article: article)
    }

    /// Accepted values for `role.field.meaning`: the manifest's `values`, else the rulebook's.
    func vocabularyValues(_ key: String) -> Set<String> {
        let v = manifest?.raw.objectValue?["values"]?.objectValue?[key]?.arrayValue?.compactMap(\.stringValue) ?? rulebook.vocabularies[key] ?? []
        return Set(v.map(Vocabulary.normalise))
    }

    mutating func dike() throws {
        let article = "SW Art. 19(5)"
        guard let before = set.layer("dike_before") else { report.notes.append("no dike_before layer"); return }
        let (perm, _) = before.field("permeability", manifest: manifest, defaults: vocabulary.fieldDefaults["dike_before.permeability"] ?? [])
        let (removedField, _) = before.field("removed", manifest: manifest, defaults: vocabulary.fieldDefaults["dike_before.removed"] ?? [])
        let impermeableWords = vocabularyValues("dike_before.permeability.impermeable"), permeableWords = vocabularyValues("dike_before.permeability.permeable")
        let removedWords = vocabularyValues("dike_before.removed.true")
        var rows: [(geometry: Geometry, impermeable: Bool, removed: Bool)] = []
        for (l, f) in features("dike_before") {
            let src = l.source.features[f.index]
            let p = Vocabulary.normalise(perm.flatMap { l.source.value(src, $0)?.stringValue } ?? "")
            guard impermeableWords.contains(p) || permeableWords.contains(p) else {
                report.notes.append("dike_before record \(f.index): permeability \"\(p)\" is not in the vocabulary; the dike is not measured (§7)")
                return
            }
            let r = removedField.flatMap { l.source.value(src, $0)?.stringValue }.map { removedWords.contains(Vocabulary.normalise($0)) } ?? false
            rows.append((f.geometry, impermeableWords.contains(p), r))
        }
        let d: DikeRemoval
        let method: String
        if set.layer("dike_after") != nil {
            d = try DikeRemoval.fromBeforeAfter(impermeable: rows.filter(\.impermeable).map(\.geometry), permeable: rows.filter { !$0.impermeable }.map(\.geometry),
                                                after: geometries("dike_after"), tolerance: params["dikeBuffer_m"], geos: geos)
            method = "§7 length(before_impermeable − buffer(after, \(params["dikeBuffer_m"]) m, round caps)) / length(before)"
        } else {
            d = try DikeRemoval.fromFlags(features: rows, geos: geos)
            method = "§7 length of features flagged removed and impermeable / length(before)"
        }
        let layers = files("dike_before") + files("dike_after")
        // Each removed piece has two ends, each known to the positional accuracy.
        let fractionU = d.totalBefore > 0 ? 2 * Double(d.removedPieces) * params["positionalAccuracy_m"] / d.totalBefore : nil
        add(MeasuredValue(id: "dike.removedFraction", label: "removed impermeable length / total dike length", value: d.fraction, unit: "ratio",
                          method: method, parameters: ["dikeBuffer_m": params["dikeBuffer_m"], "positionalAccuracy_m": params["positionalAccuracy_m"]],
                          layers: layers, featureIds: ids("dike_before"), crs: crs, article: article, uncertainty: fractionU))
        add(MeasuredValue(id: "dike.removedImpermeable_m", label: "removed impermeable length", value: d.removedImpermeable, unit: "m",
                          method: method, layers: layers, crs: crs, article: article))
        add(MeasuredValue(id: "dike.removedPieces", label: "separate removed pieces of impermeable dike", value: Double(d.removedPieces), unit: "count",
                          method: "§7 connected pieces of the removed length", layers: layers, crs: crs, article: "SW Art. 17"))
        add(MeasuredValue(id: "dike.totalBefore_m", label: "total dike length before removal (permeable parts included)", value: d.totalBefore, unit: "m",
                          method: "§7 length of the union of dike_before", layers: files("dike_before"), crs: crs,
                          geodesic: try geodesic.length(geometries("dike_before")), article: article))
        if !geometries("bedrock").isEmpty {
            let rock = try geos.unaryUnion(try geometries("bedrock").map { try geos.make($0) })
            add(MeasuredValue(id: "dike.bedrock_m2", label: "exposed bedrock area", value: try rock.area(), unit: "m²", method: "§7 area of the bedrock layer",
                              layers: files("bedrock"), crs: crs, geodesic: try geodesic.area(geometries("bedrock")), article: article))
            if !geometries("intertidal").isEmpty {
                let share = try CoverFraction.share(of: geometries("bedrock"), in: geometries("intertidal"), geos: geos)
                add(MeasuredValue(id: "dike.bedrockShare", label: "bedrock share of the intertidal layer", value: share.fraction, unit: "ratio",
                                  method: "§7 area(bedrock ∩ intertidal) / area(intertidal)", layers: files("bedrock") + files("intertidal"), crs: crs, article: article))
            }
        }
        try stability(TransectCaster.cast(baseline("shoreline"), params.transect), article: article)
    }

    /// Planar and geodesic size of every layer (§0 cross-check).
    mutating func layerSizes() throws {
        for role in Array(Set(set.layers.map(\.role))).sorted() {
            let g = geometries(role), ll = lonLatGeometries(role)
            let lines = g.filter { $0.dimension == 1 }, polys = g.filter { $0.dimension == 2 }
            let llLines = ll.map { ll in g.indices.filter { g[$0].dimension == 1 }.map { ll[$0] } }
            let llPolys = ll.map { ll in g.indices.filter { g[$0].dimension == 2 }.map { ll[$0] } }
            if !lines.isEmpty {
                // A baseline measured along already has its geodesic length (the same features).
                let known = lines.count == g.count ? report.value("\(role).length_m")?.geodesic : nil
                add(MeasuredValue(id: "layer.\(role).length_m", label: "\(role): total length", value: lines.reduce(0) { $0 + $1.planarLength }, unit: "m",
                                  method: "§0 planar length, sum over features", layers: files(role), crs: crs, geodesic: try known ?? geodesic.length(lines, lonLat: llLines), article: "§0"))
            }
            if !polys.isEmpty {
                let a = polys.reduce(0) { $0 + $1.planarArea }, ga = try geodesic.area(polys, lonLat: llPolys)
                add(MeasuredValue(id: "layer.\(role).area_m2", label: "\(role): total area", value: a, unit: "m²",
                                  method: "§0 planar area, sum over features", layers: files(role), crs: crs, geodesic: ga, article: "§0"))
                add(MeasuredValue(id: "layer.\(role).area_mu", label: "\(role): total area", value: a / squareMetresPerMu, unit: "mu",
                                  method: "§0 m² / (10000/15)", layers: files(role), crs: crs, geodesic: ga / squareMetresPerMu, article: "§0"))
            }
        }
    }
}
