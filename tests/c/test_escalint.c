/* C tests of libescalint, against include/escalint.h only (docs/c-api.md).
 *
 * usage: test_escalint MANIFEST POLICY_FILE EXPECTED_VERSION [THREADS CALLS_PER_THREAD]
 *
 * MANIFEST is written by `cargo run -p escalint-c --example core_answers` (the Rust core's
 * answers for the example cases); POLICY_FILE is core/policy/default.json. Run by
 * scripts/test-c.sh, plainly, under AddressSanitizer+UBSan and under valgrind. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>

#include "escalint.h"
#include "check.h"

static const char *manifest_path;
static const char *policy_path;
static const char *expected_version;
static int thread_count = 8;
static int calls_per_thread = 1000;

static const char *RECORD =
    "{\"id\": \"ESC-C-1\", \"procedure\": \"leadership_request\","
    " \"opened_at\": \"2026-11-20T09:15:00-05:00\"}";
static const char *NOW = "2026-11-21T09:00:00-05:00";
static const char *PROPOSAL =
    "{\"closed_by\": {\"agent_id\": \"ag-1\", \"role\": \"resolution_care_back_office\"},"
    " \"basis\": \"resolved\", \"resolved_by\": \"INSTALLS Inc\","
    " \"final_responsibility\": \"customer\", \"reason\": \"Opened in error\", \"notes\": \"n\"}";
/* "caf\xe9": Latin-1, not UTF-8. */
static const char *NOT_UTF8 = "{\"id\": \"caf\xe9\"}";

/* ---- the golden cases: the core's answers ------------------------------------------- */

enum question { VALIDATE, NEXT_STEPS, CAN_CLOSE };

struct golden {
    enum question question;
    char *record;
    char *now; /* NULL: none */
    char *proposal; /* NULL: none */
    char *expected;
    char *source;
};

static struct golden *goldens;
static size_t golden_count;

static char *dup_or_null(const char *field) {
    return strcmp(field, "-") == 0 ? NULL : strdup(field);
}

static int load_goldens(void) {
    char *text = read_file(manifest_path);
    if (text == NULL) {
        fprintf(stderr, "cannot read manifest %s\n", manifest_path);
        return -1;
    }
    size_t lines = 0;
    for (char *p = text; *p; p++) lines += *p == '\n';
    goldens = calloc(lines + 1, sizeof *goldens);
    char *save_line = NULL;
    for (char *line = strtok_r(text, "\n", &save_line); line; line = strtok_r(NULL, "\n", &save_line)) {
        char *fields[6] = {0};
        char *save_field = NULL;
        int n = 0;
        for (char *f = strtok_r(line, "\t", &save_field); f && n < 6; f = strtok_r(NULL, "\t", &save_field)) fields[n++] = f;
        if (n != 6) {
            fprintf(stderr, "bad manifest line (%d fields)\n", n);
            free(text);
            return -1;
        }
        struct golden *g = &goldens[golden_count++];
        g->question = strcmp(fields[0], "validate") == 0 ? VALIDATE : strcmp(fields[0], "next_steps") == 0 ? NEXT_STEPS : CAN_CLOSE;
        g->record = read_file(fields[1]);
        g->now = dup_or_null(fields[2]);
        g->proposal = strcmp(fields[3], "-") == 0 ? NULL : read_file(fields[3]);
        g->expected = read_file(fields[4]);
        g->source = strdup(fields[5]);
        if (g->record == NULL || g->expected == NULL || (strcmp(fields[3], "-") != 0 && g->proposal == NULL)) {
            fprintf(stderr, "unreadable file in manifest line for %s\n", fields[5]);
            free(text);
            return -1;
        }
    }
    free(text);
    return 0;
}

static void free_goldens(void) {
    for (size_t i = 0; i < golden_count; i++) {
        free(goldens[i].record);
        free(goldens[i].now);
        free(goldens[i].proposal);
        free(goldens[i].expected);
        free(goldens[i].source);
    }
    free(goldens);
}

