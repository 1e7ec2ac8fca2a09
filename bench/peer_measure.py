"""The Python peer's fastest whole pipeline: what `ecocredit measure DIR -o OUT` does for a beach
shoreline bundle, written as a skilled shapely 2 user would — vectorised calls, an STRtree over
the beach cut into 200 m cells, numpy for the transects and statistics, pyproj for the lon/lat
transform and the geodesic cross-check — and writing the same kinds of output.

    python peer_measure.py DIR OUT

Reads DIR/restored_shoreline.shp and DIR/beach.shp (pyshp); checks validity; casts transects
(10 m spacing, h = 250 m, 50 m smoothing window, as the bundle's manifest sets); measures the
width of the beach along each transect; finds the runs (segments), their lengths and mean widths
and the statistics; finds crossing transects and summarises them; computes the geodesic area of
the beach and length of the shoreline (pyproj.Geod, Karney); writes OUT/measurements.json,
OUT/transects.csv, OUT/crossings.csv, OUT/transects.geojson and one GeoJSON per layer in lon/lat.
"""
import json, os, sys
import numpy as np
import shapefile            # pyshp
import shapely
from pyproj import CRS, Geod, Transformer

def read_layer(path):
    r = shapefile.Reader(path)
    shapes = r.shapes()
    crs = CRS.from_wkt(open(path[:-4] + ".prj").read())
    return shapes, crs

