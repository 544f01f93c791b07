"""The facts the lineage engine records, and the questions rules ask about them."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ..parse.chunks import Chunk
from .values import Data, Rows, cut


@dataclass(eq=False, slots=True)
class FitEvent:
    id: int
    order: int
    chunk: Chunk
    node: ast.Call
    method: str  # fit | fit_transform | fit_resample | partial_fit
    obj: object  # the receiver (values.Obj) before the fit
    data: Data  # what it is fitted on (the X argument)
    y: object  # the y argument's value, if any
    data_node: ast.AST | None
    scope: ast.AST | None  # the function whose body holds it; None for the module
    via: tuple = ()  # (chunk, call, function name) of each local function call it happened in, outermost first


@dataclass(eq=False, slots=True)
class StatisticEvent:
    id: int
    order: int
    chunk: Chunk
    node: ast.AST  # the expression applying the statistic (`df.fillna(...)`, `X - X.mean()`)
    statistic: object  # values.Statistic: the rows it summarises
    data: Data  # the data it is applied to
    scope: ast.AST | None
    via: tuple = ()


@dataclass(eq=False, slots=True)
class SplitInput:
    """Data cut by a split: its argument, or data indexed by the split's indices or sliced by hand."""

    split_id: int
    data: Data
    order: int
    chunk: Chunk
    node: ast.AST  # the expression that is split (or indexed by the split's indices)
    side: int | None = None  # for slices by hand: the side this slice takes


@dataclass(eq=False, slots=True)
class SplitEvent:
    id: int
    order: int
    chunk: Chunk
    node: ast.AST  # `train_test_split(...)`, `kf.split(...)`, or the first slice of a split by hand
    kind: str  # "random" (train_test_split), "cv" (a splitter's .split), "hand"
    parts: tuple | None = None  # hand splits by `len(part)` of a concatenation: (head rows, tail rows)
    scope: ast.AST | None = None
    via: tuple = ()


@dataclass(eq=False, slots=True)
class UseEvent:
    order: int
    chunk: Chunk
    node: ast.AST
    kind: str  # "train" | "evaluate" | "cv"
    obj: object  # the estimator (values.Obj) or None when unresolved
    data: Data | None  # X
    y: object
    values: tuple = ()  # every data argument (metrics take y_true, y_pred)
    scope: ast.AST | None = None
    via: tuple = ()


