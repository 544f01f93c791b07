"""What a variable holds, as far as data leakage is concerned.

The lineage engine (lineage.py) gives every expression one of these abstract
values; `None` means "nothing known" (an unresolved call ends the lineage).

Rows are sets of *atoms*. An atom is `(origin, path)`: `origin` numbers a data
set the code obtained (a `read_csv`, a loader, a function parameter, anything
unknown that is used as data) and `path` is the sequence of splits that cut
it, each step `(split_id, side)` with side 0 = train and 1 = test. So
`X_test` of `train_test_split(X, y)` holds `{(X's origin, ((s, 1),))}`. Row
sets compare by inclusion: data fitted on atom `a` has seen every row of any
atom whose path extends `a`'s.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace

Atom = tuple  # (origin: int, path: tuple[tuple[int, int], ...])
Rows = frozenset  # of Atom

NO_EVENTS: frozenset = frozenset()


def atom_within(atom: Atom, container: Atom) -> bool:
    """Every row of `atom` is a row of `container` (same origin, container's path is a prefix)."""
    if atom[0] != container[0]:
        return False
    prefix = container[1]
    return atom[1][: len(prefix)] == prefix


def covers(seen: Rows, rows: Rows) -> bool:
    """Some atom of `rows` lies wholly inside the rows `seen` (e.g. by a fit)."""
    return any(atom_within(atom, s) for atom in rows for s in seen)


def disjoint(a: Rows, b: Rows) -> bool:
    """Neither row set includes any atom of the other."""
    return not covers(a, b) and not covers(b, a)


def with_step(atom: Atom, split_id: int, side: int) -> Atom:
    origin, path = atom
    if any(step[0] == split_id for step in path):
        return atom  # indexing a side again by its own split keeps it
    return origin, path + ((split_id, side),)


def cut(rows: Rows, split_id: int, side: int) -> Rows:
    return frozenset(with_step(atom, split_id, side) for atom in rows)


@dataclass(frozen=True, slots=True)
class Frame:
    """The columns a table holds: all of frame `ident` but `excluded`, or exactly `only`."""

    ident: int
    excluded: frozenset = frozenset()
    only: frozenset | None = None

    def has(self, column: str) -> bool:
        return column in self.only if self.only is not None else column not in self.excluded

    def without(self, columns) -> "Frame":
        if self.only is not None:
            return Frame(self.ident, only=self.only - frozenset(columns))
        return Frame(self.ident, self.excluded | frozenset(columns))

    def with_column(self, column: str) -> "Frame":
        if self.only is not None:
            return Frame(self.ident, only=self.only | {column})
        return Frame(self.ident, self.excluded - {column})

    def select(self, columns) -> "Frame":
        return Frame(self.ident, only=frozenset(columns))


@dataclass(frozen=True, slots=True)
class Data:
    """Rows of a data set: a frame, an array, a tensor, predictions, an index."""

    rows: Rows
    taint: frozenset = NO_EVENTS  # ids of fit / resample / statistic events whose statistics shaped it
    frame: Frame | None = None  # its columns, when known (ML207)
    column: tuple | None = None  # (frame ident, name) for one column taken by a literal name
    parts: tuple | None = None  # row sets of a row-wise concatenation, in order
    target: bool = False  # a target vector (a loader's `y`, `bunch.target`)
    index_like: bool = False  # row positions or labels: indexing other data with it selects rows
    origin_node: object = None  # (chunk, node) of the `drop`/`[[...]]` that set `frame`, for fixes

    def derive(self, **changes) -> "Data":
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Statistic:
    """A statistic (mean, max, quantile, ...) of the rows `rows`."""

    rows: Rows
    taint: frozenset = NO_EVENTS


@dataclass(frozen=True, slots=True)
class Obj:
    """A library object: transformer, sampler, estimator, splitter, search, composite."""

    ident: int
    qualname: str
    role: str  # "transformer" | "sampler" | "estimator" | "splitter" | "search"
    exempt: bool = False  # learns only category values (ML201/ML203 exemption)
    stateless: bool = False  # learns nothing from the rows' values
    predicts: bool = False  # a model: `fit` trains it, `predict`/`score` evaluate it
    heldout_fit: bool = False  # meant to be fitted on held-out data (CalibratedClassifierCV(cv="prefit"))
    selects_columns: bool = False  # picks its input columns by name (ColumnTransformer), extra columns are fine
    fits: frozenset = NO_EVENTS  # fit events that may have set its state
    maybe_unfitted: bool = True
    rows: frozenset | None = None  # an old-API splitter's data (`KFold(n)`, `StratifiedKFold(y)`): iterable folds
    layers: frozenset = NO_EVENTS  # fits of the adapted preprocessing layers a Keras model contains

    def fitted(self, event_id: int) -> "Obj":
        return replace(self, fits=frozenset({event_id}), maybe_unfitted=False)


@dataclass(frozen=True, slots=True)
class Tup:
    """A tuple or list literal, or a call returning several values."""

    items: tuple


@dataclass(frozen=True, slots=True)
class SplitFolds:
    """`cv.split(X)`: iterating gives (train indices, test indices) of split `split_id`."""

    split_id: int
    rows: Rows


@dataclass(frozen=True, slots=True)
class Enumerated:
    inner: object


@dataclass(frozen=True, slots=True)
class Length:
    """`len(x)` / `x.shape[0]`: the number of rows of `rows`."""

    rows: Rows


@dataclass(frozen=True, slots=True)
class Shape:
    rows: Rows


@dataclass(frozen=True, slots=True)
class Indexer:
    """`x.iloc` / `x.loc`, waiting for its subscript."""

    data: Data
    kind: str


@dataclass(frozen=True, slots=True)
class Window:
    """`x.rolling(...)`, `x.groupby(...)`: aggregates are per row or per group."""

    data: Data
    grouped: bool


@dataclass(frozen=True, slots=True)
class Mask:
    """A boolean row selector; `key` names what it tests, `positive` its polarity."""

    key: str
    positive: bool
    rows: Rows
    taint: frozenset = NO_EVENTS


@dataclass(frozen=True, slots=True)
class Bunch:
    """What `sklearn.datasets.load_*` returns: `.data`, `.frame`, `.target`."""

    origin: int


@dataclass(frozen=True, slots=True)
class Mapping:
    """A dict whose string keys hold values (`data["X_test"]`), or a `datasets` DatasetDict."""

    items: tuple = ()  # (key, value) pairs

    def get(self, key: str):
        return next((value for name, value in self.items if name == key), None)

    def with_item(self, key: str, value) -> "Mapping":
        return Mapping(tuple((name, old) for name, old in self.items if name != key) + ((key, value),))


class Definition:
    """A function, lambda or class of this document (or of another workspace file, its `home`), equal to
    another of the same code at the same place whatever the parse: re-parsing the chunk that holds it
    (an edit elsewhere in that chunk) leaves the walk of the chunks after it valid."""

    __slots__ = ()

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and (self.node is other.node or self.key() == other.key())

    def __hash__(self) -> int:
        return hash(self.key())

    def key(self) -> tuple:
        """Its code and absolute place (computed once per parse)."""
        key = getattr(self.node, "_lineage_key", None)
        if key is None:
            node = self.node
            first = min([node.lineno] + [decorator.lineno for decorator in getattr(node, "decorator_list", ())])
            key = (getattr(self.home, "path", None), self.chunk.absolute_line(first), node.col_offset,
                   code_key(self.chunk.text, first, node))
            node._lineage_key = key
        return key


def code_key(text: str, first: int, node: ast.AST) -> tuple:
    """What a definition's code parses to: the same text at the same place parses the same, and
    comparing text is far cheaper than dumping the tree; text with a comment (or a `#` in a
    string) is compared by its tree instead, so an edit inside a comment changes nothing."""
    code = "\n".join(text.splitlines()[first - 1:node.end_lineno])
    if "#" in code:
        return "tree", ast.dump(node, include_attributes=True)
    return "text", code


@dataclass(frozen=True, slots=True, eq=False)
class Function(Definition):
    """A function or lambda of this document: calling it applies its body to the arguments."""

    node: object  # ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
    chunk: object  # the chunk that holds it (its calls are resolved there)
    home: object = None  # lineage/foreign.py's ForeignModule when another workspace file defines it


@dataclass(frozen=True, slots=True, eq=False)
class LocalClass(Definition):
    """A class of this document: calling it makes an `Instance`, its methods are `Function`s."""

    node: object  # ast.ClassDef
    chunk: object
    home: object = None  # as Function's

    def method(self, name: str) -> Function | None:
        for stmt in self.node.body:
            if getattr(stmt, "name", None) == name and not hasattr(stmt, "bases"):
                return Function(stmt, self.chunk, self.home)
        return None


@dataclass(frozen=True, slots=True)
class Instance:
    """An object of a local class; `attrs` are the values its methods stored on `self`."""

    cls: LocalClass
    ident: int
    attrs: tuple = ()  # (name, value) pairs
    fits: frozenset = NO_EVENTS  # its own fit events, when it is a transformer (RULES.md ML201)

    def get(self, name: str):
        return next((value for key, value in self.attrs if key == name), None)

    def with_attr(self, name: str, value) -> "Instance":
        return replace(self, attrs=tuple((key, old) for key, old in self.attrs if key != name) + ((name, value),))


@dataclass(frozen=True, slots=True)
class Text:
    """A string constant (column names)."""

    value: str


def merge(a, b):
    """The value of a variable after two control-flow paths: what either path may hold."""
    if a is b or b is None:
        return a
    if a is None:
        return b
    if isinstance(a, Data) and isinstance(b, Data):
        return Data(
            a.rows | b.rows, a.taint | b.taint,
            a.frame if a.frame == b.frame else None,
            a.column if a.column == b.column else None,
            a.parts if a.parts == b.parts else None,
            a.target and b.target, a.index_like and b.index_like,
            a.origin_node if a.frame == b.frame else None,
        )
    if isinstance(a, Obj) and isinstance(b, Obj) and a.ident == b.ident:
        return replace(a, fits=a.fits | b.fits, maybe_unfitted=a.maybe_unfitted or b.maybe_unfitted)
    if isinstance(a, Instance) and isinstance(b, Instance) and a.ident == b.ident:
        names = dict.fromkeys(key for key, _ in a.attrs + b.attrs)
        return replace(a, attrs=tuple((name, merge(a.get(name), b.get(name))) for name in names), fits=a.fits | b.fits)
    if a == b:
        return a
    return None
