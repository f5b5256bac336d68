"""The live page: one community, stepped day by day, drawn as a network with live charts.

Two layers:

- :class:`LiveSession` (plain Python, no Solara): the scenario, the model, the two reused
  figures and a lock. ``step()`` advances days, ``render()`` returns PNG frames, so the speed
  benchmark (bench/redraw.py) and the tests time exactly what the page runs.
- :func:`LivePage` (Solara): controls in the sidebar, the network and charts in the main area,
  the selected resident's state beside them.

Why plain Solara components rather than ``SolaraViz``: SolaraViz's network renderer rebuilds
its drawing every step (PLATFORM-NOTES: 1.5-2.7 steps a second at 60 agents), its grid needs
vue-grid-layout and its sliders only apply on reset with no way to say so; here the layout is
computed once per community and each frame redraws only what moved (about 0.1 s a frame at
1,000 residents), a "Play" loop runs in a worker thread so the page stays responsive, and
every control carries a plain-words label and a one-sentence tooltip.
"""

from __future__ import annotations

import dataclasses
import html
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import solara

from sim.app.portrayal import SHADE_STATES, MetricChartsView, NetworkView
from sim.app.problems import ProblemPanel, first_usable, page_problems, scenario_label
from sim.metrics import REGISTRY
from sim.params import ModelParams, meta
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[2]
BUILT_IN = "Built-in defaults (no file)"
PLAY_PAUSE_S = 0.03  # breathing room between frames while playing
MAX_RESIDENTS_LIVE = 5000  # the population slider's top: the live drawing stays readable


# ---------------------------------------------------------------------------------------------
# Scenarios and levers
# ---------------------------------------------------------------------------------------------


def scenarios_dir() -> Path:
    """The folder of scenario files the pickers offer (``KINDLINESS_SCENARIOS_DIR`` or
    ``scenarios/`` in the project)."""
    import os

    return Path(os.environ.get("KINDLINESS_SCENARIOS_DIR") or ROOT / "scenarios")


def list_scenarios(folder: Path | None = None) -> dict[str, Path | None]:
    """``{label: path}`` of the scenario files in ``folder`` (baseline first), or the built-in
    defaults when there are none."""
    folder = Path(folder) if folder is not None else scenarios_dir()
    files = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    files.sort(key=lambda p: (p.stem != "baseline", p.stem))
    found: dict[str, Path | None] = {_label_for(p): p for p in files}
    return found or {BUILT_IN: None}


def _label_for(path: Path) -> str:
    """A file's label: its scenario name if it can be read cheaply, and the file name."""
    return scenario_label(path)  # within the loader's limits (no FIFO, no /dev/zero)


def load_scenario_file(path: Path | None) -> Scenario:
    """The validated scenario in ``path`` (``ScenarioError`` lists every problem), or the
    built-in defaults for ``None``."""
    if path is None:
        return Scenario(name="Built-in defaults")
    from sim.scenario.loader import load_scenario

    return load_scenario(path)


@dataclass(frozen=True)
class Lever:
    """A slider on the live page: a model parameter, in plain words."""

    key: str
    path: tuple[str, str]  # (part of ModelParams, field)
    label: str
    lo: float
    hi: float
    step: float
    integer: bool = False

    @property
    def meta(self) -> dict:
        part = getattr(ModelParams(), self.path[0])
        return meta(part, self.path[1])

    @property
    def tooltip(self) -> str:
        m = self.meta
        doc = m["doc"][0].upper() + m["doc"][1:]
        return f"{doc} (unit: {m['unit']}; source: {m['source']})."

    def get(self, scenario: Scenario):
        value = getattr(getattr(scenario.model, self.path[0]), self.path[1])
        return int(value) if self.integer else float(value)


LEVERS: tuple[Lever, ...] = (
    Lever("n_residents", ("population", "n_residents"), "Residents", 100,
          MAX_RESIDENTS_LIVE, 100, integer=True),
    Lever("ties_per_resident", ("network", "ties_per_resident"), "Ties per resident", 1, 15,
          0.5),
    Lever("share_bridging", ("network", "share_bridging"),
          "Share of ties that bridge groups", 0, 0.5, 0.01),
    Lever("share_bridge_figures", ("population", "share_bridge_figures"),
          "Share of residents who are bridge figures", 0, 0.1, 0.005),
    Lever("p_need", ("rules", "p_need"), "New needs per resident per day", 0, 0.05, 0.001),
    Lever("p_visit_hub", ("rules", "p_visit_hub"),
          "Chance of visiting a hub on an open day", 0, 0.3, 0.01),
    Lever("help_cost", ("rules", "help_cost"), "Energy one act of help costs", 0, 0.6, 0.01),
)


