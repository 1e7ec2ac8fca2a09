import CPROJ

/// Transforms coordinates between two CRSs with easting/longitude-first axis order on both
/// sides (`proj_normalize_for_visualization`). Owns its normalised `PJ*` (destroyed exactly once,
/// in `deinit`); holds its context strongly. Not `Sendable`: use in one task.
///
/// Z and M ordinates are carried through unchanged (2D transformation).
public final class CoordinateTransformer {
    public let source: CRS
    public let target: CRS
    /// True when PROJ's operation is `+proj=noop`: both CRSs are the same for coordinates (for
    /// example a `.prj`'s ESRI WKT1 of EPSG:4547 and EPSG:4547 itself, which differ only in names
    /// and axis order before normalisation). Coordinates are then returned unchanged without
    /// calling PROJ, as PROJ would return them.
    public let isNoop: Bool
    let context: ProjContext
    let pj: OpaquePointer

    /// The operation comes from PROJ, found once per context and pair of CRSs
    /// (`ProjContext.operations`); later transformers on the same context get a clone. Between
    /// two of the CGCS2000 CRSs of `CGCS2000Definitions` it is made from the PROJ string PROJ
    /// itself finds for them (`CGCS2000Definitions.operation`), without opening proj.db.
    public init(from source: CRS, to target: CRS, context: ProjContext) throws {
        let ctx = context.handle
        let key = source.wkt + "\u{0}" + target.wkt
        if let found = context.operations[key] {
            guard let copy = proj_clone(ctx, found) else { throw context.failure("proj_clone(\(source.label) → \(target.label))") }
            self.pj = copy
        } else if let definition = CGCS2000Definitions.operation(from: source, to: target) {
            self.pj = try context.create(definition, "proj_create(\(source.label) → \(target.label))")
            if let keep = proj_clone(ctx, pj) { context.operations[key] = keep }
        } else {
            let s = try context.create(source.wkt, "proj_create(source)")
            defer { proj_destroy(s) }
            let t = try context.create(target.wkt, "proj_create(target)")
            defer { proj_destroy(t) }
            guard let raw = proj_create_crs_to_crs_from_pj(ctx, s, t, nil, nil) else {
                throw context.failure("proj_create_crs_to_crs(\(source.label) → \(target.label))")
            }
            defer { proj_destroy(raw) }   // the raw PJ is released once normalised
            guard let norm = proj_normalize_for_visualization(ctx, raw) else {
                throw context.failure("proj_normalize_for_visualization")
            }
            self.pj = norm
            if let keep = proj_clone(ctx, norm) { context.operations[key] = keep }
        }
        if let text = proj_as_proj_string(ctx, pj, PJ_PROJ_5, nil) { self.isNoop = String(cString: text) == "+proj=noop" }
        else {   // not expressible as a PROJ string (so not a no-op): drop what PROJ logged about it
            self.isNoop = false
            _ = context.log.take(); proj_errno_reset(pj)
        }
        self.source = source
        self.target = target
        self.context = context
    }

    deinit { proj_destroy(pj) }

    /// The operation as a PROJ string, e.g. "+proj=pipeline +step +inv +proj=tmerc … +step +proj=unitconvert …".
    public var definition: String? { proj_as_proj_string(context.handle, pj, PJ_PROJ_5, nil).map { String(cString: $0) } }

    /// Transforms one coordinate.
    public func transform(_ p: XY) throws -> XY {
        var pts = [p]
        try transform(&pts)
        return pts[0]
    }

    /// Transforms coordinates in place in one `proj_trans_generic` call. Throws with the index
    /// and value of the first coordinate PROJ could not transform (reported as infinity).
    public func transform(_ points: inout [XY]) throws {
        guard !points.isEmpty else { return }
        if isNoop {
            if let bad = points.firstIndex(where: { !$0.isFinite }) {
                throw GeoError.proj(operation: "proj_trans_generic \(source.label) → \(target.label)",
                                    messages: ["coordinate \(bad) could not be transformed"])
            }
            return
        }
        let n = points.count
        let stride = MemoryLayout<XY>.stride
        let done = points.withUnsafeMutableBufferPointer { buf -> Int in
            buf.withMemoryRebound(to: Double.self) { d in
                proj_trans_generic(pj, PJ_FWD, d.baseAddress, stride, n, d.baseAddress! + 1, stride, n, nil, 0, 0, nil, 0, 0)
            }
        }
        if done != n || points.contains(where: { !$0.isFinite }) {
            let bad = points.firstIndex { !$0.isFinite } ?? 0
            var e = context.failure("proj_trans_generic \(source.label) → \(target.label)")
            if case .proj(let op, var messages) = e {
                messages.append("coordinate \(bad) could not be transformed")
                e = .proj(operation: op, messages: messages)
            }
            throw e
        }
    }

    /// Transforms many points in place on all cores, in order: the first worker uses this
    /// transformer (its context is used by that one thread while the caller waits), the others
    /// each a context and transformer of their own. Below `minimumPerWorker` points per core,
    /// one call on this thread.
    public func transformOnAllCores(_ points: inout [XY], minimumPerWorker: Int = 65_536) throws {
        let n = points.count
        let workers = max(1, min(Parallel.cores, n / max(1, minimumPerWorker)))
        if workers == 1 { try transform(&points); return }
        let input = points
        nonisolated(unsafe) let mine = self
        let (source, target) = (self.source, self.target)
        let parts = try Parallel.ranges(n, workers: workers, minimumPerWorker: minimumPerWorker) { range throws -> [XY] in
            var chunk = Array(input[range])
            if range.lowerBound == 0 { try mine.transform(&chunk) }
            else { try CoordinateTransformer(from: source, to: target, context: try ProjContext()).transform(&chunk) }
            return chunk
        }
        points.removeAll(keepingCapacity: true)
        for p in parts { points += p }
    }

    /// Transforms every coordinate of a geometry.
    public func transform(_ g: Geometry) throws -> Geometry {
        try g.mapSequences { s in
            var xy = s.xy
            try transform(&xy)
            return CoordinateSequence(xy, z: s.z, m: s.m)
        }
    }
}
