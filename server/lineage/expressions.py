"""Evaluating expressions to lineage values: names, columns, row selections, arithmetic.

A mixin of the lineage walker (lineage.py): it reads `self.env`, records events
in `self.facts`. Calls are evaluated by calls.py.
"""

from __future__ import annotations

import ast

from .events import SplitEvent, SplitInput, StatisticEvent, UseEvent
from .mlapi import NON_COLUMN_ATTRIBUTES
from .values import (
    Bunch,
    Data,
    Frame,
    Function,
    Indexer,
    Instance,
    Length,
    Mapping,
    Mask,
    Shape,
    Statistic,
    Text,
    Tup,
    Window,
    atom_within,
    cut,
    merge,
)

COMPARISONS = {
    ast.Eq: ("==", True), ast.NotEq: ("==", False), ast.Lt: ("<", True), ast.GtE: ("<", False),
    ast.Gt: (">", True), ast.LtE: (">", False), ast.In: (" in ", True), ast.NotIn: (" in ", False),
    ast.Is: (" is ", True), ast.IsNot: (" is ", False),
}
SAME_DATA_ATTRIBUTES = frozenset({"values", "array", "str", "dt", "cat", "A"})
BUNCH_DATA = frozenset({"data", "images", "frame"})
DATA_ATTRIBUTES = SAME_DATA_ATTRIBUTES | {"index", "shape", "iloc", "loc"}
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