static int ask(const escalint_engine *engine, const struct golden *g, char **out) {
    switch (g->question) {
    case VALIDATE: return escalint_validate(engine, g->record, g->now, out);
    case NEXT_STEPS: return escalint_next_steps(engine, g->record, g->now, out);
    default: return escalint_can_close(engine, g->record, g->proposal, g->now, out);
    }
}

static const char *question_name(enum question q) {
    return q == VALIDATE ? "validate" : q == NEXT_STEPS ? "next_steps" : "can_close";
}

/* Every golden case gives the core's exact bytes through `engine`. */
static void check_goldens(const escalint_engine *engine) {
    CHECK(golden_count > 0);
    for (size_t i = 0; i < golden_count; i++) {
        const struct golden *g = &goldens[i];
        char *out = NULL;
        int rc = ask(engine, g, &out);
        CHECK_MSG(rc == ESCALINT_OK, "%s %s: rc %d", question_name(g->question), g->source, rc);
        CHECK_MSG(out != NULL && strcmp(out, g->expected) == 0, "%s %s (proposal: %s):\n    C:    %s\n    Rust: %s",
                  question_name(g->question), g->source, g->proposal ? "yes" : "no", out ? out : "(null)", g->expected);
        escalint_string_free(out);
    }
}

/* ---- tests -------------------------------------------------------------------------- */

static void test_version_is_static_and_matches_the_crate(void) {
    const char *v = escalint_version();
    CHECK(v != NULL);
    CHECK_MSG(v != NULL && strcmp(v, expected_version) == 0, "got %s, expected %s", v ? v : "(null)", expected_version);
    CHECK(escalint_version() == v); /* the same static string every time: never freed */
}

static void test_status_codes_are_distinct_and_negative(void) {
    int codes[] = {ESCALINT_ERR_NULL_ARGUMENT, ESCALINT_ERR_INVALID_UTF8, ESCALINT_ERR_BAD_NOW, ESCALINT_ERR_INTERNAL};
    CHECK(ESCALINT_OK == 0);
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        CHECK(codes[i] < 0);
        for (size_t j = 0; j < i; j++) CHECK(codes[i] != codes[j]);
    }
    escalint_status s = ESCALINT_ERR_BAD_NOW;
    CHECK((int)s == -3);
}

static void test_engine_new_and_free(void) {
    escalint_engine *a = escalint_engine_new();
    escalint_engine *b = escalint_engine_new();
    CHECK(a != NULL && b != NULL && a != b);
    escalint_engine_free(a);
    escalint_engine_free(b);
    escalint_engine_free(NULL); /* ignored */
}

static void test_string_free_null_is_ignored(void) {
    escalint_string_free(NULL);
    CHECK(1);
}

static void test_golden_answers_equal_the_rust_core(void) {
    escalint_engine *engine = escalint_engine_new();
    check_goldens(engine);
    escalint_engine_free(engine);
    printf("     (%zu answers compared with the Rust core)\n", golden_count);
}

static void test_validate_answers_a_report(void) {
    escalint_engine *engine = escalint_engine_new();
    char *out = NULL;
    CHECK(escalint_validate(engine, RECORD, NOW, &out) == ESCALINT_OK);
    CHECK_CONTAINS(out, "{\"id\":\"ESC-C-1\",\"valid\":");
    CHECK_CONTAINS(out, "\"policy_version\":\"2021-08-12\"");
    CHECK_CONTAINS(out, "\"violations\":[");
    escalint_string_free(out);
    escalint_engine_free(engine);
}

static void test_next_steps_answers_a_plan(void) {
    escalint_engine *engine = escalint_engine_new();
    char *out = NULL;
    CHECK(escalint_next_steps(engine, RECORD, NOW, &out) == ESCALINT_OK);
    CHECK_CONTAINS(out, "{\"id\":\"ESC-C-1\",\"state\":\"");
    CHECK_CONTAINS(out, "\"steps\":[");
    escalint_string_free(out);
    escalint_engine_free(engine);
}

