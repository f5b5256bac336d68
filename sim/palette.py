"""One home for the colours the report, the visualiser and the commands draw with.

Colour-blind-safe where it carries meaning: the eight colours of Okabe & Ito (2008), "Color
Universal Design", for scenarios, intervention windows, verdicts and orientations; greys for
the baseline and the unaligned. The report's charts and the live page's charts share the
baseline grey and the window colours, so a window shaded orange in one is orange in the other.
"""

from __future__ import annotations

OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7",
}

# -- comparisons: report charts and the live page's charts ---------------------------------------
BASELINE_COLOUR = "#6E6E6E"
SCENARIO_COLOUR = OKABE_ITO["blue"]
# the intervention windows behind a time series, in the order the scenario lists them (the
# report shades the days any runs in the first alone and marks each window's start and end
# in its own; the live page still shades each window in its own)
WINDOW_COLOURS = [OKABE_ITO[k] for k in ("orange", "green", "purple", "sky_blue", "yellow",
                                         "vermillion")]
VERDICT_COLOURS = {"better": OKABE_ITO["blue"], "worse": OKABE_ITO["vermillion"],
                   "unclear": "#8C8C8C", "changed": OKABE_ITO["black"]}
# a table cell's background for a verdict (light tints of the verdict colours, as report.html)
VERDICT_TINTS = {"better": "#DCEBF7", "worse": "#FBE3D6", "changed": "#EEE6F3"}
# the live page's two runs side by side: the baseline's own line, then the scenario's
LINE_COLOURS = (OKABE_ITO["blue"], OKABE_ITO["vermillion"])

# -- the community picture -------------------------------------------------------------------------
ORIENTATION_COLOURS = {
    "traditional": OKABE_ITO["blue"],
    "activist": OKABE_ITO["vermillion"],
    "rescuer": OKABE_ITO["orange"],
    "empathic": OKABE_ITO["green"],
    "unaligned": "#A0A0A0",
}
BONDING_COLOUR = "#B8B8B8"     # a tie within a section
BRIDGING_COLOUR = "#7B3294"    # a tie across sections
HUB_COLOUR = "#222222"         # a hub open today (white when shut)
VISIT_COLOUR = "#E7298A"       # a resident visiting a hub today
SELECTED_COLOUR = "#E4002B"    # the resident picked on the page
WITHDRAWN_COLOUR = "#DDDDDD"   # a resident who has stepped back (burnt out)
HUB_SHUT_COLOUR = "#FFFFFF"    # a hub shut today
DOT_EDGE_COLOUR = "#555555"    # the rim of a resident's dot (and of the legend's dots)
SECTION_TEXT = "#333333"       # a section's name over its region
BRIDGING_TEXT = "#4B1D6B"      # the count on a band of ties across sections (dark bridging)
# how the picture marks a role (sim/app/roles.py), by role key
ROLE_COLOURS = {"community_bridge": "#333333", "bridge_figure": OKABE_ITO["black"],
                "organiser": OKABE_ITO["black"], "critical_friend": "#0B6E4F"}

# -- page text ----------------------------------------------------------------------------------
ERROR_TEXT = "#B00020"
NOTE_TEXT = "#555"  # muted: notes and hints, and a difference too small to call either way
WARNING_TEXT = "#8a5300"
CARD_EDGE = OKABE_ITO["blue"]  # an intervention card's edge (ERROR_TEXT when it has problems)
PENDING_EDGE = OKABE_ITO["orange"]  # the ring round "Apply and restart" while changes wait
# the ring round the control the keyboard is on (WCAG 2.4.7, at least 3:1 against white and
# the grey side column; white on the title bar): Vuetify's own is a faint grey background
FOCUS_RING = "#0B5394"
TITLE_BAR = "#0B5394"  # the page's title bar and, on a phone, the bar that unfolds the controls