class ExpressionEvaluation:
    """Expression evaluation; the walker provides env, facts, chunk, has_call, next_id, bind."""

    def ev(self, node: ast.AST):
        handler = EXPRESSIONS.get(type(node))
        if handler is None:
            return self.ev_children(node)
        return handler(self, node)

    def ev_children(self, node: ast.AST):
        """An expression we do not model: evaluate only the calls inside it (a fit has effects)."""
        if id(node) not in self.has_call or isinstance(node, ast.Lambda):
            return None
        if isinstance(node, COMPREHENSIONS):
            self.begin_branch()  # the comprehension's own variables
            for generator in node.generators:
                self.bind(generator.target, self.element_of(self.ev(generator.iter)), None)
                for condition in generator.ifs:
                    self.ev(condition)
            for part in (getattr(node, "elt", None), getattr(node, "key", None), getattr(node, "value", None)):
                if part is not None:
                    self.ev(part)
            self.end_branch()
            return None
        for child in ast.iter_child_nodes(node):
            if id(child) in self.has_call:
                self.ev(child)
        return None

    # ----- data values ------------------------------------------------------------------

    def fresh(self) -> Data:
        """A data set the code obtained in a way we do not model: new rows, all columns."""
        origin = self.next_id()
        return Data(frozenset({(origin, ())}), frame=Frame(origin))

    def as_data(self, value, node: ast.AST | None = None) -> Data | None:
        """`value` used as data: unknown values become a fresh data set (named ones keep it)."""
        if isinstance(value, Data):
            return value
        if isinstance(value, Window):
            return value.data
        if isinstance(value, Indexer):
            return value.data
        if isinstance(value, Instance):  # a dataset class holding its arrays on `self`
            datas = [item for _, item in value.attrs if isinstance(item, Data)]
            return Data(frozenset().union(*(d.rows for d in datas)), frozenset().union(*(d.taint for d in datas))) \
                if datas else None
        if value is not None and not isinstance(value, (Tup, Bunch)):
            return None
        data = self.fresh()
        if isinstance(node, ast.Name) and self.env.get(node.id) is None:
            self.assign(node.id, data)
        return data

    def column_of(self, data: Data, name: str) -> Data:
        # A table whose columns are unknown still names the column (ident None: no frame to compare).
        column = (data.frame.ident if data.frame is not None else None, name)
        return Data(data.rows, data.taint, None, column, data.parts, data.target)

    def use(self, kind: str, node: ast.AST, obj, data, y, values=()) -> None:
        self.facts.uses.append(UseEvent(self.next_id(), self.chunk, node, kind, obj, data, y,
                                        tuple(values), self.scope, self.via))

    # ----- names and attributes -----------------------------------------------------------

    def ev_name(self, node: ast.Name):
        return self.env.get(node.id)

    def ev_constant(self, node: ast.Constant):
        return Text(node.value) if isinstance(node.value, str) else None

    def is_local(self, node: ast.AST) -> bool:
        while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
            node = node.func if isinstance(node, ast.Call) else node.value
        return isinstance(node, ast.Name) and node.id in self.env

    def ev_attribute(self, node: ast.Attribute):
        base = self.ev(node.value)
        attr = node.attr
        if base is None and isinstance(node.value, ast.Name) and attr in DATA_ATTRIBUTES:
            base = self.as_data(None, node.value)
        if isinstance(base, Data):
            return self.data_attribute(base, attr)
        if isinstance(base, Bunch):
            return self.bunch_member(base, attr)
        if isinstance(base, (Statistic, Window)):
            return base
        if isinstance(base, Instance):
            return base.get(attr)
        return None

    def data_attribute(self, data: Data, attr: str):
        if attr in SAME_DATA_ATTRIBUTES:
            return data
        if attr == "index":
            return Data(data.rows, index_like=True)
        if attr == "shape":
            return Shape(data.rows)
        if attr in ("iloc", "loc"):
            return Indexer(data, attr)
        if attr in NON_COLUMN_ATTRIBUTES or attr.startswith("_"):
            return None
        return self.column_of(data, attr)  # `df.target`

    def bunch_member(self, bunch: Bunch, attr: str):
        rows = frozenset({(bunch.origin, ())})
        if attr in BUNCH_DATA:
            return Data(rows, frame=Frame(bunch.origin))
        if attr == "target":
            return Data(rows, target=True)
        return None

    # ----- subscripts: columns and rows ---------------------------------------------------

    def ev_subscript(self, node: ast.Subscript):
        if not self.is_local(node.value):
            stacked = self.index_trick(node)
            if stacked is not False:
                return stacked
        base = self.ev(node.value)
        key = node.slice
        if base is None and isinstance(node.value, ast.Name):
            base = self.as_data(None, node.value)  # an unknown name indexed like data is data
        if isinstance(base, Indexer):
            return self.indexer_subscript(base, key, node)
        if isinstance(base, Data):
            return self.data_subscript(base, key, node)
        if isinstance(base, Tup):
            index = key.value if isinstance(key, ast.Constant) else None
            if isinstance(index, int) and -len(base.items) <= index < len(base.items):
                return base.items[index]
            return None
        if isinstance(base, Shape):
            return Length(base.rows) if isinstance(key, ast.Constant) and key.value == 0 else None
        if isinstance(base, Bunch) and isinstance(key, ast.Constant) and isinstance(key.value, str):
            return self.bunch_member(base, key.value)
        if isinstance(base, Mapping):
            name = self.literal_columns(key)
            return base.get(name) if isinstance(name, str) else None
        if id(key) in self.has_call:
            self.ev(key)
        return base if isinstance(base, (Statistic, Window)) else None

    def index_trick(self, node: ast.Subscript):
        """`np.c_[a, b]` stacks columns, `np.r_[a, b]` rows; False when it is neither."""
        name = self.model.resolve(node.value)
        if name not in ("numpy.c_", "numpy.r_"):
            return False
        elements = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        values = [self.ev(element) for element in elements]
        datas = [v for v in values if isinstance(v, Data)]
        if not datas:
            return None
        return self.stack(datas, rows_wise=name == "numpy.r_")

    def data_subscript(self, data: Data, key: ast.AST, node: ast.AST):
        if isinstance(key, ast.Tuple) and key.elts:  # numpy `X[rows, columns]`
            selected = self.select_rows(data, key.elts[0], node)
            for element in key.elts[1:]:
                if id(element) in self.has_call:
                    self.ev(element)
            return selected.derive(frame=None, column=None, origin_node=None) if selected is not None else None
        columns = self.literal_columns(key)
        if isinstance(columns, str):
            return self.column_of(data, columns)
        if columns is not None:
            frame = data.frame.select(columns) if data.frame is not None else None
            # `df[["target"]]` is that one column too (a target as a one-column frame).
            column = (data.frame.ident, columns[0]) if data.frame is not None and len(columns) == 1 else None
            return data.derive(frame=frame, column=column, origin_node=(self.chunk, node))
        return self.select_rows(data, key, node)

    def indexer_subscript(self, indexer: Indexer, key: ast.AST, node: ast.AST):
        data = indexer.data
        row_key, column_key = (key.elts[0], key.elts[1]) if isinstance(key, ast.Tuple) and len(key.elts) == 2 \
            else (key, None)
        selected = self.select_rows(data, row_key, node)
        if selected is None or column_key is None:
            return selected
        if isinstance(column_key, ast.Slice) and column_key.lower is None and column_key.upper is None:
            return selected
        columns = self.literal_columns(column_key) if indexer.kind == "loc" else None
        if isinstance(columns, str):
            return self.column_of(selected, columns)
        if columns is not None and selected.frame is not None:
            return selected.derive(frame=selected.frame.select(columns), column=None, origin_node=(self.chunk, node))
        if id(column_key) in self.has_call:
            self.ev(column_key)
        return selected.derive(frame=None, column=None, origin_node=None)

    def literal_columns(self, key: ast.AST):
        """A column name (str) or a list of names written as literals (or string constants)."""
        if isinstance(key, ast.Constant):
            return key.value if isinstance(key.value, str) else None
        if isinstance(key, ast.Name):
            value = self.env.get(key.id)
            if isinstance(value, Tup) and value.items and all(isinstance(item, Text) for item in value.items):
                return [item.value for item in value.items]  # `FEATURES = ["a", "b"]; df[FEATURES]`
            return value.value if isinstance(value, Text) else None
        if isinstance(key, (ast.List, ast.Tuple)) and key.elts:
            names = [self.literal_columns(element) for element in key.elts]
            return names if all(isinstance(name, str) for name in names) else None
        if isinstance(key, ast.BinOp) and isinstance(key.op, ast.Add):  # `df[NUMERIC + CATEGORICAL]`
            left, right = self.literal_columns(key.left), self.literal_columns(key.right)
            return left + right if isinstance(left, list) and isinstance(right, list) else None
        return None

    def select_rows(self, data: Data, key: ast.AST, node: ast.AST) -> Data | None:
        if isinstance(key, ast.Slice):
            return self.slice_rows(data, key, node)
        selector = self.ev(key)
        if isinstance(selector, Mask):
            split = self.hand_split(data, ("mask", selector.key), node, 0 if selector.positive else 1)
            side = 0 if selector.positive else 1
            return data.derive(rows=cut(data.rows, split.id, side), parts=None, taint=data.taint | selector.taint)
        if isinstance(selector, Data) and selector.index_like:
            return self.index_rows(data, selector, node)
        if isinstance(selector, Text):
            return self.column_of(data, selector.value)
        return data.derive(parts=None, frame=None, column=None, origin_node=None)

    def index_rows(self, data: Data, index: Data, node: ast.AST) -> Data:
        """`X[train_idx]`, `df.loc[X_train.index]`: the rows the index names."""
        step = common_last_step(index.rows)
        self.shared_state_read = True  # known_splits: not part of an applied body's inputs (effects.py)
        if step is not None and step[0] in self.known_splits:
            self.facts.add_split_input(SplitInput(step[0], data, self.next_id(), self.chunk, node))
            return data.derive(rows=cut(data.rows, *step), parts=None)
        if all(any(atom_within(atom, own) for own in data.rows) for atom in index.rows):
            return data.derive(rows=index.rows, parts=None)
        return data.derive(parts=None)

    def slice_rows(self, data: Data, key: ast.Slice, node: ast.AST) -> Data:
        """`data[:n]` / `data[n:]`: the two sides of a split by hand (or a subsample)."""
        if key.step is not None or (key.lower is None) == (key.upper is None):
            for bound in (key.lower, key.upper, key.step):
                if bound is not None and id(bound) in self.has_call:
                    self.ev(bound)
            return data if key.lower is None else data.derive(parts=None)
        bound = key.upper if key.upper is not None else key.lower
        side = 0 if key.upper is not None else 1
        size = self.ev(bound)
        parts = data.parts
        if isinstance(size, Length) and parts and len(parts) >= 2 and size.rows == parts[0]:
            head, tail = parts[0], frozenset().union(*parts[1:])
            self.hand_split(data, ("len", head), node, side, parts=(head, tail))
            return data.derive(rows=(head, tail)[side], parts=None)
        split = self.hand_split(data, ("slice", ast.unparse(bound)), node, side)
        return data.derive(rows=cut(data.rows, split.id, side), parts=None)

    def hand_split(self, data: Data, key: tuple, node: ast.AST, side: int, parts=None) -> SplitEvent:
        full_key = (data.rows, key)
        self.shared_state_read = True  # hand splits are shared with the caller (effects.py)
        split = self.hand_splits.get(full_key)
        if split is None:
            split = SplitEvent(self.next_id(), self.last_id, self.chunk, node, "hand", parts=parts, scope=self.scope,
                               via=self.via)
            self.record_split(split)
            self.hand_splits[full_key] = split
        self.facts.add_split_input(SplitInput(split.id, data, self.next_id(), self.chunk, node, side))
        return split

    # ----- operators ----------------------------------------------------------------------

    def ev_binop(self, node: ast.BinOp):
        left, right = self.ev(node.left), self.ev(node.right)
        if isinstance(node.op, (ast.BitAnd, ast.BitOr)) and (isinstance(left, Mask) or isinstance(right, Mask)):
            mask = left if isinstance(left, Mask) else right
            return Mask(ast.unparse(node), True, mask.rows, mask.taint)
        return self.binary(node, left, right, node.left, node.right)

    def binary(self, node: ast.AST, left, right, left_node=None, right_node=None):
        # `X - X.mean()` on a parameter: the unbound name is the data the statistic was taken of
        # (evaluating the right side may just have made it data).
        if left is None and isinstance(left_node, ast.Name):
            left = self.env.get(left_node.id)
        if left is None and isinstance(right, (Data, Statistic)) and self.unbound(left_node):
            left = self.as_data(None, left_node)
        elif right is None and isinstance(left, (Data, Statistic)) and self.unbound(right_node):
            right = self.as_data(None, right_node)
        if isinstance(left, Data) and isinstance(right, Statistic):
            return self.apply_statistic(node, left, right)
        if isinstance(left, Statistic) and isinstance(right, Data):
            return self.apply_statistic(node, right, left)
        if isinstance(left, Data) and isinstance(right, Data):
            return left.derive(rows=left.rows | right.rows, taint=left.taint | right.taint,
                               frame=left.frame if left.frame == right.frame else None, column=None)
        if isinstance(left, Data):
            return left.derive(column=None) if left.column else left
        if isinstance(right, Data):
            return right.derive(column=None) if right.column else right
        if isinstance(left, Statistic) or isinstance(right, Statistic):
            stats = [v for v in (left, right) if isinstance(v, Statistic)]
            return Statistic(frozenset().union(*(s.rows for s in stats)), frozenset().union(*(s.taint for s in stats)))
        return None

    def unbound(self, node) -> bool:
        """A name this scope never bound (a parameter, a global): unknown, but maybe data."""
        return isinstance(node, ast.Name) and node.id not in self.env and self.model.resolve(node) is None

    def apply_statistic(self, node: ast.AST, data: Data, statistic: Statistic) -> Data:
        if self.quiet_statistics:
            return data.derive(taint=data.taint | statistic.taint, column=None)
        event = StatisticEvent(self.next_id(), self.last_id, self.chunk, node, statistic, data, self.scope, self.via)
        self.facts.add_event(event)
        return data.derive(taint=data.taint | statistic.taint | {event.id}, column=None)

    def ev_unaryop(self, node: ast.UnaryOp):
        operand = self.ev(node.operand)
        if isinstance(operand, Mask) and isinstance(node.op, (ast.Invert, ast.Not)):
            return Mask(operand.key, not operand.positive, operand.rows, operand.taint)
        return operand if isinstance(operand, (Data, Statistic)) else None

    def ev_compare(self, node: ast.Compare):
        left = self.ev(node.left)
        rights = [self.ev(comparator) for comparator in node.comparators]
        if len(node.ops) != 1 or type(node.ops[0]) not in COMPARISONS:
            return None
        data = left if isinstance(left, Data) else rights[0] if isinstance(rights[0], Data) else None
        if data is None:
            return None
        symbol, positive = COMPARISONS[type(node.ops[0])]
        key = ast.unparse(node.left) + symbol + ast.unparse(node.comparators[0])
        return Mask(key, positive, data.rows, data.taint)

    def ev_boolop(self, node: ast.BoolOp):
        values = [self.ev(value) for value in node.values]
        masks = [v for v in values if isinstance(v, Mask)]
        return Mask(ast.unparse(node), True, masks[0].rows, masks[0].taint) if masks else None

    def ev_ifexp(self, node: ast.IfExp):
        self.ev(node.test)
        return merge(self.ev(node.body), self.ev(node.orelse))

    def ev_sequence(self, node):
        return Tup(tuple(None if isinstance(e, ast.Starred) else self.ev(e) for e in node.elts))

    def ev_dict(self, node: ast.Dict):
        """`{"X_train": X_train, ...}`: the values under literal string keys."""
        items = []
        for key, value in zip(node.keys, node.values):
            evaluated = self.ev(value)
            name = self.literal_columns(key) if key is not None else None
            if isinstance(name, str):
                items.append((name, evaluated))
        return Mapping(tuple(items))

    def ev_lambda(self, node: ast.Lambda):
        return Function(node, self.chunk)

    def ev_namedexpr(self, node: ast.NamedExpr):
        value = self.ev(node.value)
        self.bind(node.target, value, node.value)
        return value

    # ----- assignments into data ----------------------------------------------------------

    def mutate(self, target: ast.AST, value) -> None:
        """`df["a"] = ...`, `df.loc[m, "a"] = ...`: the frame now also holds what was written."""
        root = target
        while isinstance(root, (ast.Subscript, ast.Attribute)):
            if isinstance(root, ast.Subscript) and id(root.slice) in self.has_call:
                self.ev(root.slice)
            root = root.value
        if not isinstance(root, ast.Name):
            return
        self.mutated.add(root.id)
        old = self.env.get(root.id)
        if old is not None and not isinstance(old, Data):
            return
        old = self.as_data(old, root)
        if isinstance(value, Statistic):  # `df.loc[df.a.isna(), "a"] = df.a.mean()` imputes by hand
            old = self.apply_statistic(getattr(target, "_parent", target), old, value)
        elif isinstance(value, Data):
            old = old.derive(taint=old.taint | value.taint)
        column = self.literal_columns(target.slice) if isinstance(target, ast.Subscript) and \
            target.value is root else None
        if isinstance(column, str) and old.frame is not None:
            old = old.derive(frame=old.frame.with_column(column))
        self.assign(root.id, old)

    def drop_column(self, name: str, key: ast.AST) -> None:
        data = self.env.get(name)
        column = self.literal_columns(key)
        if isinstance(data, Data) and data.frame is not None and isinstance(column, str):
            self.assign(name, data.derive(frame=data.frame.without([column])))

    def stack(self, datas: list[Data], rows_wise: bool) -> Data:
        """Rows of several data sets one after another, or their columns side by side."""
        taint = frozenset().union(*(d.taint for d in datas))
        rows = frozenset().union(*(d.rows for d in datas))
        # The stacked table has columns of its own (for concatenated frames, the union).
        frame = Frame(self.next_id()) if any(d.frame is not None for d in datas) else None
        if rows_wise:
            return Data(rows, taint, frame, parts=tuple(d.rows for d in datas))
        first = datas[0]
        return Data(rows, taint, frame, None, first.parts, first.target)


def common_last_step(rows) -> tuple | None:
    steps = {atom[1][-1] if atom[1] else None for atom in rows}
    if len(steps) == 1:
        step = steps.pop()
        return step
    return None


EXPRESSIONS = {
    ast.Name: ExpressionEvaluation.ev_name,
    ast.Constant: ExpressionEvaluation.ev_constant,
    ast.Attribute: ExpressionEvaluation.ev_attribute,
    ast.Subscript: ExpressionEvaluation.ev_subscript,
    ast.BinOp: ExpressionEvaluation.ev_binop,
    ast.UnaryOp: ExpressionEvaluation.ev_unaryop,
    ast.Compare: ExpressionEvaluation.ev_compare,
    ast.BoolOp: ExpressionEvaluation.ev_boolop,
    ast.IfExp: ExpressionEvaluation.ev_ifexp,
    ast.Tuple: ExpressionEvaluation.ev_sequence,
    ast.List: ExpressionEvaluation.ev_sequence,
    ast.NamedExpr: ExpressionEvaluation.ev_namedexpr,
    ast.Lambda: ExpressionEvaluation.ev_lambda,
    ast.Dict: ExpressionEvaluation.ev_dict,
}
