#include "cformat.h"
#include <locale.h>
#include <pthread.h>
#include <stdio.h>

/* The "C" locale, made once and kept for the process; each call switches its own thread to it
   for the snprintf (uselocale is per thread), so that no other locale's decimal separator can
   reach a report. */
static locale_t c_locale = (locale_t)0;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static void make_c_locale(void) { c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0); }

int ecocredit_format_fixed(char *buffer, size_t size, double value, int digits) {
    pthread_once(&c_locale_once, make_c_locale);
    if (c_locale == (locale_t)0) return -1;
    locale_t previous = uselocale(c_locale);
    int n = snprintf(buffer, size, "%.*f", digits, value);
    uselocale(previous);
    return n;
}
