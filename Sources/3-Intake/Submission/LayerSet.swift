import Foundation
import GeoCore

/// One layer of a bundle, read, with its role and (for dated shorelines) its date.
public struct RoleLayer: Sendable {
    public var role: String
    public var date: String?
    /// As read from the file, in its source CRS.
    public var source: VectorLayer
    /// The same features in the working CRS (metres, easting first).
    public var working: VectorLayer
    /// Notes on the CRS decision for this layer (WGS 84 used as CGCS2000, manifest CRS used, …).
    public var crsNotes: [String]
    /// The CRS the source coordinates are taken in (the `.prj`'s, the manifest's, or CGCS2000
    /// for WGS 84 geographic data).
    public var sourceCRS: CRS
    /// The working features in CGCS2000 longitude/latitude (degrees, longitude first), in the
    /// same order: set by `LayerSet.withLonLat` before measuring, so that the geodesic
    /// cross-check and the GeoJSON outputs convert each vertex once; nil until then.
    public var lonLat: VectorLayer? = nil
}

/// All layers of a bundle in one working CRS (measurement-methods §0).
public struct LayerSet: Sendable {
    /// The same set with every layer's `lonLat` made (on all cores; one conversion for all
    /// layers, `LonLatConversion`). For a set that verified: every coordinate is finite.
    public func withLonLat(proj: ProjContext) throws -> LayerSet {
        let conversion = try LonLatConversion(from: workingCRS, context: proj)
        var points: [XY] = []
        points.reserveCapacity(layers.reduce(0) { $0 + $1.working.features.reduce(0) { $0 + $1.geometry.coordinateCount } })
        for l in layers { for f in l.working.features { for s in f.geometry.sequences { points += s.xy } } }
        try conversion.convert(&points, context: proj)
        var out = self, k = 0
        let cgcs = try CRS.epsg(4490, context: proj)
        for i in out.layers.indices {
            var ll = out.layers[i].working
            ll.features = ll.features.map { f in
                var g = f
                g.geometry = f.geometry.mapSequences { s in
                    defer { k += s.count }
                    return CoordinateSequence(Array(points[k..<k + s.count]), z: s.z, m: s.m)
                }
                return g
            }
            ll.crs = cgcs
            out.layers[i].lonLat = ll
        }
        return out
    }

    public var bundle: SubmissionBundle
    public var workingCRS: CRS
    /// Why this working CRS: "the one Gauss–Krüger CRS among the layers" or the zone formula.
    public var workingCRSReason: String
    /// Longitude/latitude bounding box of all vertices (CGCS2000 degrees).
    public var lonLatBounds: Envelope
    public var layers: [RoleLayer]

    public func layers(_ role: String) -> [RoleLayer] { layers.filter { $0.role == role } }
    public func layer(_ role: String) -> RoleLayer? { layers.first { $0.role == role } }

    /// Reads every layer and brings it into the working CRS. Beijing 1954, Xi'an 1980 and WGS 84
    /// projected CRSs cannot be converted without local parameters and throw `CRS.NOT_CGCS2000`;
    /// WGS 84 geographic is used as CGCS2000 without a datum shift (noted). The first problem
    /// throws; `loadAll` collects every problem instead.
    public static func load(_ bundle: SubmissionBundle, proj: ProjContext) throws -> LayerSet {
        let files = readLayers(bundle, proj: proj)
        let cgcs = try CRS.epsg(4490, context: proj)
        var read: [(Manifest.LayerEntry, VectorLayer, CRS, [String])] = []
        for (e, result) in zip(bundle.entries, files) {
            let layer = try result.get()
            let (crs, notes) = try effectiveCRS(layer, manifestCRS: bundle.manifest?.crs, cgcs: cgcs, proj: proj)
            read.append((e, layer, crs, notes))
        }
        return try assemble(bundle, read, cgcs: cgcs, proj: proj)
    }