static void test_can_close_with_and_without_proposal(void) {
    escalint_engine *engine = escalint_engine_new();
    char *out = NULL;
    CHECK(escalint_can_close(engine, RECORD, PROPOSAL, NOW, &out) == ESCALINT_OK);
    CHECK_CONTAINS(out, "{\"id\":\"ESC-C-1\",\"allowed\":");
    escalint_string_free(out);
    /* No proposal and no closing in the record: a report saying there is nothing to judge. */
    out = NULL;
    CHECK(escalint_can_close(engine, RECORD, NULL, NOW, &out) == ESCALINT_OK);
    CHECK_CONTAINS(out, "\"allowed\":false");
    CHECK_CONTAINS(out, "\"rule\":\"REC002\"");
    CHECK_CONTAINS(out, "\"path\":\"/closing\"");
    escalint_string_free(out);
    escalint_engine_free(engine);
}

static void test_null_now_means_default(void) {
    escalint_engine *engine = escalint_engine_new();
    char *out = NULL;
    CHECK(escalint_validate(engine, RECORD, NULL, &out) == ESCALINT_OK);
    CHECK_CONTAINS(out, "\"id\":\"ESC-C-1\"");
    escalint_string_free(out);
    out = NULL;
    CHECK(escalint_next_steps(engine, RECORD, NULL, &out) == ESCALINT_OK);
    escalint_string_free(out);
    out = NULL;
    CHECK(escalint_can_close(engine, RECORD, PROPOSAL, NULL, &out) == ESCALINT_OK);
    escalint_string_free(out);
    escalint_engine_free(engine);
}

static void test_invalid_record_is_a_report_not_an_error(void) {
    escalint_engine *engine = escalint_engine_new();
    const char *bad[] = {"", "{not json", "[1,2]", "null", "\"a string\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *out = NULL;
        CHECK_MSG(escalint_validate(engine, bad[i], NOW, &out) == ESCALINT_OK, "record %s", bad[i]);
        CHECK_CONTAINS(out, "\"valid\":false");
        CHECK_CONTAINS(out, "\"rule\":\"REC001\"");
        escalint_string_free(out);
        out = NULL;
        CHECK(escalint_next_steps(engine, bad[i], NOW, &out) == ESCALINT_OK);
        CHECK_CONTAINS(out, "\"rule\":\"REC001\"");
        escalint_string_free(out);
        out = NULL;
        CHECK(escalint_can_close(engine, bad[i], NULL, NOW, &out) == ESCALINT_OK);
        CHECK_CONTAINS(out, "\"allowed\":false");
        escalint_string_free(out);
    }
    escalint_engine_free(engine);
}

static void test_bad_proposal_is_a_report(void) {
    escalint_engine *engine = escalint_engine_new();
    char *out = NULL;
    CHECK(escalint_can_close(engine, RECORD, "{\"basis\": ", NOW, &out) == ESCALINT_OK);
    CHECK_CONTAINS(out, "\"allowed\":false");
    CHECK_CONTAINS(out, "\"path\":\"/closing\"");
    CHECK_CONTAINS(out, "the proposed closing");
    escalint_string_free(out);
    escalint_engine_free(engine);
}

/* An error answer: the code returned, and *out = {"error": {"code", "name", "message"}}. */
static void check_error(int rc, char *out, int code, const char *name, const char *message_part) {
    char prefix[96];
    snprintf(prefix, sizeof prefix, "{\"error\":{\"code\":%d,\"name\":\"%s\",\"message\":\"", code, name);
    CHECK_MSG(rc == code, "rc %d, expected %d (%s)", rc, code, name);
    CHECK_MSG(out != NULL && strncmp(out, prefix, strlen(prefix)) == 0, "got %s, expected prefix %s", out ? out : "(null)", prefix);
    CHECK_CONTAINS(out, message_part);
    CHECK_MSG(out != NULL && strcmp(out + strlen(out) - 3, "\"}}") == 0, "not closed: %s", out ? out : "(null)");
    escalint_string_free(out);
}

