"""The effects of applying a function body, kept to be applied again without walking it.

summaries.py applies a helper's body at each call with the arguments' values. Re-analysing a
document after a keystroke re-walks the chunks the edit touched and those whose inputs changed;
a helper they call with the same values would be walked again for the same answer. An `Effect`
is that answer: the events the body recorded, the value it returned, the parameters it changed in
place. It is keyed by the body's tree (a re-parsed helper is a new tree: an edit inside it misses),
the import table its names resolve through, the arguments' values and the walker's state the walk
reads (`Effects.key`).

The ids the body took (events, splits, data origins, objects) are unique and ordered: a reused
effect takes as many new ids, in the same order, and every value and event is rebuilt with them
(`Renumbering`), so it reads as if the body had just been walked. A body whose walk read state the
key does not cover (a split by hand shares the caller's table of hand splits) is not kept.

One cache per document, kept with its lineage walk from version to version (walker.py's
`ModuleRun`), at most `SIZE` effects, the least recently used forgotten first.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, replace

from .events import FitEvent, LineageFacts
from .values import (
    Bunch,
    Data,
    Enumerated,
    Frame,
    Function,
    Indexer,
    Instance,
    Length,
    LocalClass,
    Mapping,
    Mask,
    Obj,
    Shape,
    SplitFolds,
    Statistic,
    Text,
    Tup,
    Window,
)

SIZE = 256


@dataclass(eq=False, slots=True)
class Effect:
    ids: list  # the ids the walk took, in order
    facts: LineageFacts  # what it recorded
    prefix: tuple  # `via` of its events up to and including this call
    scope: object  # the scope its events were recorded in
    returned: object
    after: dict  # the values of `self` and of the parameters changed in place, after the body
    mutated: frozenset
    calls: int  # bodies applied (this one included): the walk's budget counts them


class Effects(OrderedDict):
    """Effect by key; `walks` and `reuses` count what the cache saved (tests read them)."""

    def __init__(self):
        super().__init__()
        self.walks = 0
        self.reuses = 0

    def find(self, key):
        effect = self.get(key)
        if effect is not None:
            self.move_to_end(key)
        return effect

    def keep(self, key, effect: Effect) -> None:
        self[key] = effect
        while len(self) > SIZE:
            self.popitem(last=False)


class Unknown(Exception):
    """A value this module cannot renumber: its effect is not kept."""


class Renumbering:
    """Values and events with the ids of one walk replaced by those of another (others kept)."""

    def __init__(self, ids: dict):
        self.ids = ids

    def id(self, value):
        return self.ids.get(value, value)

    def ids_of(self, values: frozenset) -> frozenset:
        return frozenset(self.ids.get(value, value) for value in values) if values else values

    def rows(self, rows):
        if not rows:
            return rows
        return frozenset((self.id(origin), tuple((self.id(split), side) for split, side in path))
                         for origin, path in rows)

    def value(self, value):  # noqa: C901  (one case per kind of value)
        if value is None or isinstance(value, (Text, Function, LocalClass, str, bool, int, float)):
            return value
        kind = type(value)
        if kind is Data:
            frame = value.frame
            column = value.column
            return replace(value, rows=self.rows(value.rows), taint=self.ids_of(value.taint),
                           frame=Frame(self.id(frame.ident), frame.excluded, frame.only) if frame else None,
                           column=(self.id(column[0]), column[1]) if column else None,
                           parts=tuple(self.rows(part) for part in value.parts) if value.parts else value.parts)
        if kind is Statistic:
            return Statistic(self.rows(value.rows), self.ids_of(value.taint))
        if kind is Obj:
            return replace(value, ident=self.id(value.ident), fits=self.ids_of(value.fits),
                           layers=self.ids_of(value.layers), rows=self.rows(value.rows))
        if kind is Instance:
            return replace(value, ident=self.id(value.ident), fits=self.ids_of(value.fits),
                           attrs=tuple((name, self.value(item)) for name, item in value.attrs))
        if kind is Tup:
            return Tup(tuple(self.value(item) for item in value.items))
        if kind is Mapping:
            return Mapping(tuple((name, self.value(item)) for name, item in value.items))
        if kind is SplitFolds:
            return SplitFolds(self.id(value.split_id), self.rows(value.rows))
        if kind is Enumerated:
            return Enumerated(self.value(value.inner))
        if kind in (Length, Shape):
            return kind(self.rows(value.rows))
        if kind is Indexer:
            return Indexer(self.value(value.data), value.kind)
        if kind is Window:
            return Window(self.value(value.data), value.grouped)
        if kind is Mask:
            return Mask(value.key, value.positive, self.rows(value.rows), self.ids_of(value.taint))
        if kind is Bunch:
            return Bunch(self.id(value.origin))
        raise Unknown(kind.__name__)

    def facts(self, facts: LineageFacts, via, scope) -> LineageFacts:
        """`facts` renumbered, their events' `via` starting with `via(old)` instead, in `scope`."""
        out = LineageFacts()
        splits = {}
        for split in facts.splits:
            new = replace(split, id=self.id(split.id), order=self.id(split.order),
                          parts=tuple(self.rows(part) for part in split.parts) if split.parts else split.parts,
                          scope=scope, via=via(split.via))
            splits[split.id] = new
            out.add_split(new)
        for event in facts.fits + facts.statistics:
            if isinstance(event, FitEvent):
                new = replace(event, id=self.id(event.id), order=self.id(event.order), obj=self.value(event.obj),
                              data=self.value(event.data), y=self.value(event.y), scope=scope, via=via(event.via))
            else:
                new = replace(event, id=self.id(event.id), order=self.id(event.order),
                              statistic=self.value(event.statistic), data=self.value(event.data), scope=scope,
                              via=via(event.via))
            out.add_event(new)
        # add_event keeps fits and statistics apart, as recorded: their own orders hold.
        out.uses = [replace(use, order=self.id(use.order), obj=self.value(use.obj), data=self.value(use.data),
                            y=self.value(use.y), values=tuple(self.value(item) for item in use.values), scope=scope,
                            via=via(use.via)) for use in facts.uses]
        out.split_inputs = [replace(record, split_id=self.id(record.split_id), data=self.value(record.data),
                                    order=self.id(record.order)) for record in facts.split_inputs]
        out.homes = dict(facts.homes)
        return out


def checked(effect: Effect) -> bool:
    """Every value of the effect can be renumbered (checked once, when it is kept)."""
    same = Renumbering({})
    try:
        same.value(effect.returned)
        for item in effect.after.values():
            same.value(item)
        same.facts(effect.facts, lambda via: via, effect.scope)
    except Unknown:
        return False
    return True