def lever_values(scenario: Scenario) -> dict[str, float]:
    return {lv.key: lv.get(scenario) for lv in LEVERS}


def apply_levers(scenario: Scenario, values: dict[str, float]) -> Scenario:
    """A copy of ``scenario`` with the lever values set (unknown keys are an error)."""
    unknown = set(values) - {lv.key for lv in LEVERS}
    if unknown:
        raise KeyError(f"unknown levers: {sorted(unknown)}")
    model = scenario.model
    for lv in LEVERS:
        if lv.key not in values:
            continue
        value = int(round(values[lv.key])) if lv.integer else float(values[lv.key])
        part = getattr(model, lv.path[0])
        model = dataclasses.replace(model, **{lv.path[0]: dataclasses.replace(
            part, **{lv.path[1]: value})})
    return dataclasses.replace(scenario, model=model)


def coerce_seed(text) -> int:
    """A seed from what the user typed: '42', ' 42 ', '42.0' -> 42; anything else is a
    ``ValueError`` that says what is allowed."""
    s = str(text).strip().replace(",", "").replace("_", "")
    try:
        value = float(s)
    except ValueError:
        raise ValueError(f"seed {text!r} is not a whole number; type e.g. 42") from None
    if value != int(value) or value < 0 or value >= 2**63:
        raise ValueError(f"seed {text!r} must be a whole number from 0 to 2^63-1")
    return int(value)


# ---------------------------------------------------------------------------------------------
# The session: a model and its two figures
# ---------------------------------------------------------------------------------------------

RESIDENT_LABELS = {
    "id": "Resident number", "orientation": "Orientation", "section": "Section",
    "withdrawn": "Stepped back (burnt out)", "ties": "Ties (people they know)",
    "need": "Outstanding need (0-1)", "energy": "Energy to help (0-1)",
    "strain": "Strain from helping (0-1; past 0.5 it is too much)",
    "self_reliance": "Reluctance to ask for help (0-1)", "indebtedness": "Feels in debt (0-1)",
    "resentment": "Resentment (0-1)", "attachment": "Attachment to the place (0-1)",
    "loneliness": "Loneliness (0-1)", "trust_in": "Trust in own group (0-1)",
    "trust_out": "Trust in other groups (0-1)", "trust_gen": "Trust in people generally (0-1)",
    "reputation": "Reputation (0-1)", "is_bridge": "Bridge figure",
    "is_organiser": "Organiser", "is_critical_friend": "Critical friend",
}


@dataclass(frozen=True)
class Frame:
    day: int
    network_png: bytes
    charts_png: bytes


class _Columns:
    """The model's metrics table seen as ``frame[name]`` with an ``index`` of days (what
    :class:`MetricChartsView` reads), without building a DataFrame each frame."""

    def __init__(self, table):
        self.table = table
        self.index = table.days[: table.n_rows]

    def __getitem__(self, name: str):
        return self.table.column(name)


class LiveSession:
    """One community on the live page. Thread-safe: the play loop and the buttons share it."""

    def __init__(self, scenario: Scenario, seed: int, *, label: str = ""):
        self.scenario = scenario
        self.seed = int(seed)
        self.label = label or scenario.name
        self.model = scenario.build_model(self.seed, face=True)
        metrics = {m.name: m for m in self.model.metrics.metrics}
        self.network = NetworkView(self.model, layout_seed=self.seed)
        self.charts = MetricChartsView(metrics, self.model.interventions)
        self.lock = threading.Lock()

    @property
    def day(self) -> int:
        return self.model.day

    @property
    def n_residents(self) -> int:
        return self.model.pop.n

    def step(self, days: int = 1) -> None:
        with self.lock:
            for _ in range(days):
                self.model.step()

    def render(self, shade: str = "trust_out", selected: int | None = None) -> Frame:
        with self.lock:
            net = self.network.png(self.model, shade, selected)
            charts = self.charts.png(_Columns(self.model.metrics))
            return Frame(self.model.day, net, charts)

    def resident_state(self, i: int) -> list[tuple[str, str]]:
        """(plain label, shown value) rows for resident ``i``, from ``Resident.state()``."""
        with self.lock:
            state = self.model.build_face().residents[i].state()
        rows = []
        for key, value in state.items():
            if isinstance(value, bool):
                shown = "yes" if value else "no"
            elif isinstance(value, float):
                shown = f"{value:.2f}"
            else:
                shown = str(value).replace("_", " ")
            rows.append((RESIDENT_LABELS.get(key, key.replace("_", " ")), shown))
        return rows

    def interventions(self) -> list[str]:
        days = self.scenario.run.days
        out = []
        for iv in self.model.interventions:
            start, end = iv.window(days) if hasattr(iv, "window") else (iv.start_day, days)
            out.append(f"{getattr(iv, 'label', iv.name)}: days {start}-{end}")
        return out