/* Run `call` (which writes to `&out`), then check its error answer. */
#define EXPECT_ERROR(call, code, message_part)                                       \
    do {                                                                             \
        char *out = NULL;                                                            \
        int rc = (call);                                                             \
        check_error(rc, out, code, #code, message_part);                             \
    } while (0)

static void test_null_engine(void) {
    EXPECT_ERROR(escalint_validate(NULL, RECORD, NOW, &out), ESCALINT_ERR_NULL_ARGUMENT, "engine is NULL");
    EXPECT_ERROR(escalint_next_steps(NULL, RECORD, NOW, &out), ESCALINT_ERR_NULL_ARGUMENT, "engine is NULL");
    EXPECT_ERROR(escalint_can_close(NULL, RECORD, NULL, NOW, &out), ESCALINT_ERR_NULL_ARGUMENT, "engine is NULL");
}

static void test_null_record(void) {
    escalint_engine *engine = escalint_engine_new();
    EXPECT_ERROR(escalint_validate(engine, NULL, NOW, &out), ESCALINT_ERR_NULL_ARGUMENT, "record_json is NULL");
    EXPECT_ERROR(escalint_next_steps(engine, NULL, NOW, &out), ESCALINT_ERR_NULL_ARGUMENT, "record_json is NULL");
    EXPECT_ERROR(escalint_can_close(engine, NULL, PROPOSAL, NOW, &out), ESCALINT_ERR_NULL_ARGUMENT, "record_json is NULL");
    escalint_engine_free(engine);
}

static void test_null_out_returns_the_code_and_writes_nothing(void) {
    escalint_engine *engine = escalint_engine_new();
    CHECK(escalint_validate(engine, RECORD, NOW, NULL) == ESCALINT_ERR_NULL_ARGUMENT);
    CHECK(escalint_next_steps(engine, RECORD, NOW, NULL) == ESCALINT_ERR_NULL_ARGUMENT);
    CHECK(escalint_can_close(engine, RECORD, NULL, NOW, NULL) == ESCALINT_ERR_NULL_ARGUMENT);
    CHECK(escalint_validate(NULL, NULL, NULL, NULL) == ESCALINT_ERR_NULL_ARGUMENT);
    escalint_engine_free(engine);
}

static void test_out_is_overwritten_not_freed(void) {
    /* *out may hold garbage on entry: the library never reads or frees it. */
    escalint_engine *engine = escalint_engine_new();
    char *out = (char *)(uintptr_t)0xdeadbeef;
    CHECK(escalint_validate(engine, RECORD, NOW, &out) == ESCALINT_OK);
    CHECK(out != (char *)(uintptr_t)0xdeadbeef);
    escalint_string_free(out);
    out = (char *)(uintptr_t)0xdeadbeef;
    CHECK(escalint_validate(engine, RECORD, "soon", &out) == ESCALINT_ERR_BAD_NOW);
    CHECK(out != (char *)(uintptr_t)0xdeadbeef);
    escalint_string_free(out);
    escalint_engine_free(engine);
}

static void test_invalid_utf8(void) {
    escalint_engine *engine = escalint_engine_new();
    EXPECT_ERROR(escalint_validate(engine, NOT_UTF8, NOW, &out), ESCALINT_ERR_INVALID_UTF8, "record_json is not valid UTF-8: invalid byte 0xe9 at offset 11");
    EXPECT_ERROR(escalint_next_steps(engine, NOT_UTF8, NOW, &out), ESCALINT_ERR_INVALID_UTF8, "record_json is not valid UTF-8");
    EXPECT_ERROR(escalint_can_close(engine, NOT_UTF8, NULL, NOW, &out), ESCALINT_ERR_INVALID_UTF8, "record_json is not valid UTF-8");
    EXPECT_ERROR(escalint_can_close(engine, RECORD, NOT_UTF8, NOW, &out), ESCALINT_ERR_INVALID_UTF8, "proposal_json is not valid UTF-8");
    EXPECT_ERROR(escalint_validate(engine, RECORD, "2026-11-21T09:00:00\xff", &out), ESCALINT_ERR_INVALID_UTF8, "now is not valid UTF-8");
    /* A truncated multi-byte sequence (the first two bytes of a 3-byte character). */
    EXPECT_ERROR(escalint_next_steps(engine, "{\"id\": \"\xe6\x9d\"}", NOW, &out), ESCALINT_ERR_INVALID_UTF8, "offset 8");
    escalint_engine_free(engine);
}

static void test_bad_now(void) {
    escalint_engine *engine = escalint_engine_new();
    const char *bad[] = {"", "yesterday", "2026-11-21T09:00:00", "2026-11-21", "2026-13-40T09:00:00Z", "2026-11-21 09:00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        EXPECT_ERROR(escalint_validate(engine, RECORD, bad[i], &out), ESCALINT_ERR_BAD_NOW, "is not an RFC 3339 timestamp with an offset");
        EXPECT_ERROR(escalint_next_steps(engine, RECORD, bad[i], &out), ESCALINT_ERR_BAD_NOW, "now: ");
        EXPECT_ERROR(escalint_can_close(engine, RECORD, PROPOSAL, bad[i], &out), ESCALINT_ERR_BAD_NOW, "now: ");
    }
    /* A huge `now` is refused without being echoed back. */
    char *huge = malloc(100001);
    memset(huge, '9', 100000);
    huge[100000] = '\0';
    char *out = NULL;
    int rc = escalint_validate(engine, RECORD, huge, &out);
    CHECK(out != NULL && strlen(out) < 300);
    check_error(rc, out, ESCALINT_ERR_BAD_NOW, "ESCALINT_ERR_BAD_NOW", "now is 100000 bytes long");
    free(huge);
    /* Quotes and backslashes in the echoed text stay valid JSON (escaped). */
    EXPECT_ERROR(escalint_validate(engine, RECORD, "\"\\", &out), ESCALINT_ERR_BAD_NOW, "\\\"\\\"\\\\\\\"");
    escalint_engine_free(engine);
}

static void test_argument_checks_come_in_a_fixed_order(void) {
    /* engine, then record, then proposal, then now: the first problem is reported. */
    escalint_engine *engine = escalint_engine_new();
    EXPECT_ERROR(escalint_can_close(NULL, NULL, NOT_UTF8, "bad", &out), ESCALINT_ERR_NULL_ARGUMENT, "engine");
    EXPECT_ERROR(escalint_can_close(engine, NOT_UTF8, NOT_UTF8, "bad", &out), ESCALINT_ERR_INVALID_UTF8, "record_json");
    EXPECT_ERROR(escalint_can_close(engine, RECORD, NOT_UTF8, "bad", &out), ESCALINT_ERR_INVALID_UTF8, "proposal_json");
    EXPECT_ERROR(escalint_can_close(engine, RECORD, "{", "bad", &out), ESCALINT_ERR_BAD_NOW, "\\\"bad\\\"");
    escalint_engine_free(engine);
}

/* The default policy file with the first `old` replaced by `new` (NULL if not found). */
static char *policy_replacing(const char *old, const char *new) {
    char *text = read_file(policy_path);
    if (text == NULL) return NULL;
    char *at = strstr(text, old);
    if (at == NULL) {
        free(text);
        return NULL;
    }
    size_t len = strlen(text) - strlen(old) + strlen(new) + 1;
    char *result = malloc(len);
    snprintf(result, len, "%.*s%s%s", (int)(at - text), text, new, at + strlen(old));
    free(text);
    return result;
}

static void test_from_policy_uses_the_given_policy(void) {
    char *policy = policy_replacing("\"version\": \"2021-08-12\"", "\"version\": \"c-test-7\"");
    CHECK_MSG(policy != NULL, "cannot read %s or find its version", policy_path);
    if (policy == NULL) return;
    char *error = (char *)(uintptr_t)0xdeadbeef;
    escalint_engine *engine = escalint_engine_from_policy(policy, &error);
    free(policy);
    CHECK(engine != NULL);
    CHECK(error == NULL); /* set to NULL on success */
    char *out = NULL;
    CHECK(escalint_validate(engine, RECORD, NOW, &out) == ESCALINT_OK);
    CHECK_CONTAINS(out, "\"policy_version\":\"c-test-7\"");
    escalint_string_free(out);
    escalint_engine_free(engine);

    /* error_out may be NULL. */
    policy = read_file(policy_path);
    engine = escalint_engine_from_policy(policy, NULL);
    free(policy);
    CHECK(engine != NULL);
    escalint_engine_free(engine);
}

static void test_from_policy_embedded_text_gives_the_same_answers(void) {
    char *policy = read_file(policy_path);
    CHECK(policy != NULL);
    if (policy == NULL) return;
    char *error = NULL;
    escalint_engine *engine = escalint_engine_from_policy(policy, &error);
    free(policy);
    CHECK(engine != NULL && error == NULL);
    check_goldens(engine);
    escalint_engine_free(engine);
}

static void check_policy_refused(const char *policy, const char *message_part) {
    char *error = NULL;
    escalint_engine *engine = escalint_engine_from_policy(policy, &error);
    CHECK_MSG(engine == NULL, "policy accepted: %.60s", policy ? policy : "(null)");
    CHECK_CONTAINS(error, message_part);
    escalint_string_free(error);
    escalint_engine_free(engine);
    /* Without error_out: still refused, nothing written, no leak. */
    engine = escalint_engine_from_policy(policy, NULL);
    CHECK(engine == NULL);
    escalint_engine_free(engine);
}

static void test_from_policy_refuses_bad_policies(void) {
    check_policy_refused(NULL, "policy_json is NULL");
    check_policy_refused("{\"version\": \"caf\xe9\"}", "policy_json is not valid UTF-8");
    check_policy_refused("{not json", "policy is not valid JSON");
    check_policy_refused("[]", "no policy given");
    check_policy_refused("42", "policy");
    check_policy_refused("{\"version\": \"x\"}", "policy");
    /* A real policy with one threshold of the wrong type: refused whole. */
    char *policy = policy_replacing("\"update_interval_hours\": 24", "\"update_interval_hours\": \"a day\"");
    CHECK_MSG(policy != NULL, "cannot read %s or find update_interval_hours", policy_path);
    if (policy != NULL) check_policy_refused(policy, "update_interval_hours");
    free(policy);
}

/* ---- arbitrary input never crashes ---------------------------------------------------- */

static uint64_t rng_state = 0x2545F4914F6CDD1DULL;

static uint32_t next_random(void) { /* xorshift64*: fixed seed, reproducible */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

/* A copy of `text` with a few bytes overwritten, inserted or cut (never a NUL). */
static char *mutate(const char *text) {
    size_t len = strlen(text);
    char *copy = malloc(len + 9);
    memcpy(copy, text, len + 1);
    int edits = 1 + (int)(next_random() % 4);
    for (int e = 0; e < edits && len > 0; e++) {
        size_t at = next_random() % len;
        char byte = (char)(1 + next_random() % 255);
        switch (next_random() % 3) {
        case 0: copy[at] = byte; break;
        case 1: copy[at] = '\0'; len = at; break; /* truncate */
        default: memmove(copy + at + 1, copy + at, len - at + 1); copy[at] = byte; len++; break;
        }
        if (len + 2 > strlen(text) + 8) break;
    }
    return copy;
}

static void test_with_rules_runs_only_the_selected_rules(void) {
    /* A closed installs case without events: the timeliness rules fire unless deselected. */
    const char *record =
        "{\"id\":\"SEL-1\",\"procedure\":\"installs_escalation\",\"opened_at\":\"2026-11-20T09:15:00-05:00\","
        "\"order\":{\"id\":\"O-1\"},\"escalation\":{\"damage_claim\":false},"
        "\"closing\":{\"closed_at\":\"2026-11-23T09:00:00-05:00\",\"closed_by\":{\"role\":\"TRA\"},"
        "\"basis\":\"resolved\",\"resolved_by\":\"INSTALLS Inc\",\"final_responsibility\":\"customer\","
        "\"reason\":\"Site not prepared\"}}";
    escalint_engine *all = escalint_engine_new();
    char *error = (char *)(uintptr_t)0xdeadbeef;
    escalint_engine *closing = escalint_engine_with_rules(all, "CL", NULL, &error);
    CHECK(closing != NULL);
    CHECK(error == NULL);
    char *out = NULL;
    CHECK(escalint_validate(all, record, NULL, &out) == ESCALINT_OK);
    CHECK_CONTAINS(out, "\"rule\":\"TM001\"");
    CHECK_CONTAINS(out, "\"rule\":\"CL007\"");
    escalint_string_free(out);
    CHECK(escalint_validate(closing, record, NULL, &out) == ESCALINT_OK);
    CHECK_MSG(out != NULL && strstr(out, "\"rule\":\"TM") == NULL, "TM finding under select CL: %s", out);
    CHECK_CONTAINS(out, "\"rule\":\"CL007\"");
    escalint_string_free(out);
    escalint_engine *quiet = escalint_engine_with_rules(all, "CL", " CL007 ", NULL);
    CHECK(quiet != NULL);
    CHECK(escalint_validate(quiet, record, NULL, &out) == ESCALINT_OK);
    CHECK_CONTAINS(out, "\"violations\":[]");
    escalint_string_free(out);
    escalint_engine_free(quiet);
    escalint_engine_free(closing);
    /* An entry that names no rule is refused with the closest; a NULL engine too. */
    CHECK(escalint_engine_with_rules(all, "CLL", NULL, &error) == NULL);
    CHECK_CONTAINS(error, "closest: CL");
    escalint_string_free(error);
    CHECK(escalint_engine_with_rules(NULL, "CL", NULL, &error) == NULL);
    CHECK_CONTAINS(error, "engine is NULL");
    escalint_string_free(error);
    escalint_engine_free(all);
}

static void test_mutated_input_never_crashes(void) {
    escalint_engine *engine = escalint_engine_new();
    int unexpected = 0;
    for (int i = 0; i < 1500; i++) {
        const struct golden *g = &goldens[(size_t)i % golden_count];
        char *record = mutate(g->record);
        char *now = mutate(i % 2 ? NOW : "2026-11-20T09:15:00Z");
        char *proposal = mutate(PROPOSAL);
        char *out = NULL;
        int rc;
        switch (i % 3) {
        case 0: rc = escalint_validate(engine, record, i % 5 ? NULL : now, &out); break;
        case 1: rc = escalint_next_steps(engine, record, i % 5 ? NULL : now, &out); break;
        default: rc = escalint_can_close(engine, record, proposal, i % 5 ? NULL : now, &out); break;
        }
        /* A report, or a refused argument; never an internal fault, and always an answer. */
        if (!(rc == ESCALINT_OK || rc == ESCALINT_ERR_INVALID_UTF8 || rc == ESCALINT_ERR_BAD_NOW) || out == NULL ||
            (rc == ESCALINT_OK) != (out[0] == '{' && strncmp(out, "{\"error\":", 9) != 0)) {
            if (unexpected++ < 3) fprintf(stderr, "  rc %d for mutated %s: %.200s\n", rc, g->source, out ? out : "(null)");
        }
        escalint_string_free(out);
        free(record);
        free(now);
        free(proposal);
    }
    CHECK_MSG(unexpected == 0, "%d unexpected answers", unexpected);
    escalint_engine_free(engine);
}

/* ---- many threads, one engine --------------------------------------------------------- */

struct worker {
    const escalint_engine *engine;
    int index;
    int calls;
    int mismatches;
    int errors;
};

static void *work(void *arg) {
    struct worker *w = arg;
    for (int k = 0; k < w->calls; k++) {
        const struct golden *g = &goldens[((size_t)w->index * 7 + (size_t)k) % golden_count];
        char *out = NULL;
        int rc = ask(w->engine, g, &out);
        if (rc != ESCALINT_OK) w->errors++;
        if (out == NULL || strcmp(out, g->expected) != 0) w->mismatches++;
        escalint_string_free(out);
        /* Interleave an error path too: it must not disturb the others. */
        if (k % 50 == 0) {
            out = NULL;
            if (escalint_validate(w->engine, g->record, "not a time", &out) != ESCALINT_ERR_BAD_NOW) w->errors++;
            escalint_string_free(out);
        }
    }
    return NULL;
}

static void test_many_threads_share_one_engine(void) {
    escalint_engine *engine = escalint_engine_new();
    pthread_t threads[64];
    struct worker workers[64];
    int n = thread_count > 64 ? 64 : thread_count;
    for (int i = 0; i < n; i++) {
        workers[i] = (struct worker){engine, i, calls_per_thread, 0, 0};
        CHECK(pthread_create(&threads[i], NULL, work, &workers[i]) == 0);
    }
    int mismatches = 0, errors = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(threads[i], NULL);
        mismatches += workers[i].mismatches;
        errors += workers[i].errors;
    }
    CHECK_MSG(mismatches == 0, "%d answers differed from the core's", mismatches);
    CHECK_MSG(errors == 0, "%d unexpected return codes", errors);
    printf("     (%d threads x %d calls on one engine)\n", n, calls_per_thread);
    escalint_engine_free(engine);
}

int main(int argc, char **argv) {
    if (argc != 4 && argc != 6) {
        fprintf(stderr, "usage: %s MANIFEST POLICY_FILE EXPECTED_VERSION [THREADS CALLS_PER_THREAD]\n", argv[0]);
        return 2;
    }
    manifest_path = argv[1];
    policy_path = argv[2];
    expected_version = argv[3];
    if (argc == 6) {
        thread_count = atoi(argv[4]);
        calls_per_thread = atoi(argv[5]);
    }
    if (load_goldens() != 0) return 2;

    RUN_TEST(test_version_is_static_and_matches_the_crate);
    RUN_TEST(test_status_codes_are_distinct_and_negative);
    RUN_TEST(test_engine_new_and_free);
    RUN_TEST(test_string_free_null_is_ignored);
    RUN_TEST(test_golden_answers_equal_the_rust_core);
    RUN_TEST(test_validate_answers_a_report);
    RUN_TEST(test_next_steps_answers_a_plan);
    RUN_TEST(test_can_close_with_and_without_proposal);
    RUN_TEST(test_null_now_means_default);
    RUN_TEST(test_invalid_record_is_a_report_not_an_error);
    RUN_TEST(test_bad_proposal_is_a_report);
    RUN_TEST(test_null_engine);
    RUN_TEST(test_null_record);
    RUN_TEST(test_null_out_returns_the_code_and_writes_nothing);
    RUN_TEST(test_out_is_overwritten_not_freed);
    RUN_TEST(test_invalid_utf8);
    RUN_TEST(test_bad_now);
    RUN_TEST(test_argument_checks_come_in_a_fixed_order);
    RUN_TEST(test_from_policy_uses_the_given_policy);
    RUN_TEST(test_from_policy_embedded_text_gives_the_same_answers);
    RUN_TEST(test_from_policy_refuses_bad_policies);
    RUN_TEST(test_with_rules_runs_only_the_selected_rules);
    RUN_TEST(test_mutated_input_never_crashes);
    RUN_TEST(test_many_threads_share_one_engine);

    free_goldens();
    return finish_tests("test_escalint");
}