    /// What `loadAll` found: the usable layers in one working CRS (nil when none is usable),
    /// the layers that could not be read, and those read but in a CRS that cannot be used.
    public struct Outcome: Sendable {
        public var set: LayerSet?
        public var unread: [(entry: Manifest.LayerEntry, error: any Error)]
        public var rejected: [(entry: Manifest.LayerEntry, layer: VectorLayer, error: any Error)]
        /// An error assembling the usable layers (none had a finite vertex, …).
        public var assemblyError: (any Error)?
    }

    /// Reads every layer it can and reports every problem rather than the first (for verification).
    /// `screen` may refuse a layer in an accepted CRS (coordinates that cannot be in it, for
    /// example) by returning the error to report; the layer then joins `rejected`.
    public static func loadAll(_ bundle: SubmissionBundle, proj: ProjContext,
                               screen: ((Manifest.LayerEntry, VectorLayer, CRS) -> (any Error)?)? = nil) -> Outcome {
        var out = Outcome(set: nil, unread: [], rejected: [], assemblyError: nil)
        let files = readLayers(bundle, proj: proj)
        let cgcs: CRS
        do { cgcs = try CRS.epsg(4490, context: proj) } catch { out.assemblyError = error; return out }
        var read: [(Manifest.LayerEntry, VectorLayer, CRS, [String])] = []
        for (e, result) in zip(bundle.entries, files) {
            let layer: VectorLayer
            do { layer = try result.get() } catch { out.unread.append((e, error)); continue }
            do {
                let (crs, notes) = try effectiveCRS(layer, manifestCRS: bundle.manifest?.crs, cgcs: cgcs, proj: proj)
                if let refusal = screen?(e, layer, crs) { throw refusal }
                read.append((e, layer, crs, notes))
            } catch { out.rejected.append((e, layer, error)) }
        }
        guard !read.isEmpty else { return out }
        do { out.set = try assemble(bundle, read, cgcs: cgcs, proj: proj) } catch { out.assemblyError = error }
        return out
    }

    /// Every layer file read, on all cores (files are independent), in entry order; a layer that
    /// cannot be read is its error. `.prj` files are parsed afterwards on `proj`, one PROJ
    /// context for all and each distinct text once (`CRSCache`).
    static func readLayers(_ bundle: SubmissionBundle, proj: ProjContext) -> [Result<VectorLayer, any Error>] {
        let entries = bundle.entries
        let read = Array(Parallel.ranges(entries.count, minimumPerWorker: 1) { range -> [Result<VectorLayer, any Error>] in
            // One PROJ context per range: contexts are never shared across threads.
            let proj = Result { try ProjContext() }
            return range.map { i in proj.flatMap { p in Result { try readLayer(entries[i], of: bundle, proj: p) } } }
        }.joined())
        return read.map { result in
            result.flatMap { layer in
                guard layer.format == .shapefile, layer.crs == nil, let text = layer.crsText else { return .success(layer) }
                return Result {
                    var l = layer
                    l.crs = try ShapefileReader.crs(prj: text, shapefile: layer.path, proj: proj)
                    return l
                }
            }
        }
    }

    static func readLayer(_ e: Manifest.LayerEntry, of bundle: SubmissionBundle, proj: ProjContext) throws -> VectorLayer {
        let path = try bundle.confinedPath(e)
        let lower = path.lowercased()
        if lower.hasSuffix(".shp") {
            guard FileManager.default.fileExists(atPath: path) || FileManager.default.fileExists(atPath: String(path.dropLast(4)) + ".SHP") else {
                throw SubmissionError.layerMissing(role: e.role, path: path)
            }
            return try ShapefileReader.read(path, options: .init(parseCRS: false), proj: proj)
        }
        if lower.hasSuffix("json") {
            guard FileManager.default.fileExists(atPath: path) else { throw SubmissionError.layerMissing(role: e.role, path: path) }
            return try GeoJSON.read(path, proj: proj)
        }
        throw SubmissionError.layerMissing(role: e.role, path: path)
    }

