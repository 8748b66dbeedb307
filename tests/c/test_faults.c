/* A Rust panic never crosses into C. Linked against a library built with the
 * `fault-injection` feature, whose extra function makes every engine call panic inside
 * Rust; each entry point must turn that into ESCALINT_ERR_INTERNAL (or NULL for the
 * constructors) and stay usable afterwards. Run by scripts/test-c.sh. */
#include "escalint.h"
#include "check.h"

/* Only in the fault-injection build, deliberately not in the public header. */
void escalint_test_inject_panic(int on);

static const char *RECORD =
    "{\"id\": \"ESC-C-2\", \"procedure\": \"leadership_request\","
    " \"opened_at\": \"2026-11-20T09:15:00-05:00\"}";
static const char *NOW = "2026-11-21T09:00:00-05:00";

static void check_internal_error(int rc, char *out) {
    CHECK_MSG(rc == ESCALINT_ERR_INTERNAL, "rc %d", rc);
    CHECK_CONTAINS(out, "{\"error\":{\"code\":-4,\"name\":\"ESCALINT_ERR_INTERNAL\",\"message\":\"internal error in escalint");
    CHECK_CONTAINS(out, "injected fault");
    escalint_string_free(out);
}

static void test_a_panic_in_each_question_is_an_internal_error(void) {
    escalint_engine *engine = escalint_engine_new();
    CHECK(engine != NULL);
    escalint_test_inject_panic(1);
    char *out = NULL;
    int rc = escalint_validate(engine, RECORD, NOW, &out);
    check_internal_error(rc, out);
    out = NULL;
    rc = escalint_next_steps(engine, RECORD, NOW, &out);
    check_internal_error(rc, out);
    out = NULL;
    rc = escalint_can_close(engine, RECORD, NULL, NOW, &out);
    check_internal_error(rc, out);
    escalint_test_inject_panic(0);

    /* The same engine answers normally afterwards. */
    out = NULL;
    CHECK(escalint_validate(engine, RECORD, NOW, &out) == ESCALINT_OK);
    CHECK_CONTAINS(out, "\"id\":\"ESC-C-2\"");
    escalint_string_free(out);
    escalint_engine_free(engine);
}

static void test_argument_errors_still_come_first(void) {
    /* A bad argument is reported as such even while the engine would panic. */
    escalint_engine *engine = escalint_engine_new();
    escalint_test_inject_panic(1);
    char *out = NULL;
    CHECK(escalint_validate(engine, RECORD, "later", &out) == ESCALINT_ERR_BAD_NOW);
    escalint_string_free(out);
    escalint_test_inject_panic(0);
    escalint_engine_free(engine);
}

static void test_a_panic_while_building_an_engine_is_null(void) {
    escalint_test_inject_panic(1);
    CHECK(escalint_engine_new() == NULL);
    char *error = NULL;
    CHECK(escalint_engine_from_policy("{}", &error) == NULL);
    CHECK_CONTAINS(error, "internal error in escalint");
    CHECK_CONTAINS(error, "injected fault");
    escalint_string_free(error);
    CHECK(escalint_engine_from_policy("{}", NULL) == NULL);
    escalint_test_inject_panic(0);
    escalint_engine *engine = escalint_engine_new();
    CHECK(engine != NULL);
    escalint_engine_free(engine);
}

int main(void) {
    RUN_TEST(test_a_panic_in_each_question_is_an_internal_error);
    RUN_TEST(test_argument_errors_still_come_first);
    RUN_TEST(test_a_panic_while_building_an_engine_is_null);
    return finish_tests("test_faults");
}
