"""The Mesa face: ``Resident`` and ``Hub`` agents that read and write their own row of the
model's arrays, on a ``mesa.discrete_space.Network`` of the residents' ties.

Built on demand (``KindlinessModel.build_face``) for the visualiser and for inspection.
The network space holds the ties as they were when it was built; ``model.ties`` always has
the current ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from mesa.agent import Agent
from mesa.discrete_space import CellAgent, Network

from sim.params import ORIENTATIONS

# resident states exposed as agent attributes: reading or setting one touches the array row
RESIDENT_STATES = (
    "need", "energy", "strain", "self_reliance", "indebtedness", "resentment", "attachment",
    "loneliness", "trust_in", "trust_out", "trust_gen", "reputation", "is_bridge",
    "is_organiser", "is_critical_friend",
)


def _row_property(name: str):
    def get(self):
        value = getattr(self.model.pop, name)[self.index]
        return value.item() if hasattr(value, "item") else value

    def set_(self, value):
        getattr(self.model.pop, name)[self.index] = value

    return property(get, set_, doc=f"This resident's {name.replace('_', ' ')} (array row).")


class Resident(CellAgent):
    """A resident: a Mesa agent whose state is row ``index`` of ``model.pop``."""

    def __init__(self, model, index: int, cell):
        super().__init__(model)
        self.index = index
        self.cell = cell

    @property
    def orientation(self) -> str:
        return ORIENTATIONS[self.model.pop.orientation[self.index]]

    @property
    def section(self) -> str:
        return self.model.pop.section_names[self.model.pop.section[self.index]]

    @property
    def withdrawn(self) -> bool:
        return bool(self.model.pop.withdrawn_until[self.index] > self.model.day)

    @property
    def tie_ids(self) -> list[int]:
        t = self.model.ties
        return t.dst[t.indptr[self.index]:t.indptr[self.index + 1]].tolist()

    def state(self) -> dict:
        """Everything about this resident, for inspection and tooltips."""
        out = {"id": self.index, "orientation": self.orientation, "section": self.section,
               "withdrawn": self.withdrawn, "ties": len(self.tie_ids)}
        out.update({name: getattr(self, name) for name in RESIDENT_STATES})
        return out


for _name in RESIDENT_STATES:
    setattr(Resident, _name, _row_property(_name))


class Hub(Agent):
    """A hub (third space): a Mesa agent whose state is row ``index`` of ``model.hubs``."""

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index

    @property
    def spec(self):
        return self.model.hubs.specs[self.index]

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def visitors_today(self) -> int:
        return int(self.model.hubs.visitors_today[self.index])

    @property
    def palatability(self) -> float:
        return float(self.model.hubs.palatability[self.index])

    @palatability.setter
    def palatability(self, value: float) -> None:
        self.model.hubs.palatability[self.index] = value

    @property
    def closed(self) -> bool:
        return bool(self.model.hubs.closed[self.index])


@dataclass
class Face:
    space: Network
    residents: list[Resident]
    hubs: list[Hub]


def build_face(model) -> Face:
    """Mesa agents and a network space over the model's current ties (no layout computed:
    the spring layout costs minutes at 10,000 nodes, PLATFORM-NOTES)."""
    space = Network(model.ties.to_networkx(), capacity=1, random=model.random, layout=None)
    cells = space._cells if hasattr(space, "_cells") else {c.coordinate: c for c in space.all_cells}
    residents = [Resident(model, i, cells[i]) for i in range(model.pop.n)]
    hubs = [Hub(model, h) for h in range(model.hubs.n)]
    return Face(space, residents, hubs)
