/* escalint_validate timed from C against the real shared library (on demand, not a test):
 *
 *   bash scripts/install-c.sh /tmp/escalint
 *   cc -O2 bindings-c/benches/validate_loop.c -o /tmp/validate_loop -Wl,-rpath,/tmp/escalint/lib \
 *      $(PKG_CONFIG_PATH=/tmp/escalint/lib/pkgconfig pkg-config --cflags --libs escalint)
 *   /tmp/validate_loop tests/c/cases/fms_contract_example.json 2026-11-22T12:00:00-05:00 20000
 *
 * Compare with `cargo run -p escalint-c --release --example validate_loop -- rust ...`. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escalint.h"

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s CASE_FILE NOW N\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 2; }
    static char record[1 << 20];
    size_t len = fread(record, 1, sizeof record - 1, f);
    fclose(f);
    record[len] = '\0';
    long n = atol(argv[3]);

    escalint_engine *engine = escalint_engine_new();
    size_t bytes = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long i = 0; i < n; i++) {
        char *out = NULL;
        if (escalint_validate(engine, record, argv[2], &out) != ESCALINT_OK) { fprintf(stderr, "%s\n", out); return 1; }
        bytes += strlen(out);
        escalint_string_free(out);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double us = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / 1e3 / (double)n;
    printf("c (shared library): %ld calls, %.2f µs per call (%zu bytes out)\n", n, us, bytes);
    escalint_engine_free(engine);
    return 0;
}
