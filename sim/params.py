"""Every number in the model, with its unit, its range and its source.

Each field is declared with :func:`param`, which records a one-line meaning, a unit, the
range a scenario file may set it to, and where the value comes from (a citation or the word
"assumption"). The scenario validator reads the ranges, the model card is generated from the
same metadata, and the model reads the values: one home per number.

Time is in days. Probabilities named ``p_*`` are per day unless the name says otherwise.
Resident states (need, energy, trust, ...) are on a 0-1 scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

ASSUMPTION = "assumption"


def param(
    default: Any,
    *,
    unit: str,
    doc: str,
    source: str = ASSUMPTION,
    lo: float | None = None,
    hi: float | None = None,
    calibrated: bool = False,
    uncertain: tuple[float, float] | None = None,
    choices: tuple | None = None,
    refers_to: str | None = None,
):
    """Declare a model parameter.

    ``lo``/``hi`` bound what a scenario file may set; ``uncertain`` is the plausible range
    used by robustness analysis (defaults to none: treated as known); ``calibrated`` marks
    values fitted by ``run.py calibrate``; ``choices`` lists the allowed values of a text
    field; ``refers_to`` ("section", "hub" or "orientation") says the value (or each item of
    a list value) must name one of those in the scenario.
    """
    meta = {
        "choices": choices,
        "refers_to": refers_to,
        "unit": unit,
        "doc": doc,
        "source": source,
        "range": (lo, hi),
        "calibrated": calibrated,
        "uncertain": uncertain,
    }
    if isinstance(default, (list, dict, tuple)) and not isinstance(default, tuple):
        return field(default_factory=lambda: default.copy(), metadata=meta)
    return field(default=default, metadata=meta)


def meta(cls_or_obj, name: str) -> dict:
    """The metadata of one field of a parameter dataclass."""
    for f in fields(cls_or_obj):
        if f.name == name:
            return dict(f.metadata)
    raise KeyError(name)


# ---------------------------------------------------------------------------------------------
# Orientations
# ---------------------------------------------------------------------------------------------

ORIENTATIONS = ("traditional", "activist", "rescuer", "empathic", "unaligned")


@dataclass(frozen=True)
class OrientationProfile:
    """How one kindliness orientation parameterises the shared rules (JRF 2015 typology).

    The profiles are data: adding an orientation means adding a profile. The JRF work is
    qualitative, so every multiplier here is an assumption shaped by its description; the
    direction of each difference is what the sources support, not the size.
    """

    ask_multiplier: float = param(
        1.0, unit="x", lo=0, hi=5, uncertain=(0.5, 1.5),
        doc="multiplies the probability of asking for help when in need",
    )
    self_reliance: float = param(
        0.5, unit="0-1", lo=0, hi=1,
        doc="baseline reluctance to ask (self-reliance messages; Haslewood, JRF 2014)",
    )
    notice_multiplier: float = param(
        1.0, unit="x", lo=0, hi=5,
        doc="multiplies the chance of noticing a tie's need during daily contact",
    )
    help_propensity: float = param(
        0.45, unit="probability", lo=0, hi=1,
        doc="base probability of helping a trusted tie who asks or is noticed in need",
    )
    in_group_bias: float = param(
        0.3, unit="0-1", lo=0, hi=1,
        doc="share by which the chance of helping falls for someone from another section "
        "(Hammond & Axelrod 2006: separate in- and out-group propensities)",
    )
    energy_awareness: float = param(
        0.7, unit="0-1", lo=0, hi=1,
        doc="how much low own energy and strain hold back helping (rescuers ignore both "
        "until they burn out; empathic residents protect their capacity)",
    )
    recovery_multiplier: float = param(
        1.0, unit="x", lo=0, hi=5, doc="multiplies daily energy recovery",
    )
    resentment_sensitivity: float = param(
        1.0, unit="x", lo=0, hi=5,
        doc="multiplies how fast one-way giving turns into resentment",
    )
    contact_openness: float = param(
        1.0, unit="x", lo=0, hi=5,
        doc="multiplies how much out-group trust moves from cross-section contact",
    )
    change_threat: float = param(
        0.0, unit="x", lo=0, hi=5,
        doc="multiplies the loss of out-group trust under rapid change (traditional)",
    )
    common_cause_response: float = param(
        1.0, unit="x", lo=0, hi=5,
        doc="multiplies contact effects at common-cause events (activists respond most)",
    )
    hub_visit_multiplier: float = param(
        1.0, unit="x", lo=0, hi=5, doc="multiplies the daily chance of visiting an open hub",
    )


def default_profiles() -> dict[str, OrientationProfile]:
    """The five default profiles. Directions follow JRF 2015 (see docs/MODEL.md); sizes are
    assumptions to be explored in robustness analysis."""
    return {
        # fixed moral code, helps own people, expects to be noticed rather than to ask,
        # threatened by rapid change
        "traditional": OrientationProfile(
            ask_multiplier=0.55, self_reliance=0.65, notice_multiplier=1.5,
            help_propensity=0.55, in_group_bias=0.8, energy_awareness=0.7,
            contact_openness=0.5, change_threat=1.0, common_cause_response=0.7,
        ),
        # values framed socially and politically; helps by need, drawn to common causes
        "activist": OrientationProfile(
            ask_multiplier=1.0, self_reliance=0.45, notice_multiplier=1.1,
            help_propensity=0.55, in_group_bias=0.05, energy_awareness=0.6,
            contact_openness=1.2, common_cause_response=2.0, hub_visit_multiplier=1.3,
        ),
        # helps a lot, will not ask, ignores own energy until exhausted
        "rescuer": OrientationProfile(
            ask_multiplier=0.15, self_reliance=0.9, notice_multiplier=1.6,
            help_propensity=0.9, in_group_bias=0.2, energy_awareness=0.05,
            recovery_multiplier=0.8, resentment_sensitivity=0.6, contact_openness=0.8,
        ),
        # open to change, asks when in need, weighs whether to help, protects own capacity
        "empathic": OrientationProfile(
            ask_multiplier=1.3, self_reliance=0.3, notice_multiplier=1.2,
            help_propensity=0.5, in_group_bias=0.1, energy_awareness=1.0,
            recovery_multiplier=1.2, resentment_sensitivity=0.5, contact_openness=1.3,
            hub_visit_multiplier=1.1,
        ),
        # no strong orientation: the majority
        "unaligned": OrientationProfile(
            ask_multiplier=1.0, self_reliance=0.55, notice_multiplier=0.8,
            help_propensity=0.35, in_group_bias=0.3, energy_awareness=0.7,
            hub_visit_multiplier=0.8,
        ),
    }


# ---------------------------------------------------------------------------------------------
# Population, network, hubs
# ---------------------------------------------------------------------------------------------


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
    sections: tuple[Section, ...] = field(
        default_factory=default_sections,
        metadata={"unit": "list", "doc": "sections of the community", "source": ASSUMPTION,
                  "range": (None, None), "calibrated": False, "uncertain": None,
                  "choices": None, "refers_to": None},
    )
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


@dataclass(frozen=True)
class NetworkParams:
    ties_per_resident: float = param(
        5.0, unit="ties", lo=1, hi=100, uncertain=(3.0, 8.0),
        doc="mean number of neighbourhood ties per resident at the start",
        source="assumption, from the 5-7 close neighbourhood contacts of UK time-use work "
        "(held fixed in calibration: see docs/CALIBRATION.md)",
    )
    share_bridging: float = param(
        0.12, unit="share of ties", lo=0, hi=1, uncertain=(0.05, 0.25),
        doc="share of starting ties that cross sections",
    )
    bridge_figure_extra_ties: int = param(
        6, unit="ties", lo=0, hi=200, doc="extra cross-section ties a bridge figure holds",
    )
    tie_trust_mean: float = param(0.6, unit="0-1", lo=0, hi=1,
                                  doc="mean starting trust along a tie")
    tie_trust_spread: float = param(0.15, unit="0-1 (standard deviation)", lo=0, hi=0.5,
                                    doc="spread of starting trust along ties")
    share_local_ties: float = param(
        0.8, unit="share of bonding ties", lo=0, hi=1,
        doc="bonding ties that join near neighbours on the street (the rest join anyone in "
        "the section): small-world clustering (Watts & Strogatz 1998)",
    )
    street_reach: float = param(
        0.35, unit="probability (geometric)", lo=0.01, hi=1,
        doc="how near on the street a local tie is: the offset to the neighbour is geometric "
        "with this parameter (mean 1/p doors away)",
    )
    tie_budget: int = param(
        15, unit="ties", lo=1, hi=1000, uncertain=(10, 25),
        doc="most neighbourhood ties anyone keeps (Dunbar's sympathy group: people in "
        "contact at least monthly); no tie forms beyond it",
        source="Zhou, Sornette, Hill & Dunbar 2005; Dunbar 2016 (layers of about 5, 15, 50, "
        "150)",
    )
    close_tie_budget: int = param(
        5, unit="ties", lo=0, hi=1000,
        doc="most close ties among them (Dunbar's support clique, contacted about weekly)",
        source="Zhou, Sornette, Hill & Dunbar 2005; Dunbar 2016",
    )
    share_close_start: float = param(
        0.4, unit="share of ties", lo=0, hi=1,
        doc="starting ties that are close (within the close budget)",
    )


@dataclass(frozen=True)
class HubSpec:
    """A third space: library, community cafe, garden, ..."""

    name: str = param("hub", unit="name", doc="hub name, unique in a scenario")
    kind: str = param("library", unit="label", doc="what kind of place it is (for labels)")
    location: str = param(
        "boundary", unit="section name or 'boundary'", refers_to="section",
        doc="the section it sits in, or 'boundary' for a place between sections",
    )
    capacity: int = param(40, unit="visitors per day", lo=0, hi=1_000_000,
                          doc="visitors a day it holds without crowding (more may come: "
                          "then each visitor's conversations are fewer)")
    open_days: tuple[int, ...] = param(
        (0, 1, 2, 3, 4, 5), unit="weekdays (0 = Monday)", doc="days of the week it is open",
    )
    palatability: float = param(
        0.4, unit="0-1", lo=0, hi=1,
        doc="how little its activity is framed as help: needs surface more where it is high "
        "(JRF 2015: make kindness palatable)",
    )
    capacity_per_1000: bool = param(
        True, unit="flag",
        doc="if true, capacity is per 1,000 residents and scales with the population",
    )


def default_hubs() -> tuple[HubSpec, ...]:
    return (
        HubSpec(name="library", kind="library", location="boundary", capacity=40,
                open_days=(0, 1, 2, 3, 4, 5), palatability=0.4),
        HubSpec(name="cafe", kind="community cafe", location="long_standing", capacity=25,
                open_days=(0, 1, 2, 3, 4, 5, 6), palatability=0.5),
        HubSpec(name="garden", kind="community garden", location="newcomers", capacity=30,
                open_days=(5, 6), palatability=0.7),
    )


# ---------------------------------------------------------------------------------------------
# The daily rules
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleParams:
    """Parameters of the daily rules (sim/rules/). Sizes are assumptions unless cited."""

    # needs
    p_need: float = param(
        0.01097, unit="new needs per resident per day", lo=0, hi=1, calibrated=True,
        uncertain=(0.004, 0.02), doc="rate at which short needs arrive (a Poisson process)",
        source="calibrated, see docs/CALIBRATION.md (CLS: exchanging favours)",
    )
    need_size_mean: float = param(0.5, unit="need units (0-1)", lo=0, hi=1,
                                  doc="mean size of a new need (exponential, capped at 1)")
    p_need_resolves: float = param(
        0.03, unit="per day", lo=0, hi=1,
        doc="chance an outstanding short need resolves without neighbourly help (services, "
        "family)",
    )
    unmet_need_days: int = param(7, unit="days", lo=1, hi=365,
                                 doc="a need outstanding this long counts as unmet")
    p_care_episode: float = param(
        0.0003, unit="new caring episodes per resident per day", lo=0, hi=1,
        uncertain=(0.00015, 0.0006),
        doc="rate at which a resident enters a spell of needing regular help (illness, a new "
        "baby, a bereavement, recovery from an operation)",
        source="assumption, about one resident in ten a year, near the share of adults "
        "receiving informal care in a year (Census 2021 unpaid care; Carers UK)",
    )
    care_episode_days: float = param(
        42.0, unit="days (mean)", lo=1, hi=3650, uncertain=(21.0, 90.0),
        doc="mean length of a caring episode (exponential); while it lasts the resident "
        "needs help again every few days",
    )
    care_need_every_days: int = param(
        3, unit="days", lo=1, hi=365,
        doc="during a caring episode a fresh need arises this often (shopping, lifts, meals)",
    )
    care_need_size: float = param(0.6, unit="need units (0-1)", lo=0, hi=1,
                                  doc="size of each need during a caring episode")
    # contact: chats along ties, contact from outside, noticing
    chats_per_day: float = param(
        0.04686, unit="chats per resident per day (average sociability)", lo=0, hi=20,
        calibrated=True,
        doc="conversations a resident of average sociability starts with their ties in a day; "
        "they fall on close ties first (a fixed budget of time: more ties, less each)",
        source="calibrated, see docs/CALIBRATION.md (CLS: 72% chat to neighbours monthly)",
    )
    close_tie_chat_weight: float = param(
        4.0, unit="x a weaker tie", lo=1, hi=100,
        doc="how much likelier a chat is with a close tie than with a weaker one",
        source="Dunbar 2016: the 5-layer is contacted about weekly, the 15-layer about "
        "monthly",
    )
    p_notice_in_chat: float = param(
        0.35, unit="probability", lo=0, hi=1, uncertain=(0.15, 0.6),
        doc="chance a tie notices a need in a chat, before orientation and palatability",
    )
    # asking
    ask_intercept: float = param(-0.4, unit="logit", lo=-10, hi=10,
                                 doc="log-odds of asking for an average resident")
    ask_weight_trust: float = param(2.0, unit="logit per unit", lo=0, hi=10,
                                    doc="trust in people generally raises asking")
    ask_weight_self_reliance: float = param(
        3.5, unit="logit per unit", lo=0, hi=20, uncertain=(2.0, 5.0),
        doc="self-reliance holds back asking (Haslewood, JRF 2014)",
    )
    ask_weight_indebtedness: float = param(
        3.0, unit="logit per unit", lo=0, hi=20,
        doc="fear of indebtedness holds back asking (Haslewood, JRF 2014)",
    )
    ask_weight_need: float = param(2.0, unit="logit per unit", lo=0, hi=20,
                                   doc="bigger needs are asked about more readily")
    ask_reputation_preference: float = param(
        2.0, unit="exponent", lo=0, hi=20, uncertain=(0.5, 4.0),
        doc="people ask ties known to help: a tie's weight in the choice is trust squared "
        "times (reputation / starting reputation) to this power",
        source="form from image scoring (Nowak & Sigmund 1998: reputations are seen and "
        "used); size assumption",
    )
    p_refer: float = param(
        0.5, unit="probability", lo=0, hi=1, uncertain=(0.2, 0.8),
        doc="chance that someone who noticed a need but will not help passes it on to the tie "
        "they know helps most (needs reach the civic core by word of mouth)",
    )
    # helping
    help_trust_floor: float = param(
        0.3, unit="0-1", lo=0, hi=1,
        doc="share of a helper's propensity that does not depend on trust in the recipient "
        "(help = propensity x (floor + (1 - floor) x trust) x ...)",
    )
    asked_bonus: float = param(
        0.5, unit="x", lo=0, hi=5,
        doc="being asked directly raises the chance of helping by this share",
    )
    standing_weight: float = param(
        0.6, unit="0-1", lo=0, hi=1,
        doc="how much a recipient's poor reputation lowers help (Nowak & Sigmund 1998)",
        source="form from Nowak & Sigmund 1998; size assumption",
    )
    resentment_weight: float = param(0.6, unit="0-1", lo=0, hi=1,
                                     doc="how much own resentment lowers helping")
    attachment_weight: float = param(0.3, unit="x", lo=0, hi=5,
                                     doc="place attachment raises helping by up to this share")
    help_relief: float = param(0.6, unit="need units", lo=0, hi=1,
                               doc="need relieved by one act of help")
    help_cost: float = param(0.25, unit="energy units", lo=0, hi=1, uncertain=(0.12, 0.35),
                             doc="energy one act of help costs the helper")
    max_helps_per_day: int = param(
        3, unit="acts per helper per day", lo=1, hi=100,
        doc="most acts of help one resident gives in a day (energy usually binds first)",
    )
    # reputation
    p_reputation_known: float = param(
        0.3, unit="probability", lo=0, hi=1, uncertain=(0.15, 0.6),
        doc="chance a helping or refusing act is seen by the community (q in image scoring)",
        source="form from Nowak & Sigmund 1998; size assumption; robustness range half to "
        "double it",
    )
    reputation_step: float = param(0.1, unit="0-1", lo=0, hi=1,
                                   doc="how far one observed act moves a reputation")
    good_standing: float = param(
        0.5, unit="0-1", lo=0, hi=1,
        doc="reputation at or above which a refusal counts against the refuser (standing, "
        "Leimar & Hammerstein 2001)",
    )
    reputation_relaxation: float = param(
        0.002, unit="per day", lo=0, hi=1,
        doc="daily pull of reputations back toward the starting value (memories fade)",
    )
    # trust
    tie_trust_gain: float = param(0.08, unit="share of the gap to 1", lo=0, hi=1,
                                  doc="tie trust gained by the recipient from help along it")
    helper_tie_trust_share: float = param(
        0.5, unit="share of tie_trust_gain", lo=0, hi=1,
        doc="the helper's own trust along the tie rises by this share of the recipient's gain",
    )
    tie_trust_loss: float = param(0.1, unit="share of trust", lo=0, hi=1,
                                  doc="tie trust lost when a request is refused")
    group_trust_gain: float = param(0.02, unit="share of the gap to 1", lo=0, hi=1,
                                    doc="trust in the helper's group gained from help")
    group_trust_loss: float = param(0.02, unit="share of trust", lo=0, hi=1,
                                    doc="trust in the refuser's group lost on refusal")
    contact_trust_gain: float = param(
        0.005, unit="share of the gap to 1", lo=0, hi=1, uncertain=(0.002, 0.015),
        doc="out-group trust gained per cross-section encounter (intergroup contact)",
        source="form from Pettigrew & Tropp 2006; size assumption (not tuned to the "
        "validation correlation)",
    )
    in_group_contact_share: float = param(
        0.5, unit="share of contact_trust_gain", lo=0, hi=1,
        doc="meeting one's own section raises in-group trust at this share of the rate",
    )
    trust_relaxation: float = param(
        0.01, unit="per day", lo=0, hi=1,
        doc="daily pull of group trust back toward each resident's starting level (priors)",
    )
    generalised_trust_rate: float = param(
        0.02, unit="per day", lo=0, hi=1,
        doc="daily pull of generalised trust toward the exposure-weighted group trusts",
    )
    change_threat_rate: float = param(
        0.02, unit="trust per unit of change per resident", lo=0, hi=10,
        doc="out-group trust lost by change-threatened residents per unit of community change "
        "(newcomers arriving plus new cross-section ties, per resident, in a week)",
    )
    # ledger
    debt_per_help: float = param(0.08, unit="0-1", lo=0, hi=1,
                                 doc="indebtedness added by help one cannot yet return")
    debt_repaid_per_help: float = param(
        0.1, unit="0-1", lo=0, hi=1,
        doc="indebtedness cleared by helping anyone (indirect reciprocity; Liveable Lives)",
    )
    debt_decay: float = param(0.004, unit="per day", lo=0, hi=1,
                              doc="slow fading of indebtedness (debts run over years)")
    balance_half_life_days: float = param(
        180.0, unit="days", lo=1, hi=10_000,
        doc="half-life of the running balance of help given minus help received",
    )
    resentment_balance: float = param(
        4.0, unit="acts of help", lo=0, hi=1000,
        doc="net one-way giving above which resentment grows",
    )
    resentment_rate: float = param(0.01, unit="per day", lo=0, hi=1, uncertain=(0.005, 0.02),
                                   doc="growth of resentment while giving is one-way",
                                   source="assumption; robustness range half to double it")
    resentment_decay: float = param(0.004, unit="per day", lo=0, hi=1,
                                    doc="fading of resentment otherwise")
    # energy, strain and burnout
    energy_recovery: float = param(0.03, unit="share of the gap to 1 per day", lo=0, hi=1,
                                   uncertain=(0.015, 0.06), doc="daily recovery of energy")
    strain_per_act: float = param(
        0.2862, unit="share of the gap to 1 per act", lo=0, hi=1, calibrated=True,
        doc="strain an act of help adds: cumulative load (NCVO Time Well Spent 2019: the more "
        "often people give, the more pressured they feel)",
        source="calibrated, see docs/CALIBRATION.md (NCVO Time Well Spent 2019: 19% of "
        "volunteers feel it is becoming too much like paid work)",
    )
    strain_recovery: float = param(
        0.012, unit="share per day", lo=0, hi=1, uncertain=(0.006, 0.025),
        doc="strain shed each day (about two months' half-life without helping)",
    )
    strain_awareness_weight: float = param(
        1.0, unit="0-1", lo=0, hi=1,
        doc="how far strain holds back helping, times the orientation's energy_awareness "
        "(rescuers ignore it and keep going)",
    )
    burnout_hazard: float = param(
        0.01, unit="per day at full strain", lo=0, hi=1, uncertain=(0.004, 0.03),
        doc="daily chance of stepping back (burnout) at full strain; zero below the strained "
        "level, rising linearly to this at strain 1",
    )
    strained_level: float = param(
        0.5, unit="0-1", lo=0, hi=1,
        doc="strain at or above which helping has become too much (the survey answer) and "
        "stepping back becomes possible",
    )
    withdrawal_days: int = param(60, unit="days", lo=0, hi=3650,
                                 doc="time a burnt-out resident steps back from helping and hubs")
    energy_on_return: float = param(0.6, unit="0-1", lo=0, hi=1,
                                    doc="energy of a resident coming back from stepping back")
    strain_on_return: float = param(0.3, unit="0-1", lo=0, hi=1,
                                    doc="strain left when a resident comes back")
    # loneliness and attachment
    loneliness_rise: float = param(0.02, unit="share of the gap to 1 per day", lo=0, hi=1,
                                   doc="loneliness growth on a day with no contact at all")
    loneliness_fall: float = param(0.03, unit="share per day", lo=0, hi=1,
                                   doc="loneliness relief on a day with any contact")
    loneliness_contagion: float = param(
        0.008, unit="per tie per day", lo=0, hi=1,
        uncertain=(0.006, 0.01),
        doc="daily shift of loneliness by each tie's departure from the community's average "
        "(a tie less lonely than average eases it; a lonelier one adds, times the ratio below)",
        source="form from Cacioppo, Fowler & Christakis 2009; size assumption (checked, not "
        "fitted, in docs/VALIDATION.md); the spread is self-reinforcing above about 0.01",
    )
    influence_dilution: float = param(
        0.5, unit="exponent", lo=0, hi=1,
        doc="how far many ties dilute each one's pull on loneliness: the ties' summed pull is "
        "divided by the number of ties to this power (0: each tie counts fully, so more ties "
        "mean more exposure; 1: only their average counts)",
    )
    discontent_spread_ratio: float = param(
        2.0, unit="x", lo=0, hi=10,
        doc="how much faster loneliness spreads from lonelier ties than relief from less "
        "lonely ones",
        source="Hill, Rand, Nowak & Christakis 2010 (SISa): discontent spreads at about twice "
        "the rate of contentment",
    )
    attachment_gain_visit: float = param(0.006, unit="share of gap per visit", lo=0, hi=1,
                                         doc="place attachment built by a hub visit")
    attachment_gain_help: float = param(0.01, unit="share of gap per act", lo=0, hi=1,
                                        doc="place attachment built by giving or receiving help")
    attachment_baseline: float = param(
        0.5097, unit="0-1", lo=0, hi=1, calibrated=True,
        doc="mean starting attachment; each resident relaxes toward their own",
        source="calibrated, see docs/CALIBRATION.md (CLS: belonging 62-65%)",
    )
    attachment_relaxation: float = param(0.004, unit="per day", lo=0, hi=1,
                                         doc="daily pull of attachment toward its baseline")
    self_reliance_relaxation: float = param(
        0.002, unit="per day", lo=0, hi=1,
        doc="daily pull of self-reliance back toward the orientation's baseline",
    )
    self_reliance_drop_on_help: float = param(0.01, unit="0-1", lo=0, hi=1,
                                              doc="self-reliance lost after help received")
    # neighbours at the door
    p_doorstep: float = param(
        0.01, unit="per resident per day (average sociability)", lo=0, hi=1,
        uncertain=(0.02, 0.08),
        doc="chance of a conversation with a near neighbour at the door or over the fence",
        source="assumption, near Understanding Society 2017-18: 62% regularly stop and talk "
        "with people in their neighbourhood",
    )
    doorstep_palatability: float = param(
        0.5, unit="0-1", lo=0, hi=1,
        doc="how readily a need surfaces in a doorstep conversation",
    )
    # hubs and encounters
    p_visit_hub: float = param(
        0.05, unit="per resident per open day", lo=0, hi=1, uncertain=(0.03, 0.08),
        doc="chance that a resident of average hub propensity visits some open hub (about "
        "17 visits a year on average, most by a few regulars)",
        source="assumption, near DCMS Taking Part 2017/18 (a third of adults used a public "
        "library in a year) with cafes and a garden besides",
    )
    hub_preference_own_section: float = param(
        1.0, unit="weight", lo=0, hi=100, doc="pull of a hub in one's own section")
    hub_preference_boundary: float = param(
        0.6, unit="weight", lo=0, hi=100, doc="pull of a hub on the boundary between sections")
    hub_preference_other_section: float = param(
        0.15, unit="weight", lo=0, hi=100, doc="pull of a hub in another section")
    palatability_pull: float = param(
        0.5, unit="weight", lo=0, hi=100,
        doc="a hub's pull is (this + its palatability) times where it sits",
    )
    contact_seeking: float = param(
        1.0, unit="x per unit of trust", lo=0, hi=10, uncertain=(0.0, 2.0),
        doc="self-selection: residents who trust other sections more are drawn to hubs where "
        "sections mix (pull of boundary and other-section hubs times 1 + this x (out-group "
        "trust - 0.5))",
        source="Pettigrew & Tropp 2006 and Binder et al. 2009: contact and trust select each "
        "other as well as contact building trust; size assumption",
    )
    encounters_per_visit: int = param(3, unit="encounters", lo=0, hi=50,
                                      doc="people a visitor talks with during an uncrowded visit "
                                      "(above capacity, fewer in proportion)")
    p_notice_at_hub: float = param(
        0.25, unit="probability", lo=0, hi=1, uncertain=(0.125, 0.5),
        doc="chance a need surfaces in an encounter at a fully palatable hub",
        source="assumption; robustness range half to double it",
    )
    introduction_palatability: float = param(
        0.5, unit="0-1", lo=0, hi=1,
        doc="how readily needs surface when a bridge figure introduces two people",
    )
    # ties
    p_tie_per_meeting: float = param(
        0.04, unit="probability per meeting", lo=0, hi=1, uncertain=(0.02, 0.08),
        doc="chance that a meeting between two untied residents leaves a tie (if both have "
        "room in their tie budget)",
        source="assumption, after Hall 2019 (some 50 hours together make a casual friend): "
        "about 25 conversations",
    )
    tie_fade_days: int = param(180, unit="days", lo=1, hi=36500,
                               doc="a tie unused this long may fade (keeping ties costs contact)")
    p_tie_fade_per_week: float = param(0.1, unit="per week", lo=0, hi=1,
                                       doc="chance an unused tie fades in a week")
    close_fade_days: int = param(
        60, unit="days", lo=1, hi=36500,
        doc="a close tie unused this long becomes an ordinary tie (Dunbar: the close layer "
        "needs frequent contact)",
    )
    p_bridge_introduce: float = param(
        0.1, unit="per bridge figure per day", lo=0, hi=1,
        doc="chance a bridge figure introduces two of their ties from different sections",
    )


# ---------------------------------------------------------------------------------------------
# The whole model
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelParams:
    population: PopulationParams = field(default_factory=PopulationParams)
    network: NetworkParams = field(default_factory=NetworkParams)
    hubs: tuple[HubSpec, ...] = field(default_factory=default_hubs)
    rules: RuleParams = field(default_factory=RuleParams)
    orientations: dict[str, OrientationProfile] = field(default_factory=default_profiles)


def walk_params(obj, prefix: str = ""):
    """Yield (dotted path, value, metadata) for every leaf parameter in a parameter tree."""
    for f in fields(obj):
        value = getattr(obj, f.name)
        path = f"{prefix}{f.name}"
        if is_dataclass(value):
            yield from walk_params(value, path + ".")
        elif isinstance(value, dict) and value and all(is_dataclass(v) for v in value.values()):
            for key, sub in value.items():
                yield from walk_params(sub, f"{path}.{key}.")
        elif isinstance(value, tuple) and value and all(is_dataclass(v) for v in value):
            for i, sub in enumerate(value):
                yield from walk_params(sub, f"{path}[{i}].")
        else:
            yield path, value, dict(f.metadata)