    static func assemble(_ bundle: SubmissionBundle, _ read: [(Manifest.LayerEntry, VectorLayer, CRS, [String])],
                         cgcs: CRS, proj: ProjContext) throws -> LayerSet {
        // Longitude/latitude extent of all vertices, for the zone formula and reports (exact;
        // see LonLatExtent for why most vertices need no transformation).
        var bounds: Envelope? = nil
        for (_, layer, crs, _) in read {
            if let e = try LonLatExtent.of(layer.finiteVertices, crs: crs, cgcs: cgcs, context: proj) {
                if bounds == nil { bounds = e } else { bounds!.include(e) }
            }
        }
        guard let bounds else { throw SubmissionError.noLayers(path: bundle.root) }
        let gk = Set(read.compactMap { $0.2.gaussKruger?.epsg })
        let working: CRS, reason: String
        if gk.count == 1 {
            working = try CRS.epsg(gk.first!, context: proj)
            reason = "the only CGCS2000 Gauss–Krüger CRS among the layers (§0)"
        } else {
            let zone = GaussKrugerZone.threeDegree(nearestTo: bounds.center.x)
            working = try CRS.epsg(zone.epsg, context: proj)
            reason = "3° zone nearest the centre longitude \(fixed(bounds.center.x, 4))°E: CM \(zone.centralMeridian)°E (§0)"
                + (gk.count > 1 ? "; layers came in \(gk.count) different Gauss–Krüger CRSs" : "")
        }
        var layers: [RoleLayer] = []
        for (e, layer, crs, notes) in read {
            var w = layer
            // A layer whose CRS is the working CRS in another dialect (the ESRI WKT1 of a `.prj`)
            // differs as a value but not for coordinates: PROJ's operation is a no-op, and the
            // features are kept as read rather than passed through it. Equivalent definitions are
            // told without asking proj.db for the operation.
            if crs != working, !(try crs.isSameForCoordinates(as: working, context: proj)),
               case let t = try CoordinateTransformer(from: crs, to: working, context: proj), !t.isNoop {
                w.features = try layer.features.map { f in
                    // A non-finite coordinate cannot be transformed: keep it as read for verification to report.
                    if f.geometry.firstNonFiniteCoordinate != nil { return f }
                    var g = f
                    g.geometry = try t.transform(f.geometry)
                    return g
                }
            }
            w.crs = working
            layers.append(RoleLayer(role: e.role, date: e.date, source: layer, working: w, crsNotes: notes, sourceCRS: crs))
        }
        return LayerSet(bundle: bundle, workingCRS: working, workingCRSReason: reason, lonLatBounds: bounds, layers: layers)
    }

    /// The CRS a layer is taken in, with notes; throws for CRSs that cannot be converted.
    static func effectiveCRS(_ layer: VectorLayer, manifestCRS: String?, cgcs: CRS, proj: ProjContext) throws -> (CRS, [String]) {
        var notes: [String] = []
        var crs: CRS
        if let c = layer.crs {
            crs = c
            if manifestCRS != nil { notes.append("the .prj wins over the manifest's crs") }
        } else if let m = manifestCRS {
            crs = try CRS.from(definition: m, context: proj)
            notes.append("no .prj: the manifest's crs \(m) is used")
        } else {
            throw SubmissionError.crsUnusable(layer: layer.path, detail: "no .prj and no crs in the manifest")
        }
        if crs.isBeijing1954 || crs.isXian1980 {
            throw SubmissionError.crsUnusable(layer: layer.path, detail: "\(crs.name) (datum \(crs.datum)) cannot be converted to CGCS2000 without local transformation parameters; resubmit in CGCS2000")
        }
        if crs.isWGS84 {
            if crs.kind != .geographic {
                throw SubmissionError.crsUnusable(layer: layer.path, detail: "\(crs.name): WGS 84 projections cannot be converted without local parameters; submit in CGCS2000")
            }
            notes.append("WGS 84 used as CGCS2000 without a datum shift (centimetre level); official submissions use CGCS2000, and web-map data may carry GCJ-02 offsets")
            crs = cgcs
        }
        guard crs.isCGCS2000 else {
            throw SubmissionError.crsUnusable(layer: layer.path, detail: "\(crs.name) (datum \(crs.datum)) is not CGCS2000")
        }
        return (crs, notes)
    }
}
