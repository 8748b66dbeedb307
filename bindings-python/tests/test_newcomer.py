"""What a newcomer trips over: errors carry what open() would carry, a path given where a case
or a policy was expected is named as such, and the package lists only its own names."""

import errno
import json
import types
import pathlib

import pytest

import escalint

ROOT = pathlib.Path(__file__).resolve().parents[2]
CASE = ROOT / "examples" / "cases" / "installs_escalation" / "clean.json"


def test_a_missing_file_raises_file_not_found_with_filename_and_errno(tmp_path):
    missing = tmp_path / "nope.jsonl"
    with pytest.raises(FileNotFoundError) as caught:
        escalint.validate_file(str(missing))
    assert caught.value.errno == errno.ENOENT
    assert caught.value.filename == str(missing)
    assert caught.value.strerror
    with pytest.raises(IsADirectoryError) as caught:
        escalint.validate_file(tmp_path)
    assert caught.value.errno == errno.EISDIR
    assert caught.value.filename == str(tmp_path)


def test_a_path_given_as_the_record_is_told_to_use_validate_file():
    for ask in (escalint.validate, escalint.next_steps, escalint.can_close):
        report = ask(str(CASE))
        rec001 = [v for v in report["violations"] if v["rule"] == "REC001"]
        assert rec001, report
        assert "validate_file(" in rec001[0]["hint"] and str(CASE) in rec001[0]["hint"], rec001
    # Text that is not JSON and names no file keeps the usual hint.
    report = escalint.validate("not json at all")
    assert "validate_file" not in (report["violations"][0].get("hint") or "")
    # The file's own text is read as the case it is.
    assert escalint.validate(CASE.read_text())["id"] == json.loads(CASE.read_text())["id"]


def test_a_path_given_as_the_policy_is_told_to_pass_a_pathlib_path(tmp_path):
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(escalint.policy()))
    with pytest.raises(escalint.PolicyError, match=r"is a file: pass pathlib\.Path\("):
        escalint.Engine(policy=str(policy))
    assert escalint.Engine(policy=policy).validate(CASE.read_text())["valid"] in (True, False)


def test_the_package_lists_only_its_own_names():
    # A submodule another test imported (escalint.spark, which needs pyspark) becomes an
    # attribute of the package; it is reached as escalint.spark, never through `import *`.
    public = {
        name
        for name in dir(escalint)
        if not name.startswith("_") and not isinstance(getattr(escalint, name), types.ModuleType)
    }
    assert public <= set(escalint.__all__), public - set(escalint.__all__)
    for typing_name in ("List", "Literal", "Optional", "TypedDict", "Any", "Union", "Dict"):
        assert typing_name not in public
    for name in escalint.__all__:
        assert hasattr(escalint, name), name
