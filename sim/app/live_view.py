"""What a live run shows, redrawn with every frame: :func:`LiveView` composes the header
(:func:`RunHeader`), the run controls (:func:`RunControls`, Mesa's ``ModelController``), the
network with its legend (:func:`NetworkCell`), the charts with the running differences
(:func:`ChartsCell`), the picked resident (:func:`ResidentCard`) and what the charts show
(:func:`MetricHelp`), from the frames of a :class:`~sim.app.runner.Runner`.
"""

from __future__ import annotations

import contextlib

import solara

from sim.app.layout import NARROW_PX, ShortText, Tipped
from sim.app.legend import SHADE_STATES, legend_html
from sim.app.live_tables import differences_html, metric_help_html, resident_table_html
from sim.app.picture import Picture, Viewport
from sim.app.runner import DEFAULT_SPEED, SPEEDS, Runner
from sim.app.session import Frame
from sim.palette import WARNING_TEXT

BUILDING = "Building the community ..."


@solara.component
def LiveView(runner: Runner, pending: bool, blocked: str = ""):
    """The header, the run controls, the network, the charts, the differences and the picked
    resident, from the runner's frames.

    Args:
        runner: the page's worker (it calls back with frames, status and stops).
        pending: whether the design column has changes not yet applied.
        blocked: why nothing can run yet (the chosen file does not load), or "".
    """
    frame, set_frame = solara.use_state(None)
    status, set_status = solara.use_state(BUILDING)
    stopped, set_stopped = solara.use_state("")
    playing, set_playing = solara.use_state(False)
    # the resident picked is the runner's, which outlives the page (sim/app/kept.py): shown
    # again on return from the compare page
    picked_text, set_picked_text = solara.use_state(
        "0" if runner.selected is None else str(runner.selected))

    def connect():
        def publish(f: Frame):
            set_frame(f)
            set_status("")

        def on_stop(message: str):
            set_playing(False)
            set_stopped(message)

        def on_restart():  # a new setup: Play has stopped, the old run's note is gone
            on_stop("")

        runner.publish, runner.status, runner.on_stop = publish, set_status, on_stop
        runner.on_restart = on_restart
        if runner.latest is not None:
            publish(runner.latest)

        def disconnect():  # the page is left (the runner, kept, waits for its return)
            runner.publish, runner.status = (lambda _f: None), (lambda _m: None)
            runner.on_stop, runner.on_restart = (lambda _m: None), (lambda: None)
            runner.pause()  # Play stops: its button, drawn anew, says Play on return

        return disconnect

    solara.use_effect(connect, [runner])

    def toggle_play():
        if playing:
            runner.pause()
        else:
            set_stopped("")
            runner.play()
        set_playing(not playing)

    Viewport.element(on_width=lambda w: runner.set_narrow(0 < w <= NARROW_PX))
    if frame is None:
        with solara.Div(classes=["live-head"]):
            if blocked:
                solara.Warning(f"Nothing to run yet: {blocked}", classes=["live-blocked"])
            else:
                solara.Text(status or BUILDING, classes=["live-status"])
                solara.ProgressLinear(True)
        return
    RunHeader(frame, pending)
    RunControls(runner, playing, toggle_play, at_end=frame.day >= frame.run_days)
    if status:
        solara.Text(status, classes=["live-status"], style={"color": WARNING_TEXT})
        solara.ProgressLinear(True)
    if stopped:
        solara.Text(stopped, classes=["live-stopped"], style={"font-size": "13px"})
    with solara.Div(classes=["ks-grid"]):
        NetworkCell(runner, frame, on_pick=lambda i: set_picked_text(str(i)))
        ChartsCell(frame)
    with solara.Div(classes=["ks-grid"]):
        ResidentCard(runner, frame, picked_text, set_picked_text)
        MetricHelp()


@solara.component
def RunHeader(frame: Frame, pending: bool):
    """The day, the setup's name, its community and seed, a note while changes wait, and the
    interventions running (one element: the page's ``live-head``)."""
    with solara.Div(classes=["live-head"]):
        with solara.Row(style={"align-items": "baseline", "gap": "8px 16px",
                               "flex-wrap": "wrap"}):
            solara.Text(f"Day {frame.day}", classes=["day-counter"],
                        style={"font-size": "22px", "font-weight": "bold"})
            with solara.Div(style={"min-width": "0", "flex": "1 1 260px"}):
                # wrapped on a phone, not cut (sim/app/layout.py)
                ShortText(frame.label, classes=["live-header", "ks-wrap-narrow"],
                          style={"font-size": "18px", "font-weight": "500"})
                ShortText(f"{frame.n_residents:,} residents, seed {frame.seed}, "
                          f"run of {frame.run_days} days",
                          classes=["live-community", "ks-wrap-narrow"],
                          style={"color": "#444", "font-size": "13px"})
        if pending:
            solara.Text("Changes in the panel are not applied yet: press Apply and restart.",
                        classes=["live-pending-note"],  # a line of its own (a user check:
                        # "press Apply and restart.Interventions: ..." ran on)
                        style={"color": WARNING_TEXT, "font-size": "13px", "display": "block"})
        if frame.interventions:
            solara.Text("Interventions: " + "; ".join(frame.interventions),
                        classes=["live-interventions"],
                        style={"font-size": "13px", "display": "block"})


