"""The live page as a widget tree (``solara.render``, no browser): the controls exist,
Step advances the day, another scenario waits for "Apply and restart", a changed
intervention is pending (highlighted Apply, header with its changes) until applied, bad
values get the loader's message and block Apply, a setup saves as a file, seeds typed as text
are coerced, and broken files are explained while the page goes on working.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

solara = pytest.importorskip("solara")
v = pytest.importorskip("ipyvuetify")
widgets = pytest.importorskip("ipywidgets")

from sim.app.live import LivePage  # noqa: E402
from sim.app.model_settings import SETTINGS  # noqa: E402
from sim.app.picture import PickablePicture  # noqa: E402
from sim.app.scenario_files import load_scenario_file  # noqa: E402
from sim.palette import WARNING_TEXT  # noqa: E402
from tests.app_scenarios import scenario_folder  # noqa: E402

WAIT = 60  # seconds: a community is built and drawn in a worker thread


@pytest.fixture
def scenario_dir(tmp_path, monkeypatch) -> Path:
    """The test scenarios (tests/app_scenarios.py) as the pickers' folder."""
    monkeypatch.setenv("KINDLINESS_SCENARIOS_DIR", str(tmp_path))
    return scenario_folder(tmp_path)


def _all_widgets(root) -> list:
    """Every widget under ``root`` (reacton's find stops at the first match of a branch)."""
    seen, out, queue = set(), [], [root]
    while queue:
        w = queue.pop(0)
        if id(w) in seen:
            continue
        seen.add(id(w))
        out.append(w)
        for name in w.keys:
            value = getattr(w, name, None)
            items = value if isinstance(value, (list, tuple)) else (
                value.values() if isinstance(value, dict) else [value])
            for item in items:
                if isinstance(item, dict):
                    item = item.get("children")
                for x in item if isinstance(item, (list, tuple)) else [item]:
                    if isinstance(x, widgets.Widget):
                        queue.append(x)
    return out


def _with_class(rc, cls: str, kind=None) -> list:
    """Widgets whose CSS classes include ``cls`` (reacton's find matches the whole string)."""
    kind = kind or v.Html
    return [w for w in _all_widgets(rc.find().widget) if isinstance(w, kind)
            and cls in (getattr(w, "class_", None) or "").split()]


def _text(rc, cls: str) -> str:
    [w] = _with_class(rc, cls)
    return w.children[0]