def cast_transects(line, s, h, w):
    """Stations at the middle of n equal pieces, the normal from the chord over the smoothing
    window; P(x) by numpy interpolation on the cumulative arc length (shapely's
    line_interpolate_point walks the line from its start for every point: quadratic on a long line).
    Returns (n, t, origins, starts, ends, transects)."""
    xy = shapely.get_coordinates(line)
    cum = np.concatenate([[0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
    L = cum[-1]
    n = max(1, int(np.floor(L / s + 0.5)))
    t = (np.arange(n) + 0.5) * L / n
    def P(x): return np.column_stack([np.interp(x, cum, xy[:, 0]), np.interp(x, cum, xy[:, 1])])
    p, a, b = P(t), P(np.maximum(0, t - w / 2)), P(np.minimum(L, t + w / 2))
    dvec = b - a
    dvec /= np.hypot(dvec[:, 0], dvec[:, 1])[:, None]
    nrm = np.column_stack([-dvec[:, 1], dvec[:, 0]])
    start, end = p - h * nrm, p + h * nrm
    return n, t, p, start, end, shapely.linestrings(np.stack([start, end], axis=1))

def beach_widths(beach, tr):
    """The beach cut into 200 m cells, an STRtree over the pieces, one vectorised intersection."""
    xmin, ymin, xmax, ymax = shapely.total_bounds(beach)
    xs = np.arange(np.floor(xmin / 200) * 200, xmax + 200, 200); ys = np.arange(np.floor(ymin / 200) * 200, ymax + 200, 200)
    gx, gy = np.meshgrid(xs[:-1], ys[:-1])
    boxes = shapely.box(gx.ravel(), gy.ravel(), gx.ravel() + 200, gy.ravel() + 200)
    bi, pi = shapely.STRtree(beach).query(boxes, predicate="intersects")
    pieces = shapely.intersection(beach[pi], boxes[bi])
    pieces = pieces[~shapely.is_empty(pieces)]
    ti, ci = shapely.STRtree(pieces).query(tr, predicate="intersects")
    return np.bincount(ti, weights=shapely.length(shapely.intersection(tr[ti], pieces[ci])), minlength=len(tr))

def main(d, out):
    os.makedirs(out, exist_ok=True)
    manifest = json.load(open(d + "/submission.json"))
    prm = manifest.get("parameters", {})
    s, h, w = prm.get("transectSpacing_m", 10.0), prm.get("transectHalfLength_m", 250.0), prm.get("smoothingWindow_m", 50.0)
    ls, crs = read_layer(d + "/restored_shoreline.shp")
    bs, _ = read_layer(d + "/beach.shp")
    line = shapely.linestrings(ls[0].points)
    beach = np.array([shapely.Polygon(b.points) for b in bs], dtype=object)
    # Verify: valid polygons, a simple line, nothing empty.
    if not (shapely.is_valid(beach).all() and shapely.is_simple(line) and (~shapely.is_empty(beach)).all()):
        sys.exit("invalid input")
    n, t, p, start, end, tr = cast_transects(line, s, h, w)
    L = shapely.length(line)
    widths = beach_widths(beach, tr)
    # Runs (segments) and statistics.
    pos = widths > 0
    edges = np.diff(np.concatenate([[0], pos.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    seg_mean = np.add.reduceat(widths, starts) / (ends - starts) if len(starts) else np.array([])
    seg_len = (ends - starts) * (L / n)
    p10, med = np.percentile(widths, [10, 50])
    # Crossing transects: pairs (i < j) whose segments cross. Vectorised over offsets k = 1, 2, …:
    # transect i is compared with i + k while every origin up to i + k lies within 2h of its own
    # (ours does the same; an STRtree query with predicate="crosses" finds the same pairs on these
    # shorelines but takes seconds at 1000 km).
    reach = 2 * h
    active = np.ones(n, dtype=bool)
    qi_l, qj_l = [], []
    k = 1
    while k < n:
        i = np.flatnonzero(active[:n - k])
        if len(i) == 0: break
        j = i + k
        near = np.hypot(*(p[j] - p[i]).T) <= reach
        active[i[~near]] = False
        i, j = i[near], j[near]
        r_ = end[i] - start[i]; s_ = end[j] - start[j]; w_ = start[j] - start[i]
        den = r_[:, 0] * s_[:, 1] - r_[:, 1] * s_[:, 0]
        with np.errstate(divide="ignore", invalid="ignore"):
            u = (w_[:, 0] * s_[:, 1] - w_[:, 1] * s_[:, 0]) / den
            v = (w_[:, 0] * r_[:, 1] - w_[:, 1] * r_[:, 0]) / den
        hit = (den != 0) & (u > 0) & (u < 1) & (v > 0) & (v < 1)
        qi_l.append(i[hit]); qj_l.append(j[hit])
        k += 1
    qi = np.concatenate(qi_l) if qi_l else np.array([], dtype=int)
    qj = np.concatenate(qj_l) if qj_l else np.array([], dtype=int)
    involved = np.zeros(n, dtype=bool); involved[qi] = True; involved[qj] = True
    e2 = np.diff(np.concatenate([[0], involved.astype(np.int8), [0]]))
    c_starts, c_ends = np.flatnonzero(e2 == 1), np.flatnonzero(e2 == -1)
    # Runs of partners per transect (the compact list).
    order = np.lexsort((qj, qi))
    qi, qj = qi[order], qj[order]
    brk = np.flatnonzero((np.diff(qi) != 0) | (np.diff(qj) != 1)) + 1 if len(qi) else np.array([], dtype=int)
    r_first = np.concatenate([[0], brk]) if len(qi) else np.array([], dtype=int)
    r_last = np.concatenate([brk - 1, [len(qi) - 1]]) if len(qi) else np.array([], dtype=int)
    # Geodesic cross-check: lon/lat by pyproj, Karney's area and length.
    to_ll = Transformer.from_crs(crs, CRS.from_epsg(4490), always_xy=True)
    geod = Geod(ellps="GRS80")
    beach_ll = shapely.transform(beach, lambda c: np.column_stack(to_ll.transform(c[:, 0], c[:, 1])))
    line_ll = shapely.transform(line, lambda c: np.column_stack(to_ll.transform(c[:, 0], c[:, 1])))
    geod_area = sum(abs(geod.geometry_area_perimeter(g)[0]) for g in beach_ll)
    geod_len = geod.geometry_length(line_ll)
    # Outputs.
    meas = {"format": "peer-measurements/1", "shoreline_length_m": L, "geodesic_length_m": geod_len,
            "beach_area_m2": float(shapely.area(beach).sum()), "geodesic_area_m2": geod_area,
            "meanWidth_m": float(widths.mean()), "p10Width_m": float(p10), "medianWidth_m": float(med),
            "minWidth_m": float(widths.min()), "maxWidth_m": float(widths.max()), "stations": int(n),
            "segments": [{"from_m": float(a_ * L / n), "to_m": float(b_ * L / n), "length_m": float(l_), "meanWidth_m": float(m_)}
                         for a_, b_, l_, m_ in zip(starts, ends, seg_len, seg_mean)],
            "crossings": {"pairs": int(len(qi)), "transects": int(involved.sum()),
                          "stretches": [{"fromStation": int(a_), "toStation": int(b_ - 1)} for a_, b_ in zip(c_starts, c_ends)]}}
    json.dump(meas, open(out + "/measurements.json", "w"), indent=1)
    np.savetxt(out + "/transects.csv", np.column_stack([np.arange(n), t, p, start, end, widths]),
               fmt=["%d", "%.17g", "%.17g", "%.17g", "%.17g", "%.17g", "%.17g", "%.17g", "%.17g"], delimiter=",",
               header="station,arc_length_m,origin_x,origin_y,start_x,start_y,end_x,end_y,width_m", comments="")
    np.savetxt(out + "/crossings.csv", np.column_stack([qi[r_first], qj[r_first], qj[r_last]]) if len(qi) else np.zeros((0, 3)),
               fmt="%d", delimiter=",", header="station,crosses_from_station,crosses_to_station", comments="")
    tr_ll = shapely.transform(tr, lambda c: np.column_stack(to_ll.transform(c[:, 0], c[:, 1])))
    def collection(path, geoms, props):
        gj = shapely.to_geojson(geoms)
        with open(path, "w") as f:
            f.write('{"type":"FeatureCollection","features":[\n')
            f.write(",\n".join('{"type":"Feature","properties":%s,"geometry":%s}' % (pr, g) for pr, g in zip(props, gj)))
            f.write("\n]}\n")
    collection(out + "/transects.geojson", tr_ll, ('{"station":%d,"width_m":%r}' % (i, float(x)) for i, x in enumerate(widths)))
    collection(out + "/beach.geojson", beach_ll, ('{"id":%d}' % i for i in range(len(beach_ll))))
    collection(out + "/shoreline.geojson", np.array([line_ll], dtype=object), ['{"id":0}'])

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
