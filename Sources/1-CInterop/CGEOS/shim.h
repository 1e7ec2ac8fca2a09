// Only the reentrant (_r) GEOS C API. A module map cannot define macros, so the define lives here.
// GEOS 3.11 still leaks ~15 deprecated non-reentrant names through this define; `make lint`
// (part of `make test`) rejects any use of them in Sources/.
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
