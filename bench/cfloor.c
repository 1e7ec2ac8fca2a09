/* The C floor of the GEOS-per-transect approach: read the beach with shapelib, index its
 * polygons in a GEOS STRtree, and intersect each transect (read from DIR/transects.f64, as
 * written by `ecocredit-bench shoreline KM --keep DIR`) with the polygons its envelope meets.
 * Prints phase times, peak memory and the largest difference from our widths (ours-widths.f64).
 *
 *   cc -O2 cfloor.c $(pkg-config --cflags --libs geos shapelib) -o cfloor && ./cfloor DIR [JSON]
 */
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
#include <shapefil.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

typedef struct { GEOSContextHandle_t h; const GEOSGeometry *line; double sum; } Acc;
static void visit(void *item, void *userdata) {
    Acc *a = userdata;
    GEOSGeometry *piece = GEOSIntersection_r(a->h, (GEOSGeometry *)item, a->line);
    double len = 0;
    if (piece) { GEOSLength_r(a->h, piece, &len); GEOSGeom_destroy_r(a->h, piece); }
    a->sum += len;
}

static double *read_f64(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb"); if (!f) return NULL;
    fseek(f, 0, SEEK_END); long bytes = ftell(f); fseek(f, 0, SEEK_SET);
    double *v = malloc(bytes); *n = fread(v, sizeof(double), bytes / sizeof(double), f); fclose(f);
    return v;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: cfloor DIR [JSON]\n"); return 2; }
    char path[4096];
    GEOSContextHandle_t h = GEOS_init_r();
    double t0 = now();
    snprintf(path, sizeof path, "%s/beach.shp", argv[1]);
    SHPHandle shp = SHPOpen(path, "rb");
    if (!shp) { fprintf(stderr, "cannot open %s\n", path); return 1; }
    int count, type; SHPGetInfo(shp, &count, &type, NULL, NULL);
    GEOSGeometry **polys = calloc(count, sizeof *polys);
    for (int i = 0; i < count; i++) {
        SHPObject *o = SHPReadObject(shp, i);
        int n = (o->nParts > 1 ? o->panPartStart[1] : o->nVertices);   /* the bench's polygons have one ring */
        GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, n, 2);
        for (int k = 0; k < n; k++) GEOSCoordSeq_setXY_r(h, cs, k, o->padfX[k], o->padfY[k]);
        polys[i] = GEOSGeom_createPolygon_r(h, GEOSGeom_createLinearRing_r(h, cs), NULL, 0);
        SHPDestroyObject(o);
    }
    SHPClose(shp);
    size_t nt; snprintf(path, sizeof path, "%s/transects.f64", argv[1]);
    double *t = read_f64(path, &nt); nt /= 4;
    double tRead = now() - t0;

    double t1 = now();
    GEOSSTRtree *tree = GEOSSTRtree_create_r(h, 10);
    for (int i = 0; i < count; i++) GEOSSTRtree_insert_r(h, tree, polys[i], polys[i]);
    double *w = calloc(nt, sizeof *w);
    for (size_t i = 0; i < nt; i++) {
        GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, 2, 2);
        GEOSCoordSeq_setXY_r(h, cs, 0, t[4 * i], t[4 * i + 1]); GEOSCoordSeq_setXY_r(h, cs, 1, t[4 * i + 2], t[4 * i + 3]);
        GEOSGeometry *line = GEOSGeom_createLineString_r(h, cs);
        Acc a = { h, line, 0 };
        GEOSSTRtree_query_r(h, tree, line, visit, &a);
        w[i] = a.sum;
        GEOSGeom_destroy_r(h, line);
    }
    double tIntersect = now() - t1;

    size_t no; snprintf(path, sizeof path, "%s/ours-widths.f64", argv[1]);
    double *ours = read_f64(path, &no), diff = 0;
    for (size_t i = 0; i < nt && i < no; i++) diff = fmax(diff, fabs(ours[i] - w[i]));
    struct rusage u; getrusage(RUSAGE_SELF, &u);
    printf("read                                 %9.3f\nintersect                            %9.3f %12.0f\n", tRead, tIntersect, nt / tIntersect);
    printf("total (read + intersect)             %9.3f\npeak memory %.0f MB; max width difference from ours %.3g m\n",
           tRead + tIntersect, u.ru_maxrss / 1024.0, diff);
    if (argc > 2) {
        FILE *f = fopen(argv[2], "w");
        fprintf(f, "{\"tool\": \"c-floor\", \"units\": %zu, \"peakMB\": %.1f, \"total\": %.6f, \"maxWidthDifference_m\": %.3g,"
                   " \"phases\": {\"read\": %.6f, \"intersect\": %.6f}}\n", nt, u.ru_maxrss / 1024.0, tRead + tIntersect, diff, tRead, tIntersect);
        fclose(f);
    }
    GEOSSTRtree_destroy_r(h, tree);
    for (int i = 0; i < count; i++) GEOSGeom_destroy_r(h, polys[i]);
    free(polys); free(t); free(w); free(ours);
    GEOS_finish_r(h);
    return diff > 1e-6;
}
