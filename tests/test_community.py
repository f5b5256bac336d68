"""A comparison pairs runs of one community: a scenario whose residents, sections, network or
day-0 hubs differ from the baseline's is refused (exit 2, the differing keys named, how to make
an area baseline said), unless --allow-different-community, and then the report says plainly
that the pairs are not the same community."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from sim import cli
from sim.report.community import community_differences
from sim.scenario import load_scenarios
from tests.test_report import write_scenarios

TINY = ["--replicates", "2", "--days", "20", "--workers", "1"]

# a ward of its own: more residents, two sections, its own hubs, and an intervention
WARD = """
extends = "baseline.toml"
name = "My ward with a cafe"
description = "A ward of 300 residents in two sections, with a new cafe."
[population]
n_residents = 300
[[population.sections]]
name = "old"
share = 0.6
[[population.sections]]
name = "new"
share = 0.4
[[hubs]]
name = "hall"
location = "boundary"
[[interventions]]
type = "third_space"
start_day = 5
"""


def _main(argv, capsys):
    code = cli.main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_different_community_is_refused_with_the_keys_and_the_way_out(tmp_path, capsys):
    paths = write_scenarios(tmp_path / "scenarios")
    ward = tmp_path / "scenarios" / "ward.toml"
    ward.write_text(WARD)
    out = tmp_path / "results"
    code, stdout, err = _main(["compare", paths[0], ward, *TINY, "--out", out], capsys)
    assert code == 2 and stdout == ""
    assert f"{ward}: not the same community as the baseline" in err
    assert "population.n_residents (baseline 200, this scenario 300)" in err
    assert ("population.sections (baseline: long_standing, newcomers, students; this "
            "scenario: old, new)") in err
    assert "hubs (baseline: library, cafe, garden; this scenario: hall)" in err
    assert "python run.py new-area NAME" in err and "--allow-different-community" in err
    # what to remove comes first (a user check's option already extended its area baseline)
    assert "An option that changes these settings of the baseline describes another place: " \
        "remove them from it" in err
    assert not out.exists()  # nothing was run or written


def test_with_the_flag_it_runs_and_the_report_says_the_pairs_differ(tmp_path, capsys):
    paths = write_scenarios(tmp_path / "scenarios")
    ward = tmp_path / "scenarios" / "ward.toml"
    ward.write_text(WARD)
    out = tmp_path / "results"
    code, stdout, err = _main(["compare", paths[0], ward, paths[1], *TINY, "--out", out,
                               "--allow-different-community"], capsys)
    assert code == 0, err
    assert "warning:" in err and "not the same community" in err
    report = Path(stdout.strip().splitlines()[-1])
    page = report.read_text()
    box = page[page.index("id='different-community'"):]
    box = box[:box.index("</div>")]
    assert "These pairs are not the same community" in box
    assert "My ward with a cafe" in box and "population.n_residents" in box
    assert "Palatable activity" not in box  # the option on the same community is not named
    # the warning comes before the decision card
    assert page.index("id='different-community'") < page.index("id='decision'")
    manifest = json.loads((report.parent / "manifest.json").read_text())
    assert set(manifest["different_community"]) == {"My ward with a cafe"}


def test_interventions_and_settings_outside_the_community_are_not_differences(tmp_path):
    paths = write_scenarios(tmp_path / "scenarios")
    rules = tmp_path / "scenarios" / "rules.toml"
    rules.write_text('extends = "baseline.toml"\nname = "More needs"\n[rules]\n'
                     'p_need = 0.02\n')
    net = tmp_path / "scenarios" / "net.toml"
    net.write_text('extends = "baseline.toml"\nname = "Mixed"\n[network]\n'
                   'share_bridging = 0.3\n')
    base, activity, bridging, more_needs, mixed = load_scenarios(
        [str(p) for p in [*paths, rules, net]])
    assert community_differences(base, activity) == []
    assert community_differences(base, bridging) == []
    assert community_differences(base, more_needs) == []  # a behaviour setting, not a place
    assert community_differences(base, mixed) == [
        "network.share_bridging (baseline 0.12, this scenario 0.3)"]


def test_the_main_job_refuses_a_folder_with_a_different_community(tmp_path, capsys):
    folder = tmp_path / "scenarios"
    write_scenarios(folder)
    (folder / "ward.toml").write_text(WARD.replace("n_residents = 300", ""))
    code, _, err = _main(["--scenarios", folder, "--out", tmp_path / "results", *TINY],
                         capsys)
    # the main job sets every scenario to 1,000 residents, but sections and hubs differ
    assert code == 2 and "population.sections" in err and "hubs" in err
    assert "population.n_residents" not in err


# an option of the baseline's community but another size, as the live page saves one when its
# Residents are moved (a user check: 10,200 against 1,000)
BIGGER = """
extends = "activity.toml"
name = "Activity, for a bigger place"
[population]
n_residents = 900
"""


def test_a_size_set_aside_by_residents_for_all_is_said_before_the_runs_and_in_the_report(
        tmp_path, capsys):
    """A user check saw an option saved at 10,200 residents run at 1,000 by the compare page
    and the main job, unsaid, and the report name it best beside its description's
    "residents 1,000 -> 10,200". With a size for every scenario (--residents) the comparison
    runs, and the command line, the report and the manifest say whose size was set aside;
    an option of the baseline's own size is not named."""
    from sim.report.community import sizes_set_aside

    paths = write_scenarios(tmp_path / "scenarios")
    bigger = tmp_path / "scenarios" / "bigger.toml"
    bigger.write_text(BIGGER)
    # as loaded, the sizes differ: refused as another community, not set aside
    loaded = load_scenarios([str(paths[0]), str(bigger)])
    assert community_differences(*loaded) and sizes_set_aside(loaded) == {}
    out = tmp_path / "results"
    code, stdout, err = _main(["compare", paths[0], bigger, paths[1], *TINY, "--residents",
                               "150", "--out", out], capsys)
    assert code == 0, err
    said = [line for line in err.splitlines() if "describes a community of" in line]
    assert said == [f"warning: {bigger}: 'Activity, for a bigger place' describes a community "
                    "of 900 residents and the baseline one of 200; every scenario here runs "
                    "at 150 residents, so both files' sizes are set aside: its effects are "
                    "those of its programmes in a community of 150"]
    report = Path(stdout.strip().splitlines()[-1])
    page = report.read_text()
    box = html.unescape(page[page.index("id='size-set-aside'"):])
    box = box[:box.index("</p>")]
    assert ("the files describe communities of different sizes (the baseline 200 residents; "
            "\u2018Activity, for a bigger place\u2019 900); every option here ran at 150 "
            "residents") in box
    assert "Palatable" not in box
    assert page.index("id='size-set-aside'") < page.index("id='decision'")
    manifest = json.loads((report.parent / "manifest.json").read_text())
    assert manifest["sizes_set_aside"] == {
        "Activity, for a bigger place": {"file": 900, "baseline_file": 200}}


