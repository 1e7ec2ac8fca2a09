"""The Python peer: the computations of `ecocredit-bench` written as a skilled shapely 2 user
would (vectorised calls, an STRtree, the beach cut into 200 m cells), with pyshp and pyproj.

    python peer.py shoreline DIR [--json FILE]     # DIR as kept by `ecocredit-bench shoreline KM --keep DIR`
    python peer.py parcels DIR [--json FILE]

Prints one row per phase and peak memory, and compares its results with ours
(ours-widths.f64 / ours-parcels.f64 in DIR): the run fails if they differ.
"""
import json, resource, sys, time
import numpy as np
import shapefile            # pyshp
import shapely
from pyproj import CRS
from peer_measure import cast_transects, beach_widths   # the same transects and widths as the whole pipeline

def read_layer(path):
    r = shapefile.Reader(path)
    shapes = r.shapes()
    records = r.records()
    crs = CRS.from_wkt(open(path[:-4] + ".prj").read())
    return shapes, records, crs

def polygons(shapes):
    # Single-ring polygons in the bench data; shapefile rings are clockwise shells.
    return np.array([shapely.Polygon(s.points) for s in shapes], dtype=object)

phases = {}
def timed(name, fn):
    t = time.perf_counter(); r = fn(); phases[name] = time.perf_counter() - t; return r

def shoreline(d):
    def read():
        ls, _, crs = read_layer(d + "/restored_shoreline.shp")
        bs, _, _ = read_layer(d + "/beach.shp")
        return shapely.linestrings(ls[0].points), polygons(bs), crs
    line, beach, crs = timed("read", read)
    assert crs.to_epsg() == 4547
    timed("verify", lambda: (shapely.is_valid(beach).all(), shapely.is_simple(line), (~shapely.is_empty(beach)).all()))
    s, h, w = 10.0, 250.0, 50.0
    tr = timed("transects", lambda: cast_transects(line, s, h, w)[5])
    widths = timed("intersect", lambda: beach_widths(beach, tr))
    def statistics():
        pos = widths > 0
        edges = np.diff(np.concatenate([[0], pos.astype(np.int8), [0]]))
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        means = np.add.reduceat(widths, starts) / (ends - starts) if len(starts) else np.array([])
        return widths.mean(), np.percentile(widths, [10, 50]), len(starts), means
    timed("statistics", statistics)
    timed("write results", lambda: np.savetxt(d + "/peer-widths.csv", widths, fmt="%.9f"))
    ours = np.fromfile(d + "/ours-widths.f64", dtype="<f8")
    diff = float(np.max(np.abs(ours - widths))) if len(ours) == len(widths) else float("inf")
    return len(tr), {"transects": len(tr), "maxWidthDifference_m": diff}

def parcels(d):
    def read():
        ps, pr, crs = read_layer(d + "/parcels.shp")
        b, br, _ = read_layer(d + "/landuse_before.shp"); a, ar, _ = read_layer(d + "/landuse_after.shp")
        c, _, _ = read_layer(d + "/construction_land.shp"); hz, _, _ = read_layer(d + "/heritage.shp")
        return (polygons(ps), polygons(b), np.array([r[0] for r in br]), polygons(a), np.array([r[0] for r in ar]),
                polygons(c), polygons(hz), crs)
    P, B, bcls, A, acls, C, H, crs = timed("read", read)
    assert crs.to_epsg() == 4549
    timed("verify", lambda: (shapely.is_valid(P).all(), shapely.is_valid(B).all(), shapely.is_valid(A).all()))
    def measure():
        out = {}
        for name, lu, cls in (("before", B, bcls), ("after", A, acls)):
            pi, li = shapely.STRtree(lu).query(P, predicate="intersects")
            areas = shapely.area(shapely.intersection(P[pi], lu[li]))
            keep = areas >= 1.0                         # slivers under 1 m² dropped
            codes, inv = np.unique(cls[li[keep]], return_inverse=True)
            table = np.zeros((len(P), len(codes)))
            np.add.at(table, (pi[keep], inv), areas[keep])
            out[name] = (codes, table)
        ci, cj = shapely.STRtree(C).query(P, predicate="intersects")
        cons = np.zeros(len(P)); np.add.at(cons, ci, shapely.area(shapely.intersection(P[ci], C[cj])))
        hi, hj = shapely.STRtree(H).query(P, predicate="intersects")
        her = np.zeros(len(P)); np.add.at(her, hi, shapely.area(shapely.intersection(P[hi], H[hj])))
        return out, cons / shapely.area(P), her
    out, share, her = timed("class areas + eligibility", measure)
    timed("write results", lambda: np.savetxt(d + "/peer-parcels.csv", np.column_stack([out["after"][1].sum(axis=1), share]), fmt="%.9f"))
    ours = np.fromfile(d + "/ours-parcels.f64", dtype="<f8").reshape(-1, 2)
    diff = float(np.max(np.abs(ours - np.column_stack([out["after"][1].sum(axis=1), share])))) if len(ours) == len(P) else float("inf")
    return len(P), {"parcels": len(P), "maxDifference": diff}

if __name__ == "__main__":
    mode, d = sys.argv[1], sys.argv[2]
    units, extra = shoreline(d) if mode == "shoreline" else parcels(d)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    total = sum(v for k, v in phases.items() if k in ("read", "verify", "transects", "intersect", "statistics", "class areas + eligibility", "write results"))
    for k, v in list(phases.items()) + [("total (read → write)", total)]:
        print(f"{k:36s} {v:9.3f} {units / max(v, 1e-9):12.0f}")
    print(f"peak memory {peak:.0f} MB; {extra}")
    if "--json" in sys.argv:
        json.dump({"tool": "python-peer", "mode": mode, "units": units, "peakMB": peak, "total": total, "phases": phases, **extra},
                  open(sys.argv[sys.argv.index("--json") + 1], "w"), indent=1, sort_keys=True)
    tolerance = 1e-6
    if extra.get("maxWidthDifference_m", extra.get("maxDifference", 0)) > tolerance:
        sys.exit(f"the peer's results differ from ours by {extra} (tolerance {tolerance})")