@dataclass(eq=False)
class LineageFacts:
    fits: list[FitEvent] = field(default_factory=list)
    statistics: list[StatisticEvent] = field(default_factory=list)
    splits: list[SplitEvent] = field(default_factory=list)
    uses: list[UseEvent] = field(default_factory=list)
    events: dict = field(default_factory=dict)  # id -> FitEvent | StatisticEvent
    split_inputs: list[SplitInput] = field(default_factory=list)
    split_by_id: dict = field(default_factory=dict)
    # id(chunk) -> the ForeignModule (foreign.py) holding it, for the chunks of other workspace files
    # whose functions were applied: their events' places are in that file.
    homes: dict = field(default_factory=dict)
    _sides: dict = field(default_factory=dict)
    _inputs: dict | None = None
    _used: dict | None = None

    def inputs_of(self, split: SplitEvent) -> list[SplitInput]:
        if self._inputs is None:
            self._inputs = {}
            for record in self.split_inputs:
                self._inputs.setdefault(record.split_id, []).append(record)
        return self._inputs.get(split.id, [])

    # ----- what rules ask --------------------------------------------------------------

    def hand_split_sides(self, split: SplitEvent) -> tuple[int, int] | None:
        """(train side, evaluation side) of a split by hand, once its use confirms it.

        Slicing data in two is a split only when one part is trained on and the
        other evaluated (RULES.md "reaches a split"); otherwise it is a subsample.
        """
        if split.kind != "hand":
            return (0, 1)
        if split.id not in self._sides:
            self._sides[split.id] = self._confirm(split)
        return self._sides[split.id]

    def _confirm(self, split: SplitEvent) -> tuple[int, int] | None:
        if split.parts is not None:
            trained, evaluated = self._uses_of_parts(split)
        else:
            trained, evaluated = self._sides_used().get(split.id, (set(), set()))
        for train_side in (0, 1):
            if train_side in trained and (1 - train_side) in evaluated:
                return train_side, 1 - train_side
        return None

    def _sides_used(self) -> dict:
        """split id -> (sides trained on, sides evaluated on), from every use at once. A value can
        only carry a split's step once the split happened, in the split's own scope."""
        if self._used is None:
            self._used = {}
            for use in self.uses:
                which = 0 if use.kind == "train" else 1
                for value in (use.data, *use.values):
                    if isinstance(value, Data):
                        for _, path in value.rows:
                            for split_id, side in path:
                                self._used.setdefault(split_id, (set(), set()))[which].add(side)
        return self._used

    def _uses_of_parts(self, split: SplitEvent):
        trained, evaluated = set(), set()
        for use in self.uses:
            if use.order < split.order or use.scope is not split.scope:
                continue
            sides = set()
            for value in (use.data, *use.values):
                if isinstance(value, Data):
                    sides |= self.sides_of(split, value.rows)
            (trained if use.kind == "train" else evaluated).update(sides)
        return trained, evaluated

    def sides_of(self, split: SplitEvent, rows: Rows) -> set[int]:
        sides = set()
        for atom in rows:
            for split_id, side in atom[1]:
                if split_id == split.id:
                    sides.add(side)
            if split.parts is not None:
                for side, part in enumerate(split.parts):
                    if atom in part:
                        sides.add(side)
        return sides

    def evaluation_rows(self, split: SplitEvent, data: Data) -> Rows | None:
        """The rows of `data` that end up on the evaluation side of `split` (None: unconfirmed)."""
        sides = self.hand_split_sides(split)
        if sides is None:
            return None
        if split.parts is not None:
            return split.parts[sides[1]]
        return cut(data.rows, split.id, sides[1])

    def last_split(self, atom) -> tuple[SplitEvent, int] | None:
        """The last split on an atom's path and the side the atom is on."""
        for split_id, side in reversed(atom[1]):
            split = self.split_by_id.get(split_id)
            if split is not None:
                return split, side
        return None

    def is_evaluation_side(self, atom) -> SplitEvent | None:
        """The split whose evaluation side `atom` is on (its last split), else None."""
        found = self.last_split(atom)
        if found is not None:
            split, side = found
            sides = self.hand_split_sides(split)
            if sides is not None and side == sides[1]:
                return split
        for split in self.splits:  # parts of a concatenation split by `len(part)`
            if split.parts is not None and atom in split.parts[1]:
                sides = self.hand_split_sides(split)
                if sides is not None and split.parts[sides[1]] is split.parts[1]:
                    return split
        return None

    def home_of(self, chunk):
        """The ForeignModule of a chunk of another workspace file, None for the document's own."""
        return self.homes.get(id(chunk)) if self.homes else None

    # ----- recording (used by the engine) ------------------------------------------------

    def add_event(self, event) -> None:
        self.events[event.id] = event
        (self.fits if isinstance(event, FitEvent) else self.statistics).append(event)

    def add_split(self, split: SplitEvent) -> None:
        self.splits.append(split)
        self.split_by_id[split.id] = split

    def add_split_input(self, record: SplitInput) -> None:
        self.split_inputs.append(record)

    def holds_anything(self) -> bool:
        """Most chunks and functions record nothing: merging their facts on every keystroke is skipped."""
        return bool(self.fits or self.statistics or self.splits or self.uses or self.split_inputs
                    or self.events or self.split_by_id or self.homes)

    def absorb(self, other: "LineageFacts") -> None:
        """Add what another walk (a chunk, a function) recorded."""
        self.fits += other.fits
        self.statistics += other.statistics
        self.splits += other.splits
        self.uses += other.uses
        self.split_inputs += other.split_inputs
        self.events.update(other.events)
        self.split_by_id.update(other.split_by_id)
        self.homes.update(other.homes)