@solara.component
def RunControls(runner: Runner, playing: bool, toggle_play, at_end: bool = False):
    """Play or pause, step a day, a week or a month, and the speed of Play; the steps are
    greyed out while playing and at the run's last day (``at_end``: the runner stops there
    too), and so is Play at that day (a user check: it stayed enabled, and pressing it only
    said the run was complete)."""
    # the runner's speed, which outlives the page (sim/app/kept.py)
    speed, set_speed = solara.use_state(
        next((k for k, v in SPEEDS.items() if v == runner.speed), DEFAULT_SPEED))

    def on_speed(label: str):
        set_speed(label)
        runner.set_speed(SPEEDS[label])

    with solara.Row(classes=["live-run"], style={"flex-wrap": "wrap", "gap": "6px",
                                                 "align-items": "center", "margin": "6px 0"}):
        solara.Button("Pause" if playing else "Play",
                      icon_name="mdi-pause" if playing else "mdi-play",
                      on_click=toggle_play, color="primary", classes=["live-play"],
                      disabled=at_end and not playing)
        still = playing or at_end
        solara.Button("Step", icon_name="mdi-skip-next", on_click=lambda: runner.step(1),
                      disabled=still, classes=["live-step"])
        solara.Button("+7 days", on_click=lambda: runner.step(7), disabled=still,
                      text=True, classes=["live-week"])
        solara.Button("+30 days", on_click=lambda: runner.step(30), disabled=still,
                      text=True, classes=["live-month"])
        with solara.Div(style={"width": "190px"}), Tipped(
                "How fast Play runs, in simulated days a second; the pictures skip days "
                "when drawing every one would slow the run."):
            solara.Select("Speed", values=list(SPEEDS), value=speed, on_value=on_speed,
                          classes=["live-speed"])


@solara.component
def NetworkCell(runner: Runner, frame: Frame, on_pick):
    """The community picture, what its dots are sized by, and its legend; a click on a dot
    picks that resident (``on_pick(resident)``)."""
    shade, set_shade = solara.use_state(runner.shade)  # the runner's (it outlives the page)

    def on_shade(label: str):
        name = next(s.name for s in SHADE_STATES.values() if s.label == label)
        set_shade(name)
        runner.redraw(shade=name)

    def pick(x: float, y: float):
        i = runner.resident_at(x, y)
        if i is not None:
            on_pick(i)
            runner.redraw(selected=i)

    with solara.Div(classes=["live-network-cell"]):
        with Tipped("Dot size shows this state for every resident."):
            solara.Select("Dot size shows", values=[s.label for s in SHADE_STATES.values()],
                          value=SHADE_STATES[shade].label, on_value=on_shade)
        Picture(frame.network_png, on_pick=pick, classes=["live-network"])
        solara.HTML(tag="div", unsafe_innerHTML=legend_html())
        solara.Text("Click a dot to see that resident below.", classes=["ks-note"])


@solara.component
def ChartsCell(frame: Frame):
    """The charts, and the running difference from the baseline under them."""
    with solara.Div(classes=["live-charts-cell"]):
        Picture(frame.charts_png, classes=["live-charts"])
        solara.HTML(tag="div", unsafe_innerHTML=differences_html(frame))


def no_resident(typed: str, n_residents: int) -> str:
    """What the resident card says when no resident is picked by what was ``typed`` (an
    empty field read "No resident : choose 0 to 999.")."""
    typed = str(typed).strip()
    if not typed:
        return f"Type a resident's number, 0 to {n_residents - 1:,}, or click a dot."
    return f"No resident {typed}: choose 0 to {n_residents - 1:,}."


@solara.component
def ResidentCard(runner: Runner, frame: Frame, picked_text: str, set_picked_text):
    """The picked resident's state; a number typed here picks them too."""

    def type_resident(text: str):
        set_picked_text(text)
        with contextlib.suppress(ValueError):
            runner.redraw(selected=int(str(text).strip()))

    with solara.Card("A resident", margin=0):
        with Tipped(f"Type a resident's number (0 to {frame.n_residents - 1}) or click "
                    "a dot; they are ringed in red in the drawing."):
            solara.InputText("Resident number", value=picked_text,
                             on_value=type_resident, continuous_update=False)
        if frame.resident:
            solara.HTML(tag="div", unsafe_innerHTML=resident_table_html(frame.resident))
        else:
            solara.Warning(no_resident(picked_text, frame.n_residents))


@solara.component
def MetricHelp():
    """What each charted measure means."""
    with solara.Card("What the charts show", margin=0):
        solara.HTML(tag="div", unsafe_innerHTML=metric_help_html())
