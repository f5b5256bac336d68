"""A scenario file brought by the user may only extend one offered here, and gets the loader's
messages naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.app.uploads import UploadError, check_upload
from tests.app_scenarios import WARD, scenario_folder


@pytest.fixture
def scenario_dir(tmp_path) -> Path:
    """The test scenarios (tests/app_scenarios.py)."""
    return scenario_folder(tmp_path / "scenarios")


def test_an_upload_may_only_extend_a_scenario_offered_here(scenario_dir, tmp_path):
    keep = tmp_path / "keep"
    keep.mkdir()
    up = check_upload("ward.toml", WARD.encode(), scenario_dir, keep)
    assert up.scenario.name == "My ward"
    assert [iv.type_name for iv in up.scenario.interventions] == ["one_to_ones"]
    assert up.path.is_file() and keep in up.path.parents
    bad_parent = WARD.replace('extends = "small.toml"', 'extends = "../../etc/hosts"')
    with pytest.raises(UploadError, match="may only extend a scenario offered here"):
        check_upload("ward.toml", bad_parent.encode(), scenario_dir, keep)
    with pytest.raises(UploadError, match="no extends"):
        check_upload("ward.toml", b'name = "Alone"\n', scenario_dir, keep)
    # what to write instead, with the offered file the path named where there is one (a user
    # check: refused without a word on how to mend it)
    with pytest.raises(UploadError, match='write extends = "baseline.toml" as its first'):
        check_upload("ward.toml", b'name = "Alone"\n', scenario_dir, keep)
    with pytest.raises(UploadError, match='change it to extends = "small.toml"'):
        check_upload("ward.toml", WARD.replace('extends = "small.toml"',
                                               'extends = "../scenarios/small.toml"').encode(),
                     scenario_dir, keep)
    with pytest.raises(UploadError, match="ends in .toml"):
        check_upload("ward.txt", WARD.encode(), scenario_dir, keep)
    with pytest.raises(UploadError, match="TOML syntax error"):
        check_upload("ward.toml", b"name = \n", scenario_dir, keep)
    with pytest.raises(UploadError, match="not UTF-8"):
        check_upload("ward.toml", b"name = \"\xff\"\n", scenario_dir, keep)
    with pytest.raises(UploadError, match="already the name"):
        check_upload("ward.toml", WARD.encode(), scenario_dir, keep, taken_names=["My ward"])


@pytest.mark.parametrize(("data", "looks"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00", "a PNG image (its first bytes say so)"),
    (b"\x1f\x8b\x08\x00\x00\x00", "a gzip-compressed file (its first bytes say so)"),
    (b"<!doctype html><html><body>report</body></html>", "a web page or other markup"),
    (bytes(range(256)) * 4, "a binary file, not text"),
])
def test_an_upload_that_is_no_scenario_is_said_to_be_none(scenario_dir, tmp_path, data,
                                                          looks):
    """A user check: an image or a report's page renamed .toml was told "not UTF-8 text ...
    save it as UTF-8" or "TOML syntax error", where run.py says it is no scenario file."""
    with pytest.raises(UploadError) as err:
        check_upload("ward.toml", data, scenario_dir, tmp_path)
    assert str(err.value).startswith(
        "ward.toml: this is not a scenario file (a .toml file of the project's form; see "
        "docs/SCENARIOS.md): it looks like " + looks), err.value
    # text in another encoding is still told how to save it
    with pytest.raises(UploadError, match="not UTF-8 text .*save the file as UTF-8"):
        check_upload("ward.toml", 'name = "Caf\u00e9"\n'.encode("latin-1"), scenario_dir,
                     tmp_path)


def test_an_uploads_problems_are_the_loaders_messages_naming_the_file(scenario_dir, tmp_path):
    wrong = WARD.replace("organisers = 20", "organisers = -4\norganizers = 3")
    with pytest.raises(UploadError) as err:
        check_upload("ward.toml", wrong.encode(), scenario_dir, tmp_path)
    text = str(err.value)
    assert "ward.toml: interventions[0].organisers: -4 is out of range" in text
    assert "did you mean 'organisers'?" in text
    assert str(tmp_path) not in text  # no server paths in the message


def test_an_upload_has_the_size_limit_of_every_scenario_file(scenario_dir, tmp_path):
    """A user check: the page refused a file over 256 KB while docs/SCENARIOS.md says a
    scenario file may be 1 MB. The page uses the loader's limit and words."""
    from sim.scenario.reading import MAX_FILE_BYTES

    padded = WARD + "#" * 299_000 + "\n"  # over the page's old 256 KB
    assert check_upload("ward.toml", padded.encode(), scenario_dir, tmp_path).scenario
    with pytest.raises(UploadError, match=r"ward\.toml: is too large to be a scenario file "
                       r"\(1\.0 MB; the limit is 1\.0 MB"):
        check_upload("ward.toml", b"#" * (MAX_FILE_BYTES + 1), scenario_dir, tmp_path)


@pytest.mark.parametrize("data", [b"", b"\n  \n", b"# only a comment\n"])
def test_an_emptied_upload_is_said_to_be_empty(scenario_dir, tmp_path, data):
    """A user check: emptying an uploaded file in the page's editor gave "(got no
    extends)" rather than saying the file is empty."""
    with pytest.raises(UploadError) as err:
        check_upload("ward.toml", data, scenario_dir, tmp_path)
    assert str(err.value).startswith(
        'ward.toml: file has no settings (it is empty, or only comments and blank lines); a '
        'scenario needs at least name = "...", and an uploaded one also extends = "..." a '
        'scenario offered here: '), err.value
