"""Is a comparison paired on the same community? The keys in which two scenarios' communities
differ, outside their interventions.

A paired comparison runs replicate ``i`` of every scenario with the same seed, so that the
same residents, ties and chance events meet each scenario's interventions; the difference of
a pair is then due to the interventions. That holds only when the scenarios describe the same
community: the same residents, sections, network and the hubs that exist from day 0. When
they do not (a ward of 3,000 residents in two sections against the shipped baseline of 1,000
in three), each pair compares two different places, and the "effect" mixes the interventions
with the difference between the places.

The command line refuses such a comparison unless told otherwise, and the report says
plainly that the pairs are not the same community.
"""

from __future__ import annotations

import dataclasses

# the parts of a scenario that describe the community (sim.params.ModelParams fields), with
# the name a scenario file gives them
COMMUNITY_PARTS = {"population": "population", "network": "network", "hubs": "hubs"}
# lists compared by their names first, and what else can differ in them
NAMED_LISTS = {"population.sections": "different shares or settings",
               "hubs": "different places, capacity, days or palatability"}
# (a user check was told to make an area baseline for a file that already extended one, and
# only changed n_residents: what to remove comes first)
HOW_TO_FIX = ("An option that changes these settings of the baseline describes another "
              "place: remove them from it, so that it changes only its interventions. Or "
              "compare scenarios that extend one area baseline: make one with "
              "'python run.py new-area NAME' (it writes NAME/baseline.toml describing the area "
              "as it is, and an intervention file that extends it), then compare that "
              "baseline with files that extend it and change only their interventions "
              "(docs/SCENARIOS.md, 'An area of your own'). To run this comparison anyway, "
              "add --allow-different-community.")


def _short(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return ""


def _diff(a, b, key: str, out: list[str]) -> None:
    if a == b:
        return
    if key in NAMED_LISTS:  # lists of named things: say which, or that their settings differ
        names_a = [x.name for x in a]
        names_b = [x.name for x in b]
        if names_a != names_b:
            out.append(f"{key} (baseline: {', '.join(names_a) or 'none'}; this scenario: "
                       f"{', '.join(names_b) or 'none'})")
        else:
            out.append(f"{key} (same names, {NAMED_LISTS[key]})")
        return
    if dataclasses.is_dataclass(a) and dataclasses.is_dataclass(b) and type(a) is type(b):
        for f in dataclasses.fields(a):
            _diff(getattr(a, f.name), getattr(b, f.name), f"{key}.{f.name}", out)
        return
    va, vb = _short(a), _short(b)
    out.append(f"{key} (baseline {va}, this scenario {vb})" if va and vb else key)


def community_differences(baseline, scenario) -> list[str]:
    """The community keys (residents, sections, network, hubs from day 0) in which
    ``scenario`` differs from ``baseline``, each with the two values where short."""
    out: list[str] = []
    for attr, key in COMMUNITY_PARTS.items():
        _diff(getattr(baseline.model, attr), getattr(scenario.model, attr), key, out)
    return out


def confounded(scenarios) -> dict[str, list[str]]:
    """{scenario name: differing keys} for every scenario whose community differs from the
    first (the baseline)."""
    base = scenarios[0]
    out = {}
    for s in scenarios[1:]:
        diff = community_differences(base, s)
        if diff:
            out[s.name] = diff
    return out


# -- a community of one group -----------------------------------------------------------------

# the measures of what passes between a resident's section and the others (sim/metrics.py):
# in a community of one section there are no others, so trust in other groups stays at its
# starting level, no tie bridges groups and all help is within the section, and the trust
# gap moves only as trust in one's own group does. A user check found a one-section area's
# card led by "Trust other groups 36.1% → 36.1%" and its option "better" on the trust gap.
BETWEEN_GROUPS = ("trust_out_group", "trust_gap", "bridging_ties_share", "help_within_section",
                  "mean_trust_out_group")
# why they are not measured, said where a result would otherwise stand
ONE_GROUP_WORDS = "this community has one group (a single section)"


def one_group(scenarios) -> bool:
    """Whether every scenario's community is of one section."""
    return all(len(s.model.population.sections) <= 1 for s in scenarios)


def not_applicable(scenarios) -> frozenset[str]:
    """The measures that cannot move in the scenarios' community: those between groups
    (:data:`BETWEEN_GROUPS`) where every scenario has one section; none otherwise (a
    comparison allowed across communities, one of which has several, measures them)."""
    return frozenset(BETWEEN_GROUPS) if one_group(scenarios) else frozenset()


# -- a size set aside ---------------------------------------------------------------------------

def file_residents(scenario) -> int:
    """The residents ``scenario``'s files describe (its merged definition, before any
    override of the run's residents: --residents, the main job's size, the compare page's
    Residents), or the model's default where none of them says."""
    from sim.params import PopulationParams

    given = ((scenario.definition or {}).get("population") or {}).get("n_residents")
    return int(given) if isinstance(given, int | float) and not isinstance(given, bool) \
        else PopulationParams().n_residents


def sizes_set_aside(scenarios) -> dict[str, tuple[int, int]]:
    """{option name: (the residents its files describe, the baseline's files')} for each
    option (after the first, the baseline) whose files describe another size of community
    than the baseline's and that runs at the baseline's size all the same: a size given for
    every scenario (--residents, the main job's, the compare page's) set the file's aside.
    A user check saved a setup of 10,200 residents on the live page; the compare page and the
    main job ran it at 1,000 unsaid, and the report named it best beside its description,
    "residents 1,000 -> 10,200". Allowed (the size is the job's setting), and said."""
    base = scenarios[0]
    n, own_base = base.model.population.n_residents, file_residents(base)
    return {s.name: (file_residents(s), own_base) for s in scenarios[1:]
            if s.model.population.n_residents == n and file_residents(s) != own_base}


def size_set_aside_words(name: str, sizes: tuple[int, int], n: int) -> str:
    """A size set aside (:func:`sizes_set_aside`) in words, as the command line and the
    compare page say it: whichever file's size it is (a user check ran an option of 400
    residents at 400 against a baseline of 1,000, and read "not of 400")."""
    own, base = sizes
    aside = ("the baseline's size is set aside" if own == n else
             "the size in its file is set aside" if base == n else
             "both files' sizes are set aside")
    return (f"'{name}' describes a community of {own:,} residents and the baseline one of "
            f"{base:,}; every scenario here runs at {n:,} residents, so {aside}: its effects "
            f"are those of its programmes in a community of {n:,}")


def different_sizes_words(aside: dict[str, tuple[int, int]], n: int,
                          every: str = "every scenario", name=str) -> str:
    """Sizes set aside (:func:`sizes_set_aside`) for them all in one clause, as the report's
    cautions and robustness's "What was run" say it: "the files describe communities of
    different sizes (the baseline 1,000 residents; ‘Big’ 10,200); every scenario ran at
    300 residents, so ...". ``name`` writes a name for its page (the report escapes it)."""
    base = next(iter(aside.values()))[1]
    sizes = "; ".join([f"the baseline {base:,} residents"] + [
        f"\u2018{name(option)}\u2019 {own:,}" for option, (own, _) in aside.items()])
    return (f"the files describe communities of different sizes ({sizes}); {every} ran at "
            f"{n:,} residents, so the effects are those of the programmes in a community of "
            f"{n:,}")
