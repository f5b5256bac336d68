"""The starting ties between residents: how many, how many cross sections, how near on
the street, and the most anyone keeps (Dunbar's layers).
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.params.declare import param


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