def _wait_text(rc, cls: str, want: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if any(w.children == [want] for w in _with_class(rc, cls)):
            return
        time.sleep(0.05)
    raise AssertionError(f"{cls}: {[w.children for w in _with_class(rc, cls)]} != {want!r}")


def _wait_for(condition) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def _image(rc, cls: str) -> bytes:
    def found():
        return [w.image for w in _all_widgets(rc.find().widget)
                if isinstance(w, PickablePicture) and cls in w.image._dom_classes]

    _wait_for(lambda: len(found()) == 1)
    return found()[0].value


def _render_live():
    box, rc = solara.render(LivePage(), handle_error=False)
    _wait_text(rc, "day-counter", "Day 0")
    return box, rc


def _html(rc) -> str:
    """The raw HTML the page shows through ``solara.HTML``."""
    return " ".join(str(getattr(w, "unsafe_innerHTML", "")) for w in
                    _all_widgets(rc.find().widget) if hasattr(w, "unsafe_innerHTML"))


def _button(rc, cls: str):
    """The one button with class ``cls`` (waiting out a render under way in another thread)."""
    _wait_for(lambda: len(_with_class(rc, cls, v.Btn)) == 1)
    return _with_class(rc, cls, v.Btn)[0]


def _type(rc, label: str, text: str) -> None:
    """Type into a field and leave it (typed values are taken on leaving)."""
    field = _field(rc, label)
    field.v_model = text
    field.fire_event("focusout")


def _field(rc, label: str):
    """The one text field labelled ``label`` (waiting out a render under way in another
    thread: after a new scenario is picked, its interventions' fields come a moment later)."""
    _wait_for(lambda: len(rc.find(v.TextField, label=label).widgets) == 1)
    return rc.find(v.TextField, label=label).widget


def _pick(rc, label: str) -> None:
    """Choose another scenario file and wait until the page has taken it (a worker thread
    may be drawing at the same moment: renders queue)."""
    rc.find(v.Select, label="Start from").widget.v_model = label
    _wait_for(lambda: "ks-pending" in _button(rc, "live-apply").class_)


# -- live page --------------------------------------------------------------------------------


def test_live_page_has_its_controls(scenario_dir):
    _, rc = _render_live()
    for cls in ("live-play", "live-step", "live-week", "live-month", "live-apply",
                "live-discard"):
        _button(rc, cls)
    picker = rc.find(v.Select, label="Start from").widget
    assert picker.items == ["Baseline (baseline.toml)",
                            "Community organising 1:1s (one_to_ones.toml)",
                            "Small estate (small.toml)"]
    rc.find(v.Select, label="Dot size shows").assert_single()
    rc.find(v.Select, label="Speed").assert_single()
    rc.find(v.Select, label="Add an intervention").assert_single()
    assert len(rc.find(v.Slider)) == len(SETTINGS)  # the model settings, under "Advanced"
    rc.find(v.TextField, label="Seed (a whole number)").assert_single()
    assert _image(rc, "live-network")[:4] == b"\x89PNG"
    assert _image(rc, "live-charts")[:4] == b"\x89PNG"
    assert _text(rc, "live-header") == "Baseline"
    assert _text(rc, "live-community").startswith("1,000 residents, seed 20261124")
    # nothing pending at the start: Apply is not highlighted
    assert "ks-pending" not in _button(rc, "live-apply").class_


def test_step_advances_the_day_and_redraws(scenario_dir):
    _, rc = _render_live()
    net0, charts0 = _image(rc, "live-network"), _image(rc, "live-charts")
    _button(rc, "live-step").click()
    _wait_text(rc, "day-counter", "Day 1")
    _button(rc, "live-week").click()
    _wait_text(rc, "day-counter", "Day 8")
    assert _image(rc, "live-network") != net0
    assert _image(rc, "live-charts") != charts0


def test_another_scenario_waits_for_apply_then_runs_with_its_ghost(scenario_dir):
    _, rc = _render_live()
    _pick(rc, "Small estate (small.toml)")
    # the model settings follow the chosen file; the run does not change until Apply
    rc.find(v.Html, children=["Residents: 300"]).assert_single()
    assert _text(rc, "live-header") == "Baseline"
    assert len(_with_class(rc, "live-pending-note")) == 1
    _button(rc, "live-apply").click()
    _wait_text(rc, "live-header", "Small estate")
    assert _text(rc, "live-community").startswith("300 residents")
    assert _text(rc, "live-interventions") == "Interventions: Palatable activity: days 2-60"
    assert "ks-pending" not in _button(rc, "live-apply").class_
    _wait_for(lambda: "Difference today" in _html(rc))  # the ghost baseline's numbers


def test_changing_an_intervention_is_pending_until_applied(scenario_dir):
    _, rc = _render_live()
    _pick(rc, "Small estate (small.toml)")
    _button(rc, "live-apply").click()
    _wait_text(rc, "live-header", "Small estate")
    _type(rc, "Places per session", "55")
    _wait_for(lambda: _with_class(rc, "live-pending-note"))
    _wait_for(lambda: "ks-pending" in _button(rc, "live-apply").class_)
    assert _text(rc, "live-header") == "Small estate"  # still the running setup
    _button(rc, "live-apply").click()
    _wait_text(rc, "live-header", "Small estate + 1 change")
    _wait_text(rc, "day-counter", "Day 0")


def _discard_says(rc) -> str | None:
    """What "Discard changes" gives back, said on hover; None while it is off."""
    button = _button(rc, "live-discard")
    return None if button.disabled else (button.attributes or {}).get("title", "")


def test_discard_is_on_while_anything_is_pending_and_gives_back_the_setup_running(
        scenario_dir):
    """A user check: after choosing another file under Start from the page said "not applied
    yet", and Discard was off (Apply was the only way out). Discard is on whenever anything
    is pending and gives back the setup running, its Start from choice, changes and seed;
    when the setup running is its file with changes, it gives back the file as it is."""
    _, rc = _render_live()
    assert _discard_says(rc) is None  # the file as it is, running: nothing to discard
    _pick(rc, "Community organising 1:1s (one_to_ones.toml)")
    assert _discard_says(rc) == "Back to Baseline, as it runs"
    _button(rc, "live-discard").click()
    _wait_for(lambda: rc.find(v.Select, label="Start from").widget.v_model
              == "Baseline (baseline.toml)")
    _wait_for(lambda: "ks-pending" not in _button(rc, "live-apply").class_)
    assert not _with_class(rc, "live-pending-note")
    assert _discard_says(rc) is None

    # the setup running has a change; another change and a seed, then Discard: the setup
    # running again (not the file as it is), then, Discard again, the file as it is
    _pick(rc, "Small estate (small.toml)")
    _type(rc, "Places per session", "55")
    # (each edit waits for the page to have it: a handler of the render before would undo it)
    _wait_for(lambda: _field(rc, "Scenario name").v_model == "Small estate + 1 change")
    _button(rc, "live-apply").click()
    _wait_text(rc, "live-header", "Small estate + 1 change")
    assert _discard_says(rc) == "Back to Small estate as its file has it"
    # nothing waits: the button says what it does, not "Discard changes" (a user check read
    # it as changes still waiting after Apply)
    assert "Back to the file as it is" in str(_button(rc, "live-discard").children)
    _type(rc, "Places per session", "60")
    _wait_for(lambda: _discard_says(rc) == "Back to Small estate + 1 change, as it runs")
    rc.find(v.TextField, label="Seed (a whole number)").widget.v_model = "9"
    _wait_for(lambda: _field(rc, "Scenario name").v_model == "Small estate + 2 changes")
    _button(rc, "live-discard").click()
    _wait_for(lambda: _field(rc, "Places per session").v_model == "55")
    assert _field(rc, "Seed (a whole number)").v_model == str(
        load_scenario_file(scenario_dir / "small.toml").run.seed)
    _wait_for(lambda: "ks-pending" not in _button(rc, "live-apply").class_)
    assert _discard_says(rc) == "Back to Small estate as its file has it"
    _button(rc, "live-discard").click()
    _wait_for(lambda: _field(rc, "Places per session").v_model != "55")
    _wait_for(lambda: "ks-pending" in _button(rc, "live-apply").class_)
    assert _discard_says(rc) == "Back to Small estate + 1 change, as it runs"
    rc.close()


def test_a_bad_value_gets_the_loaders_message_and_blocks_apply(scenario_dir):
    _, rc = _render_live()
    _pick(rc, "Small estate (small.toml)")
    _type(rc, "Start day", "soon")
    _wait_for(lambda: _field(rc, "Start day").error)
    assert _field(rc, "Start day").messages == ["expected a whole number, got 'soon'"]
    _wait_for(lambda: _button(rc, "live-apply").disabled)


def _red_fields(rc) -> list[str]:
    return [w.label for w in rc.find(v.TextField).widgets if w.error]


def _to_fix(rc) -> list[str]:
    """The line above "Apply and restart" that counts the problems to fix (none: [])."""
    return [w.children[0] for w in _all_widgets(rc.find().widget) if isinstance(w, v.Html)
            and w.children and str(w.children[0]).endswith(" to fix before applying (shown "
                                                            "in red above).")]


def test_the_problems_to_fix_are_the_fields_marked_red_the_seed_among_them(scenario_dir):
    """A user check: a bad seed turned its field red and blocked Apply, and no "problems to
    fix" line came; with Organisers -5 as well it said "1 problem" beside two red fields.
    The line counts what is red, the seed too; a warning (an end after the run: it runs
    to the end) is said at its field in the warnings' colour, neither red nor counted."""
    _, rc = _render_live()
    _pick(rc, "Community organising 1:1s (one_to_ones.toml)")
    rc.find(v.TextField, label="Seed (a whole number)").widget.v_model = "-3"
    _wait_for(lambda: _red_fields(rc))
    _wait_for(lambda: _to_fix(rc) == ["1 problem to fix before applying (shown in red above)."])
    assert _red_fields(rc) == ["Seed (a whole number)"]
    assert _button(rc, "live-apply").disabled
    _type(rc, "Organisers", "-5")
    _wait_for(lambda: _to_fix(rc) == ["2 problems to fix before applying (shown in red "
                                      "above)."])
    _type(rc, "End day", "900")  # after the run's 730 days: a warning
    _type(rc, "Conversations per week", "-1")
    _wait_for(lambda: _to_fix(rc) == ["3 problems to fix before applying (shown in red "
                                      "above)."])
    assert sorted(_red_fields(rc)) == ["Conversations per week", "Organisers",
                                       "Seed (a whole number)"]
    [box] = [w for w in _all_widgets(rc.find().widget)
             if "field-end_day" in (getattr(w, "class_", None) or "").split()]
    [warning] = [w for w in _all_widgets(box) if isinstance(w, v.Html) and w.children
                 and str(w.children[0]).startswith("warning: ends on day 900")]
    assert f"color:{WARNING_TEXT}" in warning.style_, warning.style_
    rc.find(v.TextField, label="Seed (a whole number)").widget.v_model = "7"
    _type(rc, "Organisers", "5")
    _type(rc, "Conversations per week", "5")
    _wait_for(lambda: _to_fix(rc) == [])
    assert _red_fields(rc) == []
    _wait_for(lambda: not _button(rc, "live-apply").disabled)  # a warning blocks nothing
    rc.close()


def test_a_number_typed_with_an_exponent_reads_as_typed_and_is_checked_against_its_range(
        scenario_dir):
    """A user check typed 1e9 into Organisers (whole numbers, 0 to 1,000) and read
    "1000000000.0", with "expected a whole number, got 1000000000.0": it is the whole number
    1000000000, shown so, and out of range. In a field that takes fractions it shows as one
    (.0), and is out of range there too."""
    _, rc = _render_live()
    _pick(rc, "Community organising 1:1s (one_to_ones.toml)")
    _type(rc, "Organisers", "1e9")
    _wait_for(lambda: _field(rc, "Organisers").error)
    assert _field(rc, "Organisers").v_model == "1000000000"
    assert _field(rc, "Organisers").messages == [
        "1000000000 is out of range: must be between 0 and 1,000 (organisers per 1,000 "
        "residents)"]
    _type(rc, "Organisers", "25.0")  # a whole number written as a decimal: whole
    _wait_for(lambda: not _field(rc, "Organisers").error)
    assert _field(rc, "Organisers").v_model == "25"
    _type(rc, "Conversations per week", "1e9")
    _wait_for(lambda: _field(rc, "Conversations per week").error)
    assert _field(rc, "Conversations per week").v_model == "1000000000.0"
    [message] = _field(rc, "Conversations per week").messages
    assert message.startswith("1000000000 is out of range: must be between 0 and 100"), message
    rc.close()


def test_a_bad_item_in_a_list_gets_its_message_at_the_field(scenario_dir):
    """A user check: a commitment mistyped in the 1:1s' Commitments blocked Apply with "1
    problem to fix (shown in red above)", and no field showed it: the loader names the
    whole intervention ("cannot be built: unknown commitment 'visitt'"). It is shown at the
    field holding 'visitt', as "unknown commitment 'visitt'; ..." alone. The list is shown
    as typed, not as Python's ['join', ...], and read back from that."""
    _, rc = _render_live()
    _pick(rc, "Community organising 1:1s (one_to_ones.toml)")
    assert _field(rc, "Commitments").v_model == "join, visit, ask, offer"
    _type(rc, "Commitments", '["join", "visitt"]')
    _wait_for(lambda: _field(rc, "Commitments").error)
    [message] = _field(rc, "Commitments").messages
    # just what is wrong: not the loader's "cannot be built:" (a user check)
    assert message.startswith("unknown commitment 'visitt'; did you mean 'visit'? "), message
    _wait_for(lambda: _button(rc, "live-apply").disabled)
    _type(rc, "Commitments", "join, visit")
    _wait_for(lambda: not _field(rc, "Commitments").error)
    _wait_for(lambda: not _button(rc, "live-apply").disabled)
    assert _field(rc, "Commitments").v_model == "join, visit"
    _field(rc, "Chance a 1:1 ends in a public commitment")  # labelled in words
    rc.close()


def test_a_new_hub_and_an_extended_one_both_set_is_said_at_extend_hub(scenario_dir):
    """A new hub and an existing hub's extra days both set: the loader names the key
    (interventions[0].extend_hub; it named the whole intervention, "cannot be built: ...",
    shown in the card), so the message is at the field, not in the card."""
    from sim.app.draft import Draft
    from sim.app.panel import InterventionCard
    from sim.scenario.loader import intervention_registry

    base = load_scenario_file(scenario_dir / "baseline.toml")
    draft = Draft.of(base).with_added("third_space")
    draft = draft.with_value(0, "extend_hub", "library").with_table(
        0, "hub", {"name": "cafe9", "location": "boundary"})
    check = draft.check()
    _, rc = solara.render(InterventionCard(0, draft, lambda d: None, check, base,
                                           intervention_registry()), handle_error=False)
    said = [w.children[0] for w in _with_class(rc, "iv-problem")]
    assert said == [], said
    [message] = check.for_key("interventions[0].extend_hub")
    assert message.startswith("set either hub (a new hub) or extend_hub"), message
    [box] = [w for w in _all_widgets(rc.find().widget)
             if "field-extend_hub" in (getattr(w, "class_", None) or "").split()]
    assert any(getattr(w, "children", None) == [message] for w in _all_widgets(box))
    rc.close()


def test_a_new_hub_added_shows_the_hub_it_opens_in_plain_words(scenario_dir):
    """A user check added "A new hub or third space": its card showed "Hub: set one"
    unticked, "Extend hub (not set)", a stray "hub name" and "Name / identifier", and not
    the hub that was to open."""
    from sim.app.draft import Draft
    from sim.app.panel import InterventionCard
    from sim.scenario.loader import intervention_registry

    base = load_scenario_file(scenario_dir / "baseline.toml")
    draft = Draft.of(base).with_added("third_space")
    _, rc = solara.render(InterventionCard(0, draft, lambda d: None, draft.check(), base,
                                           intervention_registry()), handle_error=False)
    [box] = rc.find(v.Checkbox, label="Open a new hub").widgets
    assert box.v_model is True
    [summary] = [w.children[0] for w in _with_class(rc, "ks-hub-summary")]
    assert summary == ("Opens “community space”, a community cafe between the sections, for "
                       "30 visitors a day per 1,000 residents, open Mon, Wed, Fri and Sat."),\
        summary
    labels = [getattr(w, "label", None) for w in _all_widgets(rc.find().widget)]
    assert "Extend hub" not in labels and "Extra open days" not in labels
    assert {"Short name", "Name of the new hub", "Where it sits"} <= set(labels), labels
    assert labels.index("Name of the new hub") < labels.index("Kind of place")
    texts = [str(getattr(w, "children", [""])[0]) for w in _all_widgets(rc.find().widget)
             if isinstance(getattr(w, "children", None), list) and w.children]
    texts += [str(getattr(w, "messages", "")) for w in _all_widgets(rc.find().widget)]
    assert not any(t in ("hub name", "identifier") for t in texts), texts
    rc.close()


def test_ticking_open_a_new_hub_again_gives_back_the_cafe_the_type_opens(scenario_dir):
    """A user check unticked "Open a new hub" and ticked it again: the hub came back as a bare
    hub's defaults (a library called "hub"), not the community cafe a third space opens."""
    from sim.app.draft import Draft
    from sim.app.panel import InterventionCard
    from sim.scenario.loader import intervention_registry

    base = load_scenario_file(scenario_dir / "baseline.toml")
    drafts = [Draft.of(base).with_added("third_space")]
    cafe = drafts[0].items[0].table["hub"]
    drafts.append(drafts[0].with_table(0, "hub", None))  # unticked

    def card():
        return solara.render(InterventionCard(0, drafts[-1], drafts.append, drafts[-1].check(),
                                              base, intervention_registry()),
                             handle_error=False)[1]

    rc = card()
    [box] = rc.find(v.Checkbox, label="Open a new hub").widgets
    assert box.v_model is False
    box.v_model = True
    assert drafts[-1].items[0].table["hub"] == cafe, drafts[-1].items[0].table["hub"]
    assert cafe["kind"] == "community cafe"
    rc.close()


def test_a_new_hubs_field_cleared_takes_the_cards_default(scenario_dir):
    """A user check cleared "Capacity" of a new hub: it came back as 40, a bare hub's
    default, not the 30 of the cafe the card opens (the intervention's own default)."""
    from sim.app.draft import Draft
    from sim.app.panel import InterventionCard
    from sim.interventions.third_space import default_new_hub
    from sim.scenario.loader import intervention_registry

    base = load_scenario_file(scenario_dir / "baseline.toml")
    drafts = [Draft.of(base).with_added("third_space")]
    drafts.append(drafts[0].with_table(0, "hub", {**drafts[0].items[0].table["hub"],
                                                  "capacity": 55}))
    _, rc = solara.render(InterventionCard(0, drafts[-1], drafts.append, drafts[-1].check(),
                                           base, intervention_registry()), handle_error=False)
    _type(rc, "Capacity", "")
    hub = drafts[-1].items[0].table["hub"]
    assert hub["capacity"] == default_new_hub().capacity == 30, hub
    assert drafts[-1].check().scenario.interventions[0].hub.capacity == 30
    rc.close()


def test_a_new_hub_for_no_visitors_is_said_to_never_open_as_a_file_is_warned(scenario_dir):
    """A user check: capacity 0 for a new hub was described as "for 0 visitors a day". A
    file may say 0 (with the loader's warning: it never opens, its cost counted); the page
    takes it as a file does, and says plainly what it means."""
    from sim.app.draft import Draft
    from sim.app.panel import InterventionCard
    from sim.scenario.loader import intervention_registry

    base = load_scenario_file(scenario_dir / "baseline.toml")
    draft = Draft.of(base).with_added("third_space")
    draft = draft.with_table(0, "hub", {**draft.items[0].table["hub"], "capacity": 0})
    check = draft.check()
    assert check.errors == [] and check.scenario is not None  # as a file: a warning only
    [warning] = check.for_key("interventions[0].hub.capacity")
    assert warning.startswith("warning: ") and "never opens" in warning
    _, rc = solara.render(InterventionCard(0, draft, lambda d: None, check, base,
                                           intervention_registry()), handle_error=False)
    [summary] = [w.children[0] for w in _with_class(rc, "ks-hub-summary")]
    assert summary == ("“community space”, a community cafe between the sections, holds no "
                       "visitors (capacity 0), so it never opens: its cost is counted all "
                       "the same; give it the visitors a day it holds."), summary
    rc.close()


def test_new_needs_say_caring_episodes_come_on_top_and_a_value_between_steps_is_said(
        scenario_dir):
    """A user check set "New needs per resident per day" to 0 and still saw needs (caring
    episodes, a setting of their own), and read 0.01097 on a slider moving by 0.001."""
    from sim.app.draft import Draft
    from sim.app.panel import AdvancedSettings

    base = load_scenario_file(scenario_dir / "baseline.toml")
    draft = Draft.of(base).with_setting("p_need", 0.01097)
    _, rc = solara.render(AdvancedSettings(draft, lambda d: None, base, draft.check()),
                          handle_error=False)
    texts = [str(w.children[0]) for w in _all_widgets(rc.find().widget)
             if isinstance(w, v.Html) and w.children]
    [need] = [t for t in texts if t.startswith("New short-term needs per resident per day")]
    assert need.endswith("(the file's value; the slider moves in steps of 0.001)"), need
    [note] = [w.children[0] for w in _with_class(rc, "note-p_need")]
    assert "Caring episodes" in note and "set both to 0" in note
    assert any(t.startswith("Caring episodes begun per resident per day: ") for t in texts)
    rc.close()
    none = draft.with_setting("p_need", 0).with_setting("p_care_episode", 0).check()
    assert (none.scenario.model.rules.p_need, none.scenario.model.rules.p_care_episode) == (
        0, 0)


def test_the_header_wraps_on_a_phone_rather_than_cut_its_words(scenario_dir):
    """A user check at 390 px read "Combined package + critical frie..." and "run of 730
    da...": cut with an ellipsis, whose whole text shows on hover, which a phone has not.
    On a narrow screen the header's lines wrap (checked in Chromium at 390 px: the name
    takes two lines, and nothing is cut)."""
    import re

    from sim.app.layout import CSS, NARROW_PX

    _, rc = _render_live()
    for cls in ("live-header", "live-community"):
        [line] = _with_class(rc, cls)
        assert "ks-wrap-narrow" in line.class_.split(), line.class_
    wide, narrow = CSS.split(f"@media (max-width: {NARROW_PX}px)")
    assert "ks-wrap-narrow" not in wide  # on a wide screen: cut, the whole on hover
    [rule] = re.findall(r"\.ks-short\.ks-wrap-narrow\s*\{\{?([^}]*)\}", narrow)
    assert "white-space:normal" in rule and "text-overflow:clip" in rule, rule
    rc.close()


def test_an_empty_resident_number_asks_for_one():
    # a user check read "No resident : choose 0 to 999." with the field empty
    from sim.app.live_view import no_resident

    assert no_resident("", 1000) == "Type a resident's number, 0 to 999, or click a dot."
    assert no_resident("  ", 1000) == no_resident("", 1000)
    assert no_resident("abc", 20_000) == "No resident abc: choose 0 to 19,999."


def test_the_setup_saves_as_a_scenario_file(scenario_dir):
    _, rc = _render_live()
    _pick(rc, "Small estate (small.toml)")
    _type(rc, "Places per session", "35")
    _wait_for(lambda: _text(rc, "live-pending-note"))
    def file_name_set():  # set again if a render that was under way put the old text back
        field = _field(rc, "File name (without .toml)")
        if field.v_model != "bigger_sessions":
            field.v_model = "bigger_sessions"
            time.sleep(0.2)
        return _field(rc, "File name (without .toml)").v_model == "bigger_sessions"

    _wait_for(file_name_set)
    _button(rc, "save-scenario").click()
    _wait_for(lambda: _with_class(rc, "save-ok", v.Alert) or _with_class(rc, "save-error",
                                                                          v.Alert))
    assert not _with_class(rc, "save-error", v.Alert), _with_class(rc, "save-error",
                                                                   v.Alert)[0].children
    saved = load_scenario_file(scenario_dir / "bigger_sessions.toml")
    assert saved.interventions[0].places_per_session == 35
    assert saved.name == "Small estate + 1 change"
    assert any("bigger_sessions.toml" in lab for lab in
               rc.find(v.Select, label="Start from").widget.items)


def test_an_areas_option_is_offered_and_runs_its_community(scenario_dir):
    """A user check: the files ``run.py new-area`` writes were not in "Start from". An
    area's option is listed with its area and runs on the area's community (its extends is
    its area's baseline)."""
    from tests.app_scenarios import area_folder

    area_folder(scenario_dir)
    _, rc = _render_live()
    label = ("Riverside ward: community cafe on the boundary "
             "(areas/riverside_ward/third_space.toml)")
    assert label in rc.find(v.Select, label="Start from").widget.items
    _pick(rc, label)
    # applied, it runs on the area's community (saving beside it: the next test, which
    # applies first; typing a field and saving at once raced the page's renders)
    _button(rc, "live-apply").click()
    _wait_for(lambda: _text(rc, "live-community").startswith("1,500 residents,"))
    rc.close()


def test_a_setup_changed_only_in_its_seed_is_said_to_save_a_copy(scenario_dir):
    """A second user check changed only the seed and saved, unwarned; compare then refused
    the file's seed and the compare page said its effects would be zero. The save fold says
    so; with another change as well it does not."""
    _, rc = _render_live()
    _pick(rc, "Small estate (small.toml)")
    _button(rc, "live-apply").click()
    _wait_text(rc, "live-header", "Small estate")
    rc.find(v.TextField, label="Seed (a whole number)").widget.v_model = "12345"
    _wait_for(lambda: _with_class(rc, "save-unchanged") and _text(
        rc, "save-unchanged").startswith("Only"))
    assert _text(rc, "save-unchanged").startswith("Only the seed differs from ")
    assert "a comparison runs all its scenarios at one seed" in _text(rc, "save-unchanged")
    _type(rc, "Places per session", "35")
    _wait_for(lambda: not _with_class(rc, "save-unchanged"))
    rc.close()


def test_an_areas_option_saved_unchanged_gets_a_name_of_its_own(scenario_dir):
    """A user check: an area's option, applied and saved with no name typed, was written
    under the option's own name (and as "Riverside_ward_....toml"), and ``run.py compare``
    of the area's three files then refused them. It is saved as "<name> (copy)", in lower
    case, the three files load together, and the message says where the pages list it (no
    command, no server path). A name a file has is refused at the name field."""
    from sim.commands.shared import run_py
    from sim.scenario.loader import validate_files
    from tests.app_scenarios import area_folder

    baseline, option = area_folder(scenario_dir)
    own = load_scenario_file(option).name
    _, rc = _render_live()
    _pick(rc, f"{own} (areas/riverside_ward/third_space.toml)")
    _button(rc, "live-apply").click()
    _wait_text(rc, "live-header", own)
    _wait_for(lambda: _field(rc, "Scenario name").v_model == f"{own} (copy)")
    assert not _field(rc, "Scenario name").error
    # unchanged: the fold says a copy runs as its file (a user check saved one, unwarned)
    assert _text(rc, "save-unchanged").startswith(
        "No changes from third_space.toml: a copy runs exactly as that file does")
    _button(rc, "save-scenario").click()
    _wait_for(lambda: _with_class(rc, "save-ok", v.Alert) or _with_class(rc, "save-error",
                                                                          v.Alert))
    assert not _with_class(rc, "save-error", v.Alert), _with_class(rc, "save-error",
                                                                   v.Alert)[0].children
    saved = option.parent / "riverside_ward_community_cafe_on_the_boundary_copy.toml"
    assert load_scenario_file(saved).name == f"{own} (copy)"
    assert [p for p in validate_files([baseline, option, saved]) if p.is_error] == []
    [ok] = _with_class(rc, "save-ok", v.Alert)
    said = str(ok.children)
    # where to find it on the pages, not a command with the server's paths (a user check
    assert "\u201cStart from\u201d list" in said and "run.py" not in said, said
    assert run_py() not in said and str(scenario_dir) not in said, said
    # the next default is another name; the option's own name, typed, is refused there
    _wait_for(lambda: _field(rc, "Scenario name").v_model == f"{own} (copy 2)")
    _field(rc, "Scenario name").v_model = own
    _wait_for(lambda: _field(rc, "Scenario name").error)
    assert _field(rc, "Scenario name").messages == [
        f"'{own}' is already the name of third_space.toml; each scenario needs its own "
        "name, so that they can be compared"]
    assert _button(rc, "save-scenario").disabled
    _field(rc, "Scenario name").v_model = "Riverside ward: the cafe again"
    _wait_for(lambda: not _button(rc, "save-scenario").disabled)
    rc.close()


def test_a_seed_typed_as_text_is_coerced_and_a_bad_seed_is_explained(scenario_dir):
    _, rc = _render_live()
    rc.find(v.TextField, label="Seed (a whole number)").widget.v_model = " 123 "
    _wait_for(lambda: "ks-pending" in _button(rc, "live-apply").class_)
    _button(rc, "live-apply").click()
    _wait_text(rc, "live-community", "1,000 residents, seed 123, run of 730 days")
    rc.find(v.TextField, label="Seed (a whole number)").widget.v_model = "twelve"
    _wait_for(lambda: _button(rc, "live-apply").disabled)
    seed_field = rc.find(v.TextField, label="Seed (a whole number)").widget
    assert seed_field.error and "not a whole number" in seed_field.messages[0]


def test_a_broken_file_is_explained_and_the_page_keeps_working(scenario_dir):
    (scenario_dir / "broken.toml").write_text('name = "Broken"\n[population]\nn_residents = 2\n')
    _, rc = _render_live()
    rc.find(v.Select, label="Start from").widget.v_model = "Broken (broken.toml)"
    _wait_for(lambda: _with_class(rc, "live-error", v.Alert))
    [error] = _with_class(rc, "live-error", v.Alert)
    assert "n_residents" in str(error.children) and "out of range" in str(error.children)
    _button(rc, "live-step").click()  # the running community goes on
    _wait_text(rc, "day-counter", "Day 1")


def test_a_broken_first_file_is_passed_over_and_explained(scenario_dir):
    """The first file offered does not load (nor the organisers' file, which extends it): the
    page starts from the first one that does and says why (without server paths)."""
    (scenario_dir / "baseline.toml").write_text(
        (scenario_dir / "baseline.toml").read_text().replace("n_residents = 1000",
                                                             "n_residents = 2"))
    _, rc = solara.render(LivePage(), handle_error=False)
    _wait_text(rc, "live-header", "Small estate")
    _wait_text(rc, "day-counter", "Day 0")
    [panel] = _with_class(rc, "live-skipped", v.Alert)
    table = " ".join(str(getattr(w, "unsafe_innerHTML", "")) for w in _all_widgets(panel))
    assert "baseline.toml" in table and "population.n_residents" in table
    assert "out of range" in table and str(scenario_dir) not in table
    _button(rc, "live-step").click()
    _wait_text(rc, "day-counter", "Day 1")


def _set_field(rc, label: str, text: str) -> None:
    """Type ``text`` into the field ``label`` (again if a render under way put the old
    text back)."""
    def landed():
        if _field(rc, label).v_model != text:
            _field(rc, label).v_model = text
            time.sleep(0.2)
        return _field(rc, label).v_model == text

    _wait_for(landed)


def test_after_a_save_the_name_field_says_it_was_saved_not_taken(scenario_dir):
    """A user check: right after saving as 'My test', the name field said "'My test' is
    already the name of my_test.toml", which read as if the save had failed."""
    _, rc = _render_live()
    _pick(rc, "Small estate (small.toml)")
    _set_field(rc, "Scenario name", "My test")
    _button(rc, "save-scenario").click()
    _wait_for(lambda: _with_class(rc, "save-ok", v.Alert) or _with_class(rc, "save-error",
                                                                          v.Alert))
    said = str(_with_class(rc, "save-ok", v.Alert)[0].children)
    assert "Saved as my_test.toml in the scenarios folder, named \u201cMy test\u201d; its " \
        "file name is made from the name." in said, said
    field = _field(rc, "Scenario name")
    assert not field.error, field.messages
    assert field.messages == ["saved as my_test.toml; to save another file, type another "
                              "scenario name here (two files may not share one)"]
    assert _button(rc, "save-scenario").disabled
    _set_field(rc, "Scenario name", "My test 2")  # another name: saved as any
    _wait_for(lambda: not _button(rc, "save-scenario").disabled)
    assert not _field(rc, "Scenario name").error
    rc.close()


def test_a_save_with_no_names_typed_says_the_names_it_used(scenario_dir):
    _, rc = _render_live()
    _pick(rc, "Small estate (small.toml)")
    _type(rc, "Places per session", "35")
    _wait_for(lambda: _field(rc, "Scenario name").v_model == "Small estate + 1 change")
    _field(rc, "Scenario name").v_model = ""  # emptied: the setup's own name is used
    _button(rc, "save-scenario").click()
    _wait_for(lambda: _with_class(rc, "save-ok", v.Alert))
    said = str(_with_class(rc, "save-ok", v.Alert)[0].children)
    assert "Saved as small_estate_1_change.toml in the scenarios folder, named " \
        "\u201cSmall estate + 1 change\u201d (the name the field offered); its file " \
        "name is made from the name." in said, said
    rc.close()


def test_the_save_note_and_names_go_when_another_setup_is_chosen(scenario_dir):
    """A user check: "Saved as ..." and the names typed stayed after switching setups."""
    _, rc = _render_live()
    _pick(rc, "Small estate (small.toml)")
    _set_field(rc, "Scenario name", "My test")
    _button(rc, "save-scenario").click()
    _wait_for(lambda: _with_class(rc, "save-ok", v.Alert))
    _pick(rc, "Community organising 1:1s (one_to_ones.toml)")
    _wait_for(lambda: _field(rc, "Scenario name").v_model == "Community organising 1:1s (copy)")
    assert not _with_class(rc, "save-ok", v.Alert)
    assert _field(rc, "File name (without .toml)").v_model == "community_organising_1_1s_copy"
    rc.close()


def test_choosing_another_file_says_which_edits_it_left_behind(scenario_dir):
    """A user check: changing "Start from" dropped the residents and seed typed, unsaid."""
    _, rc = _render_live()
    _pick(rc, "Small estate (small.toml)")
    assert not _with_class(rc, "live-set-aside", v.Alert)  # nothing was edited
    _type(rc, "Places per session", "35")
    _wait_for(lambda: _field(rc, "Scenario name").v_model == "Small estate + 1 change")
    _set_field(rc, "Seed (a whole number)", "42")
    _pick(rc, "Community organising 1:1s (one_to_ones.toml)")
    _wait_for(lambda: _with_class(rc, "live-set-aside", v.Alert))
    said = str(_with_class(rc, "live-set-aside", v.Alert)[0].children)
    assert "Your edits to Small estate were not carried over to this file: " in said, said
    assert "places per session" in said and "\u2192 35" in said, said
    assert "seed 20261124 \u2192 42" in said, said
    _button(rc, "live-apply").click()  # applied: the note has served
    _wait_for(lambda: not _with_class(rc, "live-set-aside", v.Alert))
    rc.close()


def test_what_a_save_would_refuse_is_said_as_the_names_are_typed(scenario_dir):
    """A user check: a name taken was refused as typed, but a name of 200 characters left
    Save enabled and failed only after the click; a failed save's message stayed after the
    name was put right; and the file name was cleaned unsaid ('../evil' saved as evil.toml).
    The save's own checks are made as the names are typed, in its words, Save waits, the
    file to be written is said, and a failure's message goes when a name is typed."""
    from sim.app.draft import Draft
    from sim.app.panel import SaveScenario

    draft = Draft.of(load_scenario_file(scenario_dir / "small.toml"))
    _, rc = solara.render(SaveScenario(draft, scenario_dir), handle_error=False)
    name, file = _field(rc, "Scenario name"), _field(rc, "File name (without .toml)")
    name.v_model = "x" * 200
    assert name.error and name.messages == [
        "is 200 characters long; a scenario name may have at most 80: shorten it"]
    assert _button(rc, "save-scenario").disabled
    name.v_model = "My test"
    assert not name.error and not _button(rc, "save-scenario").disabled
    assert file.messages == ["will be saved as my_test.toml in the scenarios folder"]
    file.v_model = "../evil"
    assert file.messages == ["will be saved as evil.toml in the scenarios folder: a file name "
                             "keeps letters, digits, '-' and '_' only"]
    # a file of that name made meanwhile: the save fails, and says why
    (scenario_dir / "evil.toml").write_text('name = "Someone else\'s"\n')
    _button(rc, "save-scenario").click()
    [failed] = _with_class(rc, "save-error", v.Alert)
    assert ("a file called evil.toml is already there; type another file name above (nothing "
            "was overwritten)") in str(failed.children)
    assert file.error and file.messages == [
        "a file called evil.toml is already there; type another file name above"]
    assert _button(rc, "save-scenario").disabled
    name.v_model = "My test 2"  # a name typed: the failure's message goes
    assert not _with_class(rc, "save-error", v.Alert)
    file.v_model = "evil_2"
    assert not file.error and not _button(rc, "save-scenario").disabled
    _button(rc, "save-scenario").click()
    assert _with_class(rc, "save-ok", v.Alert)
    assert load_scenario_file(scenario_dir / "evil_2.toml").name == "My test 2"
    rc.close()
