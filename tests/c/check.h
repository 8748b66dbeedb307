/* A minimal test harness for the C tests: CHECK records a failure and goes on; each test
 * function passes when none of its checks failed. RUN_TEST prints one line per test. */
#ifndef ESCALINT_TEST_CHECK_H
#define ESCALINT_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures_in_test;
static int tests_passed;
static int tests_failed;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            check_failures_in_test++;                                                \
            fprintf(stderr, "  FAILED %s:%d: %s\n", __FILE__, __LINE__, #cond);      \
        }                                                                            \
    } while (0)

#define CHECK_MSG(cond, ...)                                                         \
    do {                                                                             \
        if (!(cond)) {                                                               \
            check_failures_in_test++;                                                \
            fprintf(stderr, "  FAILED %s:%d: %s: ", __FILE__, __LINE__, #cond);      \
            fprintf(stderr, __VA_ARGS__);                                            \
            fprintf(stderr, "\n");                                                   \
        }                                                                            \
    } while (0)

#define CHECK_CONTAINS(haystack, needle)                                             \
    CHECK_MSG((haystack) != NULL && strstr((haystack), (needle)) != NULL,            \
              "expected to contain \"%s\", got: %s", (needle),                       \
              (haystack) ? (haystack) : "(null)")

#define RUN_TEST(fn)                                                                 \
    do {                                                                             \
        check_failures_in_test = 0;                                                  \
        fn();                                                                        \
        if (check_failures_in_test == 0) {                                           \
            tests_passed++;                                                          \
            printf("ok   %s\n", #fn);                                                \
        } else {                                                                     \
            tests_failed++;                                                          \
            printf("FAIL %s (%d checks failed)\n", #fn, check_failures_in_test);     \
        }                                                                            \
        fflush(stdout);                                                              \
    } while (0)

/* The summary line the test script adds up: "<suite>: N passed, M failed". */
static inline int finish_tests(const char *suite) {
    printf("%s: %d passed, %d failed\n", suite, tests_passed, tests_failed);
    return tests_failed == 0 ? 0 : 1;
}

/* Read a whole file into a malloc'd NUL-terminated buffer (NULL when unreadable). */
static inline char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf != NULL && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            char *bigger = realloc(buf, cap * 2);
            if (bigger == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf != NULL) buf[len] = '\0';
    return buf;
}

#endif
