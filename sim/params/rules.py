"""The numbers of the daily rules (sim/rules/): needs, contact and noticing, asking,
helping, reputation, trust, the ledger of help, energy and burnout, loneliness and
attachment, hubs and encounters, ties.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.params.declare import param


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
    ask_weight_norm: float = param(
        1.0, unit="logit per unit of norm shift", lo=0, hi=20, uncertain=(0.5, 2.0),
        doc="a shift in the perceived norm about asking (that people here ask each other for "
        "help: a lever messages move, sim.day.Levers.ask_norm, -1 to 1) moves the log-odds of "
        "asking by this much per unit",
        source="direction Haslewood, JRF 2014 (messages of self-reliance stop people asking) "
        "and Prentice & Miller 1993 (pluralistic ignorance); size assumption (a full shift is "
        "worth about a third of the self-reliance weight)",
    )
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
    help_weight_norm: float = param(
        0.25, unit="x per unit of norm shift", lo=0, hi=5, uncertain=(0.1, 0.5),
        doc="a shift in the perceived norm about helping (that people here look after each "
        "other: a lever messages move, sim.day.Levers.help_norm, -1 to 1) multiplies the "
        "chance of helping by 1 + this x the shift",
        source="Goldstein, Cialdini & Griskevicius 2008: a descriptive-norm message raised "
        "the behaviour it described by about a quarter (35% to 44%); Cialdini, Reno & "
        "Kallgren 1990 (descriptive norms); size for helping an assumption",
    )
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
    attachment_gain_visit: float = param(
        0.006, unit="share of gap per visit", lo=0, hi=1,
        doc="place attachment built by a hub visit (at a crowded hub, in proportion to its "
        "room: capacity over visitors)")
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
        uncertain=(0.005, 0.02),
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