def resident_table_html(rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><td style='padding:1px 8px 1px 0;color:#444'>{html.escape(k)}</td>"
        f"<td style='padding:1px 0'><b>{html.escape(v)}</b></td></tr>" for k, v in rows)
    return f"<table class='resident-state' style='font-size:13px'>{cells}</table>"


# ---------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------


def _metric_help() -> list[tuple[str, str]]:
    names = ("trust_in_group", "trust_out_group", "help_seeking_rate", "unmet_need",
             "burnout_per_1000", "resentment_share", "loneliness_share")
    return [(REGISTRY[n].label, REGISTRY[n].doc) for n in names]


@solara.component
def Tipped(tooltip: str, children=(), classes=()):
    """Its children, with a one-sentence tooltip on hover."""
    with solara.Tooltip(tooltip):
        solara.Div(children=list(children), classes=list(classes))


@solara.component
def LabelledSlider(label: str, value: float, lo: float, hi: float, step: float, on_value,
                   tooltip: str, key: str, integer: bool = False):
    """A slider with its name and current value in plain words above it, and a tooltip;
    wrapped in a ``lever-<key>`` element (for tests and styling)."""
    shown = f"{int(value):,}" if integer else f"{float(value):g}"
    with Tipped(tooltip, classes=[f"lever-{key}"]):
        solara.Text(f"{label}: {shown}", style={"font-size": "13px"})
        if integer:
            solara.SliderInt("", value=int(value), min=int(lo), max=int(hi), step=int(step),
                             on_value=on_value, thumb_label=False)
        else:
            solara.SliderFloat("", value=float(value), min=lo, max=hi, step=step,
                               on_value=on_value, thumb_label=False)


@solara.component
def LeverSlider(lever: Lever, value: float, on_value):
    LabelledSlider(lever.label, value, lever.lo, lever.hi, lever.step, on_value,
                   lever.tooltip, lever.key, lever.integer)


