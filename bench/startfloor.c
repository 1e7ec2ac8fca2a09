/* The start-up floor of any program that uses the C libraries ecocredit links (GEOS's C API,
 * PROJ, shapelib, SQLite, as Debian packages them): `startfloor` only starts and exits (the
 * kernel's exec and the dynamic loader binding every library: Debian links them BIND_NOW, and
 * PROJ brings libcurl, libtiff and 30 more); `startfloor contexts` also makes the C state every
 * measuring run makes: a GEOS context and a PROJ context with ecocredit's search path. Nothing
 * more: a run on the CGCS2000 Gauss–Krüger zones creates no PROJ object at all (its CRSs and
 * their operations are table entries, and PROJ 9.1 opens and parses proj.db — another 3.5 ms —
 * for any `proj_create`, even of a plain PROJ string).
 * bench/whole.py times both beside `ecocredit --version` and the 1 km run, to show how much of
 * a run's fixed cost no program linking these libraries can avoid.
 *
 *   cc -O2 bench/startfloor.c $(pkg-config --cflags --libs geos proj shapelib sqlite3) -o startfloor
 */
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
#include <proj.h>
#include <shapefil.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "contexts") == 0) {
        GEOSContextHandle_t g = GEOS_init_r();
        PJ_CONTEXT *c = proj_context_create();
        const char *path = "/usr/share/proj";
        if (!g || !c) { fprintf(stderr, "startfloor: a context could not be made\n"); return 1; }
        proj_context_set_search_paths(c, 1, &path);
        proj_context_destroy(c);
        GEOS_finish_r(g);
    } else if (argc > 1) {
        /* Never taken by the bench: names one function of shapelib and SQLite so that the
         * linker keeps them as dependencies, as ecocredit's are. */
        SHPHandle h = SHPOpen(argv[1], "rb");
        if (h) SHPClose(h);
        puts(sqlite3_libversion());
    }
    return 0;
}