def test_files_run_at_another_size_than_theirs_are_said_in_the_report(tmp_path, capsys):
    """A user check ran an area of 1,500 residents through the main job, at 1,000: the
    terminal said so, and the report showed 1,000 beside the area's embedded
    n_residents = 1500, unexplained. Its cautions say it; at the files' own size they do
    not."""
    paths = write_scenarios(tmp_path / "scenarios")
    for residents, out in (("150", tmp_path / "smaller"), (None, tmp_path / "own")):
        extra = ["--residents", residents] if residents else []
        code, stdout, err = _main(["compare", paths[0], paths[1], *TINY, *extra, "--out",
                                   out], capsys)
        assert code == 0, err
        report = Path(stdout.strip().splitlines()[-1])
        page = html.unescape(report.read_text())
        words = re.sub(r"<[^>]+>", "", page)
        manifest = json.loads((report.parent / "manifest.json").read_text())
        if residents:
            # said where the residents are, not in the cautions above the card (which must
            # leave it on a phone's first screen: a browser test)
            assert ("Every scenario ran at 150 residents, the size this job was given; the "
                    "files describe a community of 200, so the effects are those of the "
                    "programmes in a community of 150.") in words
            assert page.index("id='size-in-files'") > page.index("id='decision'")
            assert "150 (file: 200)" in words
            assert manifest["residents_in_files"] == {"Baseline": 200,
                                                      "Palatable activity": 200}
        else:
            assert "id='size-in-files'" not in page and "(file: " not in words
            assert manifest["residents_in_files"] == {}
        assert "id='size-set-aside'" not in page  # the files agree with each other
