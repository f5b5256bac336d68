"""Who lives in the community: its sections, their mix of orientations and starting
trust, and the lasting differences between residents.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.params.declare import param

# most sections a community may have: a resident's section is stored in one byte (int8, up to
# 127), and a chart or table per section stops being readable long before 100. Unit:
# sections; assumption (a design limit, not a finding)
MAX_SECTIONS = 100
# the day from which the simulated community has settled from its drawn starting state: over
# about its first year loneliness, trust and unmet need drift on their own (baseline medians:
# loneliness 0.3% on day 0, 7.7% by day 300; trust in other groups 36% -> 43% by day 250).
# Calibration averages after it (sim/calibration/survey.py); a verdict taken before it is
# warned of. Unit: day; source: measured on the shipped baseline (docs/CALIBRATION.md)
SETTLED_DAY = 365


@dataclass(frozen=True)
class Section:
    """A section of the community (e.g. long-standing residents, newer arrivals, students)."""

    name: str = param("residents", unit="name", doc="section name, used in targets and charts")
    share: float = param(1.0, unit="share of residents", lo=0, hi=1, doc="share of residents")
    orientations: dict[str, float] = param(
        {"traditional": 0.1, "activist": 0.08, "rescuer": 0.07, "empathic": 0.1,
         "unaligned": 0.65},
        unit="shares summing to 1",
        doc="orientation mix of the section (JRF gives no shares: assumption)",
    )
    trust_in_group: float = param(
        0.6256, unit="0-1", lo=0, hi=1, calibrated=True,
        doc="mean starting trust in people of one's own section (ONS 2011/12: 76% of those "
        "who feel similar to neighbours trust them)",
        source="ONS 2011/12 via MODEL-NOTES; calibrated, see docs/CALIBRATION.md",
    )
    trust_out_group: float = param(
        0.4449, unit="0-1", lo=0, hi=1, calibrated=True,
        doc="mean starting trust in people of other sections (ONS: 38% among those who feel "
        "dissimilar)",
        source="ONS 2011/12 via MODEL-NOTES; calibrated, see docs/CALIBRATION.md",
    )
    need_multiplier: float = param(
        1.0, unit="x", lo=0, hi=10, doc="multiplies the rate at which needs arrive",
    )
    outside_contact_mean: float = param(
        0.55, unit="probability per day", lo=0, hi=1, uncertain=(0.4, 0.7),
        doc="mean daily chance of contact with people outside the neighbourhood (family, "
        "work, friends elsewhere, online), which relieves loneliness like any contact",
        source="assumption, near CLS 2019/20-2021/22: 71-74% meet family or friends in "
        "person at least weekly, about half more than once a week (calls and messages "
        "besides); sections differ as loneliness does by age in CLS 2023/24 (16-24: 10%, "
        "25-34: 9%, older ages 4-8%)",
    )
    moves_per_year: float = param(
        0.09, unit="share of residents moving out per year", lo=0, hi=1,
        doc="residents who move away in a year; each is replaced by a newcomer of the same "
        "section with no ties (rapid change is a barrier to kindness, JRF 2015)",
        source="English Housing Survey: about one household in ten moved in the last year",
    )


def default_sections() -> tuple[Section, ...]:
    return (
        Section(
            name="long_standing", share=0.5,
            orientations={"traditional": 0.18, "activist": 0.06, "rescuer": 0.08,
                          "empathic": 0.08, "unaligned": 0.60},
            need_multiplier=1.2, moves_per_year=0.04, outside_contact_mean=0.66,
        ),
        Section(
            name="newcomers", share=0.3,
            orientations={"traditional": 0.04, "activist": 0.10, "rescuer": 0.06,
                          "empathic": 0.14, "unaligned": 0.66},
            moves_per_year=0.16, outside_contact_mean=0.54,
        ),
        Section(
            name="students", share=0.2,
            orientations={"traditional": 0.02, "activist": 0.14, "rescuer": 0.04,
                          "empathic": 0.12, "unaligned": 0.68},
            need_multiplier=0.8, moves_per_year=0.33, outside_contact_mean=0.51,
        ),
    )


@dataclass(frozen=True)
class PopulationParams:
    n_residents: int = param(1000, unit="residents", lo=10, hi=5_000_000,
                             doc="number of residents")
    sections: tuple[Section, ...] = param(factory=default_sections, unit="list",
                                          doc="sections of the community")
    n_interests: int = param(8, unit="interests", lo=1, hi=100,
                             doc="number of distinct interests (creative-citizens pairing)")
    share_bridge_figures: float = param(
        0.01, unit="share of residents", lo=0, hi=0.5,
        doc="residents who already act as bonders and bridges before any intervention",
    )
    # lasting differences between residents: each trait is drawn once, with mean 1 where it
    # multiplies a rate, and kept for life (a newcomer draws afresh)
    sociability_shape: float = param(
        0.5, unit="gamma shape", lo=0.05, hi=100, uncertain=(0.3, 1.0),
        doc="spread of residents' lasting propensity to chat (gamma, mean 1; smaller is more "
        "unequal: many talk little, a few a lot)",
        source="assumption, shaped by UK time-use surveys: socialising time is highly skewed, "
        "with many recording none on a given day (see docs/MODEL.md)",
    )
    hub_propensity_shape: float = param(
        0.5, unit="gamma shape", lo=0.05, hi=100, uncertain=(0.3, 1.0),
        doc="spread of residents' lasting propensity to visit hubs (gamma, mean 1): a few "
        "regulars, many rare visitors",
        source="assumption, shaped by DCMS Taking Part: about a third of adults used a public "
        "library in a year, a minority of them often",
    )
    helpfulness_shape: float = param(
        0.4808, unit="gamma shape", lo=0.05, hi=100, calibrated=True, uncertain=(0.25, 1.0),
        doc="spread of residents' lasting readiness to help (gamma, mean 1, multiplying the "
        "orientation's propensity): the civic core are people, not only orientations",
        source="calibrated, see docs/CALIBRATION.md (Mohan et al. 2011, TSRC working paper "
        "62: 31% give 87% of volunteering hours; the civic core is a stable set of people)",
    )
    outside_contact_concentration: float = param(
        11.76, unit="beta concentration", lo=0.1, hi=1000, calibrated=True,
        doc="how alike residents are in outside contact (beta distribution around the mean; "
        "smaller is more unequal: more people nearly cut off)",
        source="calibrated, see docs/CALIBRATION.md (CLS: 6-7% lonely often or always)",
    )
    trust_prior_spread: float = param(
        0.15, unit="0-1 (standard deviation)", lo=0, hi=0.5, uncertain=(0.08, 0.25),
        doc="spread of residents' starting trust in own and other sections around the "
        "section means (each resident's lasting prior)",
    )
    attachment_prior_spread: float = param(
        0.15, unit="0-1 (standard deviation)", lo=0, hi=0.5,
        doc="spread of residents' baseline place attachment around its mean",
    )
    self_reliance_spread: float = param(
        0.1, unit="0-1 (standard deviation)", lo=0, hi=0.5,
        doc="spread of self-reliance around the orientation's baseline",
    )
    energy_start: float = param(0.8, unit="0-1", lo=0, hi=1,
                                doc="mean starting energy (capacity to help)")
    energy_start_spread: float = param(0.1, unit="0-1 (standard deviation)", lo=0, hi=0.5,
                                       doc="spread of starting energy")
    loneliness_start: float = param(0.3, unit="0-1", lo=0, hi=1,
                                    doc="mean starting loneliness (a burn-in removes its trace)")
    loneliness_start_spread: float = param(0.15, unit="0-1 (standard deviation)", lo=0,
                                           hi=0.5, doc="spread of starting loneliness")
    reputation_start: float = param(0.5, unit="0-1", lo=0, hi=1,
                                     doc="everyone's reputation before anything is seen")
