#ifndef ECOCREDIT_CFORMAT_H
#define ECOCREDIT_CFORMAT_H
#include <stddef.h>

/// Writes `value` with `digits` decimals into `buffer` (`size` bytes, NUL-terminated), as
/// printf("%.*f") does in the "C" locale (a point, whatever locale the process is in). Returns
/// what snprintf returns: the length of the whole text, which may be `size` or more when the
/// buffer is too small (then the caller retries with a larger one), or a negative number on error.
///
/// In C because printf is variadic: Swift reaches it only through `withVaList`, whose first
/// use costs a process a conformance search of every loaded library (tenths of a millisecond).
int ecocredit_format_fixed(char *buffer, size_t size, double value, int digits);

#endif
