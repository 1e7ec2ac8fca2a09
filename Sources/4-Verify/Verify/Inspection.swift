import Foundation
import GeoCore
import Rules
import Submission

/// What the checks read: the bundle, its layers in the working CRS, the rulebook and
/// vocabularies, and the GEOS and PROJ contexts (owned by the caller's task, never shared).
struct Inspection {
    let bundle: SubmissionBundle
    let set: LayerSet
    let rulebook: Rulebook
    let vocabulary: Vocabulary
    let geos: GEOSContext
    let proj: ProjContext
    /// Per layer (same index as `set.layers`): transformers for locations.
    let locators: [Locator]

    init(bundle: SubmissionBundle, set: LayerSet, rulebook: Rulebook, vocabulary: Vocabulary, geos: GEOSContext, proj: ProjContext) throws {
        self.bundle = bundle; self.set = set; self.rulebook = rulebook; self.vocabulary = vocabulary
        self.geos = geos; self.proj = proj
        let cgcs = try CRS.epsg(4490, context: proj)
        locators = try set.layers.map { try Locator(layer: $0, working: set.workingCRS, cgcs: cgcs, proj: proj) }
    }

    var manifest: Manifest? { bundle.manifest }

    /// The file of a layer relative to the bundle folder, as findings name it.
    func file(_ layer: RoleLayer) -> String { relativePath(layer.source.path, root: bundle.root) }

    /// The attribute that carries `meaning` for `role`: the manifest's `fields["role.meaning"]`
    /// (`named` is true then), else the first default name the layer has.
    func field(_ layer: RoleLayer, _ meaning: String) -> (name: String?, named: Bool) {
        layer.field(meaning, manifest: manifest, defaults: vocabulary.fieldDefaults["\(layer.role).\(meaning)"] ?? [])
    }

    /// The feature's id attribute (`fields["role.id"]` or a default id field), when it has one.
    func featureId(_ layer: RoleLayer, _ f: Feature) -> String? {
        let key = manifest?.fields["\(layer.role).id"]
        let names = (key.map { [$0] } ?? []) + (vocabulary.fieldDefaults["\(layer.role).id"] ?? ["编号", "BSM", "ID", "id"])
        for n in names { if let v = layer.source.value(f, n)?.stringValue, !v.isEmpty { return v } }
        return nil
    }

    /// A finding about one feature of layer number `li`, located at `at` (working CRS).
    func finding(_ message: FindingMessage, layer li: Int, feature f: Feature?, at: XY?, severity: Finding.Severity? = nil) -> Finding {
        let layer = set.layers[li]
        return Finding(message, severity: severity, role: layer.role, layer: file(layer), featureIndex: f?.index,
                       featureId: f.flatMap { featureId(layer, $0) }, location: at.flatMap { locators[li].location(working: $0) })
    }

    /// A GEOS or PROJ failure while checking: reported, never fatal.
    func failure(_ error: Error, layer li: Int?, feature f: Feature?, stage: FindingMessage.CheckStage) -> Finding {
        let layer = li.map { set.layers[$0] }
        return Finding(.libraryFailed(stage: stage, detail: "\(error)"), role: layer?.role, layer: layer.map(file), featureIndex: f?.index)
    }
}

/// Turns working-CRS points into finding locations (source CRS and CGCS2000 longitude/latitude).
/// Made for every layer whether or not it has findings, so it asks proj.db for nothing unless
/// it must: lon/lat by `LonLatConversion` (Krüger's series for the working CRS), and no
/// transformer back to the source CRS when that is the working CRS in another dialect.
struct Locator {
    let toSource: CoordinateTransformer?
    let toLonLat: LonLatConversion
    let proj: ProjContext
    let sourceLabel: String

    init(layer: RoleLayer, working: CRS, cgcs: CRS, proj: ProjContext) throws {
        let same = try layer.sourceCRS == working || layer.sourceCRS.isSameForCoordinates(as: working, context: proj)
        toSource = same ? nil : try CoordinateTransformer(from: working, to: layer.sourceCRS, context: proj)
        toLonLat = try LonLatConversion(from: working, context: proj)
        self.proj = proj
        sourceLabel = (layer.source.crs ?? layer.sourceCRS).label
    }

    func location(working p: XY) -> Finding.Location? {
        guard p.isFinite else { return nil }
        let s = (try? toSource?.transform(p)) ?? p
        var ll = [p]
        let lonLat: XY? = (try? toLonLat.convertHere(&ll, context: proj)) != nil ? ll[0] : nil
        return Finding.Location(source: s, sourceCRS: sourceLabel, lonLat: lonLat)
    }
}

func relativePath(_ path: String, root: String) -> String {
    let r = root.hasSuffix("/") ? root : root + "/"
    return path.hasPrefix(r) ? String(path.dropFirst(r.count)) : path
}
