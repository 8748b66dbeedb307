/* validate: check one escalation case with libescalint.
 *
 *   cc validate.c -o validate $(pkg-config --cflags --libs escalint)
 *   ./validate case.json [NOW]        # NOW e.g. 2026-11-22T12:00:00-05:00
 *
 * Prints the report JSON; exit status 0 when the case is valid, 1 when it is not, 2 on an
 * error (unreadable file, bad NOW). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <escalint.h>

static char *read_all(FILE *f) {
    size_t cap = 1 << 16, len = 0, n;
    char *buf = malloc(cap);
    while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 == cap) {
            char *bigger = realloc(buf, cap *= 2);
            if (!bigger) { free(buf); return NULL; }
            buf = bigger;
        }
    }
    if (buf) buf[len] = '\0';
    return buf;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s CASE.json [NOW]\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    char *record = f ? read_all(f) : NULL;
    if (f) fclose(f);
    if (!record) {
        perror(argv[1]);
        return 2;
    }

    escalint_engine *engine = escalint_engine_new(); /* build once, share between threads */
    char *report = NULL;
    int rc = escalint_validate(engine, record, argc == 3 ? argv[2] : NULL, &report);
    int status;
    if (rc == ESCALINT_OK) {
        puts(report);
        status = strstr(report, ",\"valid\":true,\"policy_version\":") ? 0 : 1; /* quotes in the id are escaped */
    } else {
        fprintf(stderr, "escalint error %d: %s\n", rc, report); /* {"error": {...}} */
        status = 2;
    }
    escalint_string_free(report); /* every string from the library, on success or error */
    escalint_engine_free(engine);
    free(record);
    return status;
}