@solara.component
def LivePage():
    choices = solara.use_memo(list_scenarios, [])
    labels = list(choices)
    # the first scenario that loads; the problems of broken ones before it go in the panel
    start = solara.use_memo(lambda: first_usable(choices, load_scenario_file, scenarios_dir()),
                            [])
    picked, set_picked = solara.use_state(start[0] or labels[0])
    error, set_error = solara.use_state(start[2])  # PageProblem rows; [] when all is well

    def first_session():
        scenario = start[1]
        return LiveSession(scenario, scenario.run.seed, label=start[0] or BUILT_IN)

    initial = solara.use_memo(first_session, [])
    session, set_session = solara.use_state(None)  # replaced on Reset
    current: LiveSession = session or initial
    levers, set_levers = solara.use_state(lever_values(initial.scenario))
    seed_text, set_seed_text = solara.use_state(str(initial.seed))
    shade, set_shade = solara.use_state("trust_out")
    selected, set_selected = solara.use_state(0)
    shown, set_shown = solara.use_state(None)  # (session, Frame) last drawn
    playing, set_playing = solara.use_state(False)
    busy, set_busy = solara.use_state(False)

    def draw(s: LiveSession, shade_=None, selected_=None):
        set_shown((s, s.render(shade_ or shade, selected if selected_ is None else selected_)))

    # the first frame of a community, drawn once; later frames come from draw()
    first_frame = solara.use_memo(lambda: current.render(shade, selected), [current])
    frame = shown[1] if shown is not None and shown[0] is current else first_frame

    def on_pick(label: str):
        set_picked(label)
        try:
            scenario = load_scenario_file(choices[label])
        except Exception as exc:  # ScenarioError lists every problem in the file
            set_error(page_problems(exc, scenarios_dir()))
            return
        set_error([])
        set_levers(lever_values(scenario))
        set_seed_text(str(scenario.run.seed))

    def do_reset():
        set_playing(False)
        try:
            seed = coerce_seed(seed_text)
            scenario = apply_levers(load_scenario_file(choices[picked]), levers)
        except Exception as exc:
            set_error(page_problems(exc, scenarios_dir()))
            return
        set_error([])
        set_busy(True)
        try:
            s = LiveSession(scenario, seed, label=picked)
            set_session(s)
            set_selected(min(selected, s.n_residents - 1))
            draw(s, selected_=min(selected, s.n_residents - 1))
        finally:
            set_busy(False)

    def do_step(days: int = 1):
        current.step(days)
        draw(current)

    def play_loop(cancel: threading.Event):
        while playing and not cancel.is_set():
            current.step(1)
            draw(current)
            time.sleep(PLAY_PAUSE_S)

    solara.use_thread(play_loop, dependencies=[playing, current, shade, selected])

    with solara.Sidebar():
        with solara.Card("Community", margin=0):
            with Tipped("Scenario files in the scenarios/ folder: the community and "
                        "interventions the run starts from."):
                solara.Select("Starting scenario", values=labels, value=picked,
                              on_value=on_pick)
            for lv in LEVERS:
                LeverSlider(lv, levers[lv.key],
                            on_value=lambda v, k=lv.key: set_levers({**levers, k: v}))
            with Tipped("Runs with the same seed and settings are identical; change "
                        "it to see another community drawn from the same scenario."):
                solara.InputText("Seed (a whole number)", value=seed_text,
                                 on_value=set_seed_text, continuous_update=True)
            solara.Text("Changes to the scenario, sliders and seed apply when you press "
                        "Reset.", style={"font-size": "12px", "color": "#555"})
            if error:
                ProblemPanel(error, classes=["live-error"])
        with solara.Card("Run", margin=0):
            with solara.Row():
                solara.Button("Play" if not playing else "Pause",
                              icon_name="mdi-play" if not playing else "mdi-pause",
                              on_click=lambda: set_playing(not playing), color="primary",
                              classes=["live-play"])
                solara.Button("Step", icon_name="mdi-skip-next", on_click=do_step,
                              disabled=playing, classes=["live-step"])
                solara.Button("Reset", icon_name="mdi-restore", on_click=do_reset,
                              disabled=busy, classes=["live-reset"])
            with solara.Row():
                solara.Button("+7 days", on_click=lambda: do_step(7), disabled=playing,
                              text=True, classes=["live-week"])
                solara.Button("+30 days", on_click=lambda: do_step(30), disabled=playing,
                              text=True, classes=["live-month"])

    with solara.Column(style={"padding": "8px"}):
        with solara.Row(style={"align-items": "baseline", "gap": "16px"}):
            solara.Text(f"Day {frame.day}", classes=["day-counter"],
                        style={"font-size": "22px", "font-weight": "bold"})
            solara.Text(f"{current.label}: {current.n_residents:,} residents, seed "
                        f"{current.seed}", classes=["live-community"],
                        style={"color": "#444"})
        ivs = current.interventions()
        if ivs:
            solara.Text("Interventions: " + "; ".join(ivs), style={"font-size": "13px"})
        with solara.Columns([1, 1]):
            with solara.Column():
                with Tipped("Dot size shows this state for every resident."):
                    solara.Select("Dot size shows", values=[s.label for s in
                                                            SHADE_STATES.values()],
                                  value=SHADE_STATES[shade].label,
                                  on_value=lambda lab: _shade(lab, set_shade, draw, current))
                solara.Image(frame.network_png, classes=["live-network"])
                with solara.Card("A resident", margin=0):
                    with Tipped(f"Type a resident's number (0 to {current.n_residents - 1});"
                                " they are ringed in red in the drawing."):
                        solara.InputInt(
                            "Resident number", value=selected, continuous_update=True,
                            on_value=lambda v: _select(v, current, set_selected, draw))
                    if 0 <= selected < current.n_residents:
                        solara.HTML(tag="div",
                                    unsafe_innerHTML=resident_table_html(
                                        current.resident_state(selected)))
                    else:
                        solara.Warning(f"No resident {selected}: choose 0 to "
                                       f"{current.n_residents - 1}.")
            with solara.Column():
                solara.Image(frame.charts_png, classes=["live-charts"])
                with solara.Card("What the charts show", margin=0):
                    items = "".join(f"<li><b>{html.escape(label)}</b>: {html.escape(doc)}</li>"
                                    for label, doc in _metric_help())
                    solara.HTML(tag="ul", unsafe_innerHTML=items,
                                style={"font-size": "12px", "padding-left": "16px"})


def _shade(label: str, set_shade, draw, session) -> None:
    name = next(s.name for s in SHADE_STATES.values() if s.label == label)
    set_shade(name)
    draw(session, shade_=name)


def _select(value, session: LiveSession, set_selected, draw) -> None:
    if value is None:
        return
    set_selected(int(value))
    if 0 <= int(value) < session.n_residents:
        draw(session, selected_=int(value))
