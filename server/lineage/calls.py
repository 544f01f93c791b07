"""Evaluating calls to lineage values: library functions, objects' methods, data methods.

A mixin of the lineage walker (lineage.py). A call is classified by the name it
resolves to through the imports, or by the value of its receiver; a call that
is neither (a project function, an unknown library) ends the lineage: its
result is unknown, and only the calls nested in its arguments are evaluated.
"""

from __future__ import annotations

import ast
from dataclasses import replace

from ..model.calls import has_keyword, keyword, keyword_constant
from . import mlapi as api
from .events import FitEvent, SplitEvent, SplitInput
from .expressions import EXPRESSIONS, common_last_step
from .values import (
    Bunch,
    Data,
    Enumerated,
    Frame,
    Function,
    Instance,
    Length,
    LocalClass,
    Mapping,
    Mask,
    Obj,
    SplitFolds,
    Statistic,
    Tup,
    Window,
    cut,
)

COLUMN_PRESERVING_TRANSFORMERS = ("sklearn.preprocessing.", "sklearn.impute.")
# sklearn.preprocessing functions that standardise with statistics of their whole input.
SCALING_FUNCTIONS = frozenset({"scale", "minmax_scale", "robust_scale", "maxabs_scale", "quantile_transform",
                               "power_transform"})
GROUP_ROW_METHODS = frozenset({"transform", "fillna", "shift", "diff", "cumsum", "cumcount", "rank", "bfill",
                               "ffill", "pct_change", "cummax", "cummin"})
ROW_WISE_AXES = (1, -1, "columns")
COLUMN_SELECTORS = frozenset({"sklearn.compose.ColumnTransformer", "sklearn.compose.make_column_transformer"})


class CallEvaluation:
    def ev_call(self, node: ast.Call):
        func = node.func
        if (foreign := self.foreign_callee(func)) is not None:
            return self.call_local(node, foreign)
        name = self.call_names.get(id(node))
        if name is not None and not self.is_local(func):
            return self.library_call(node, name)
        if isinstance(func, ast.Name) and isinstance(self.env.get(func.id), (Function, LocalClass)):
            return self.call_local(node, self.env[func.id])
        if isinstance(func, ast.Name) and is_keras_layer(self.env.get(func.id)):  # `norm(X)`: the layer applied
            return self.object_method(node, "transform", self.env[func.id], func)
        if isinstance(func, ast.Attribute):
            return self.method_call(node, func.attr, self.ev(func.value), func.value)
        self.skip_arguments(node)
        return None

    def skip_arguments(self, node: ast.Call) -> None:
        """Evaluate only the calls nested in the arguments (for their effects)."""
        for arg in node.args:
            if id(arg) in self.has_call:
                self.ev(arg)
        for kw in node.keywords:
            if id(kw.value) in self.has_call:
                self.ev(kw.value)

    def arguments(self, node: ast.Call) -> tuple[list, dict]:
        args = [None if isinstance(a, ast.Starred) else self.ev(a) for a in node.args]
        kwargs = {kw.arg: self.ev(kw.value) for kw in node.keywords if kw.arg is not None}
        return args, kwargs

    # ----- library functions and classes ------------------------------------------------

    def library_call(self, node: ast.Call, name: str):
        short = api.short_name(name)
        if name.startswith(api.MODEL_SELECTION):
            if short in api.SPLIT_FUNCTIONS:
                return self.train_test_split(node)
            if short in api.CV_FUNCTIONS:
                return self.cv_function(node)
        if name.startswith("sklearn.metrics."):
            args, kwargs = self.arguments(node)
            self.use("evaluate", node, None, None, None, [v for v in (*args, *kwargs.values()) if isinstance(v, Data)])
            return None
        if name.startswith("sklearn.preprocessing.") and short in SCALING_FUNCTIONS:
            return self.scaling_function(node)
        obj = self.construct(node, name, short)
        if obj is not None:
            return obj
        handler = self.function_handler(name, short)
        if handler is not None:
            return handler(node, name)
        self.skip_arguments(node)
        return None

    def function_handler(self, name: str, short: str):
        if name.startswith(api.PANDAS_READERS_PREFIX):
            return self.read_data
        if name.startswith(api.DATASET_LOADERS):
            return self.load_dataset
        if name.startswith(api.DATASET_GENERATORS):
            return self.generate_dataset
        if name in api.ELEMENTWISE_FUNCTIONS:
            return self.elementwise
        if name in api.COLUMN_STACKS or name in api.ROW_STACKS or name in api.AXIS_CONCATS:
            return self.concatenate
        if name.startswith("numpy.") and short in api.NUMPY_STATISTICS:
            return self.numpy_statistic
        if name in api.STAT_APPLYING_FUNCTIONS:
            return self.statistic_function
        if name in api.INDEX_SOURCES:
            return self.index_source
        if name == "sklearn.base.clone":
            return self.clone
        if name == "torch.utils.data.random_split":
            return self.random_split
        builtin = BUILTIN_HANDLERS.get(name)
        return getattr(self, builtin) if builtin else None

    def construct(self, node: ast.Call, name: str, short: str) -> Obj | None:
        """A library object: its role decides what `fit`, `transform`, `predict` mean."""
        if name in api.COMPOSITES:
            return self.composite(node, name)
        if not short[:1].isupper():
            return None
        if api.is_transformer_class(name):
            self.skip_arguments(node)
            exempt = short in api.CATEGORY_ONLY_ENCODERS and not has_keyword(node, *api.FREQUENCY_LIMITS)
            return Obj(self.next_id(), name, "transformer", exempt, short in api.STATELESS_TRANSFORMERS)
        if api.is_keras_preprocessing_layer(name):
            self.skip_arguments(node)
            return Obj(self.next_id(), name, "transformer", short in api.KERAS_LOOKUPS and not has_keyword(node, "max_tokens"))
        if api.is_model_selection(name, api.SPLITTERS):
            args, kwargs = self.local_arguments(node)
            return Obj(self.next_id(), name, "splitter", rows=old_api_rows(args, kwargs))
        if api.is_model_selection(name, api.SEARCHES):
            self.arguments(node)
            return Obj(self.next_id(), name, "search", predicts=True)
        if api.is_sampler_class(name):
            self.skip_arguments(node)
            return Obj(self.next_id(), name, "sampler")
        if api.is_estimator_class(name):
            args, kwargs = self.arguments(node)
            prefit = short == "CalibratedClassifierCV" and keyword_constant(node, "cv") == "prefit"
            return Obj(self.next_id(), name, "estimator", predicts=True, heldout_fit=prefit,
                       layers=adapted_layers((*args, *kwargs.values())))
        return None

    def composite(self, node: ast.Call, name: str) -> Obj:
        """Pipeline / make_pipeline / ColumnTransformer: a transformer when a step is one."""
        args, kwargs = self.arguments(node)
        steps = list(objects_in((*args, *kwargs.values())))
        transformers = [step for step in steps if step.role == "transformer"]
        role = "transformer" if transformers else "estimator"
        return Obj(
            self.next_id(), name, role,
            exempt=bool(transformers) and all(step.exempt for step in transformers),
            stateless=bool(transformers) and all(step.stateless for step in transformers),
            predicts=any(step.predicts for step in steps),
            selects_columns=name in COLUMN_SELECTORS or any(step.selects_columns for step in steps),
        )

    def clone(self, node: ast.Call, name: str):
        args, _ = self.arguments(node)
        if args and isinstance(args[0], Obj):
            return replace(args[0], ident=self.next_id(), fits=frozenset(), maybe_unfitted=True)
        return None

    def read_data(self, node: ast.Call, name: str) -> Data:
        self.skip_arguments(node)
        return self.fresh()

    def load_dataset(self, node: ast.Call, name: str):
        self.skip_arguments(node)
        origin = self.next_id()
        rows = frozenset({(origin, ())})
        if keyword_constant(node, "return_X_y") is True:
            return Tup((Data(rows, frame=Frame(origin)), Data(rows, target=True)))
        return Bunch(origin)

    def generate_dataset(self, node: ast.Call, name: str):
        self.skip_arguments(node)
        origin = self.next_id()
        rows = frozenset({(origin, ())})
        return Tup((Data(rows, frame=Frame(origin)), Data(rows, target=True)))

    def elementwise(self, node: ast.Call, name: str):
        args, kwargs = self.arguments(node)
        first = args[0] if args else kwargs.get("data")
        if name in ("builtins.list", "builtins.tuple") and not isinstance(first, Data):
            return first
        data = self.as_data(first, node.args[0] if node.args else None)
        if data is None:
            return None
        if name == "pandas.get_dummies":
            return data.derive(frame=None, column=None, origin_node=None)
        if name == "pandas.DataFrame" and (keyword(node, "columns") is not None or data.frame is None):
            ident = self.next_id()
            return data.derive(frame=Frame(ident), column=None, origin_node=None)
        return data

    def concatenate(self, node: ast.Call, name: str):
        args, kwargs = self.arguments(node)
        if name == "torch.utils.data.TensorDataset":
            items, item_nodes = args, node.args
        else:
            first = args[0] if args else kwargs.get("objs") or kwargs.get("tup")
            items = first.items if isinstance(first, Tup) else [first]
            item_nodes = node.args[0].elts if node.args and isinstance(node.args[0], (ast.List, ast.Tuple)) else []
        datas = []
        for index, item in enumerate(items):
            data = self.as_data(item, item_nodes[index] if index < len(item_nodes) else None)
            if data is not None:
                datas.append(data)
        if not datas:
            return None
        axis = keyword_constant(node, "axis", 0 if name != "torch.cat" else 0)
        if name == "torch.cat" and len(node.args) > 1:
            axis = node.args[1].value if isinstance(node.args[1], ast.Constant) else axis
        rows_wise = name in api.ROW_STACKS or (
            (name in api.AXIS_CONCATS or name == "torch.cat") and axis in (0, None, "index"))
        return self.stack(datas, rows_wise)

    def numpy_statistic(self, node: ast.Call, name: str):
        args, kwargs = self.arguments(node)
        value = args[0] if args else kwargs.get("a")
        axis = kwargs_axis(node, positional_index=1)
        if isinstance(value, Statistic):
            return value
        data = self.as_data(value, node.args[0] if node.args else None) if value is None or isinstance(value, Data) \
            else None
        if data is None:
            return None
        if axis in ROW_WISE_AXES:
            return Data(data.rows, data.taint)
        return Statistic(data.rows, data.taint)

    def statistic_function(self, node: ast.Call, name: str):
        args, kwargs = self.arguments(node)
        values = [*args, *kwargs.values()]
        return self.apply_statistics(node, next((v for v in values if isinstance(v, Data)), None), values)

    def scaling_function(self, node: ast.Call):
        """`preprocessing.scale(X)`: standardised with the statistics of all of X."""
        args, kwargs = self.arguments(node)
        data = self.as_data(args[0] if args else kwargs.get("X"), node.args[0] if node.args else None)
        if data is None:
            return None
        if kwargs_axis(node, positional_index=1) in ROW_WISE_AXES:
            return data
        return self.apply_statistic(node, data, Statistic(data.rows, data.taint))

    def index_source(self, node: ast.Call, name: str) -> Data:
        self.skip_arguments(node)
        return self.fresh().derive(index_like=True, frame=None)

    def builtin_len(self, node: ast.Call, name: str):
        args, _ = self.arguments(node)
        return Length(args[0].rows) if args and isinstance(args[0], Data) else None

    def builtin_enumerate(self, node: ast.Call, name: str):
        args, _ = self.arguments(node)
        return Enumerated(args[0]) if args else None

    def builtin_scalar(self, node: ast.Call, name: str):
        args, _ = self.arguments(node)
        return args[0] if args and isinstance(args[0], Statistic) else None

    def builtin_next(self, node: ast.Call, name: str):
        args, _ = self.arguments(node)
        return self.element_of(args[0]) if args and isinstance(args[0], SplitFolds) else None

    # ----- splits and cross-validation ---------------------------------------------------

    def new_split(self, node: ast.AST, kind: str) -> SplitEvent:
        split = SplitEvent(self.next_id(), self.last_id, self.chunk, node, kind, scope=self.scope, via=self.via)
        self.record_split(split)
        return split

    def train_test_split(self, node: ast.Call):
        arrays = [(self.ev(arg), arg) for arg in node.args if not isinstance(arg, ast.Starred)]
        for kw in node.keywords:
            self.ev(kw.value)
        if len(arrays) != len(node.args):
            return None
        split = self.new_split(node, "random")
        outputs = []
        for value, arg in arrays:
            data = self.as_data(value, arg)
            if data is None:
                outputs += [None, None]
                continue
            self.facts.add_split_input(SplitInput(split.id, data, self.next_id(), self.chunk, arg))
            outputs += [data.derive(rows=cut(data.rows, split.id, side), parts=None) for side in (0, 1)]
        return Tup(tuple(outputs))

    def random_split(self, node: ast.Call, name: str):
        args, _ = self.arguments(node)
        data = self.as_data(args[0] if args else None, node.args[0] if node.args else None)
        if data is None:
            return None
        split = self.new_split(node, "random")
        self.facts.add_split_input(SplitInput(split.id, data, self.next_id(), self.chunk, node.args[0]))
        return Tup(tuple(data.derive(rows=cut(data.rows, split.id, side), parts=None) for side in (0, 1)))

    def cv_function(self, node: ast.Call):
        args, kwargs = self.arguments(node)

        def arg(position, name):
            return kwargs.get(name) if name in kwargs else args[position] if len(args) > position else None

        x_node = node.args[1] if len(node.args) > 1 else keyword(node, "X")
        data = self.as_data(arg(1, "X"), x_node)
        estimator = arg(0, "estimator")  # `models[name]` may evaluate to data: only a library object counts
        self.use("cv", node, estimator if isinstance(estimator, Obj) else None, data, arg(2, "y"))
        return None

    # ----- methods -----------------------------------------------------------------------

    def method_call(self, node: ast.Call, attr: str, receiver, receiver_node: ast.AST):
        if isinstance(receiver, Instance):
            return self.instance_method(node, attr, receiver, receiver_node)
        if attr == "train_test_split" and (isinstance(receiver, Data) or receiver is None and
                                           isinstance(receiver_node, ast.Name)):
            return self.dataset_split(node, self.as_data(receiver, receiver_node))
        if isinstance(receiver, Mapping) and attr == "get" and node.args:
            self.skip_arguments(node)
            key = self.literal_columns(node.args[0])
            return receiver.get(key) if isinstance(key, str) else None
        if isinstance(receiver, Obj):
            return self.object_method(node, attr, receiver, receiver_node)
        if receiver is None and (attr in api.FIT_METHODS or attr in api.EVALUATE_METHODS or
                                 attr in api.TRANSFORM_METHODS):
            return self.unknown_model_method(node, attr)
        if receiver is None and isinstance(receiver_node, ast.Name) and attr in DATA_METHOD_NAMES:
            receiver = self.as_data(None, receiver_node)
        if isinstance(receiver, Data):
            return self.data_method(node, attr, receiver, receiver_node)
        if isinstance(receiver, Statistic):
            self.skip_arguments(node)
            return receiver
        if isinstance(receiver, Window):
            self.skip_arguments(node)
            if not receiver.grouped or attr in GROUP_ROW_METHODS:
                return Data(receiver.data.rows, receiver.data.taint)
            return None
        self.skip_arguments(node)
        return None

    def unknown_model_method(self, node: ast.Call, attr: str):
        """`model.fit(X, y)` on something unresolved: still training (or evaluating) on X."""
        args, kwargs = self.arguments(node)
        first = args[0] if args else kwargs.get("X")
        data = self.as_data(first, node.args[0] if node.args else None) if node.args or "X" in kwargs else None
        y = args[1] if len(args) > 1 else kwargs.get("y")
        if attr in ("fit", "partial_fit"):
            self.use("train", node, None, data, y)
        elif attr in api.EVALUATE_METHODS:
            self.use("evaluate", node, None, data, y)
            if data is not None and attr != "score":
                return Data(data.rows, data.taint)
        return None

    def object_method(self, node: ast.Call, attr: str, obj: Obj, receiver_node: ast.AST):
        args, kwargs = self.arguments(node)
        x_node = node.args[0] if node.args else keyword(node, "X")
        first = args[0] if args else kwargs.get("X")
        y = args[1] if len(args) > 1 else kwargs.get("y")
        if attr == "fit_sample" and obj.role == "sampler":  # imblearn's old name of fit_resample
            attr = "fit_resample"
        if obj.layers and isinstance(first, Data):  # the model's adapted layers transform its input
            first = first.derive(taint=first.taint | obj.layers)
        if attr in api.FIT_METHODS:
            data = self.as_data(first, x_node) if x_node is not None else None
            if data is None:
                return obj if attr in ("fit", "partial_fit") else None
            return self.fit(node, attr, obj, data, y, x_node, receiver_node)
        if attr in api.TRANSFORM_METHODS:
            data = self.as_data(first, x_node)
            return self.transformed(obj, data, obj.fits) if data is not None else None
        if attr in api.EVALUATE_METHODS:
            data = self.as_data(first, x_node) if x_node is not None else None
            if data is not None and obj.layers:
                data = data.derive(taint=data.taint | obj.layers)
            self.use("evaluate", node, obj, data, y)
            return Data(data.rows, data.taint) if data is not None and attr != "score" else None
        if attr == "split" and obj.role == "splitter":
            data = self.as_data(first, x_node)
            if data is None:
                return None
            split = self.new_split(node, "cv")
            self.facts.add_split_input(SplitInput(split.id, data, self.next_id(), self.chunk, x_node))
            return SplitFolds(split.id, data.rows)
        if attr == "adapt" and obj.role == "transformer":  # a Keras preprocessing layer learns its statistics
            data = self.as_data(first, x_node) if x_node is not None else None
            return self.fit(node, "fit", obj, data, None, x_node, receiver_node) if data is not None else None
        if attr == "add" and obj.role == "estimator":  # `model.add(layer)` of a Keras Sequential
            layers = adapted_layers(args)
            if layers and isinstance(receiver_node, ast.Name):
                self.assign(receiver_node.id, replace(obj, layers=obj.layers | layers))
            return None
        if attr == "set_params":
            return obj
        return None

    def folds(self, iterated, node: ast.AST):
        """Iterating an old-API splitter (`for train, test in StratifiedKFold(y, n_folds=4)`) gives folds."""
        if isinstance(iterated, Enumerated):
            inner = self.folds(iterated.inner, node)
            return iterated if inner is iterated.inner else Enumerated(inner)
        if isinstance(iterated, Obj) and iterated.role == "splitter" and iterated.rows is not None:
            split = self.new_split(node, "cv")
            self.facts.add_split_input(SplitInput(split.id, Data(iterated.rows), self.next_id(), self.chunk, node))
            return SplitFolds(split.id, iterated.rows)
        return iterated

    def dataset_split(self, node: ast.Call, data: Data):
        """`datasets` `Dataset.train_test_split(...)`: a DatasetDict of "train" and "test"."""
        self.skip_arguments(node)
        split = self.new_split(node, "random")
        self.facts.add_split_input(SplitInput(split.id, data, self.next_id(), self.chunk, node))
        return Mapping(tuple((key, data.derive(rows=cut(data.rows, split.id, side), parts=None))
                             for side, key in enumerate(("train", "test"))))

    def fit(self, node, attr, obj: Obj, data: Data, y, x_node, receiver_node):
        event = FitEvent(self.next_id(), self.last_id, self.chunk, node, attr, obj, data, y, x_node, self.scope,
                         self.via)
        self.facts.add_event(event)
        fitted = obj.fitted(event.id)
        if isinstance(receiver_node, ast.Name):
            self.assign(receiver_node.id, fitted)
        elif self.is_instance_attribute(receiver_node):  # `self.scaler.fit(frame)`
            self.bind(receiver_node, fitted, None)
        if obj.role == "search":
            self.use("cv", node, obj, data, y)
        elif obj.predicts:
            self.use("train", node, fitted, data, y)
        if attr in ("fit", "partial_fit"):
            return fitted
        if attr == "fit_transform":
            return self.transformed(obj, data, frozenset({event.id}))
        if attr == "fit_resample":
            y_node = node.args[1] if len(node.args) > 1 else keyword(node, "y")
            resampled_y = self.as_data(y, y_node) if y_node is not None else None
            return Tup((
                Data(data.rows, data.taint | {event.id}),
                resampled_y.derive(taint=resampled_y.taint | {event.id}) if resampled_y is not None else None,
            ))
        return None

    def transformed(self, obj: Obj, data: Data, events: frozenset) -> Data:
        keeps_columns = obj.qualname.startswith(COLUMN_PRESERVING_TRANSFORMERS)
        return Data(data.rows, data.taint | events, data.frame if keeps_columns else None, data.column,
                    data.parts, data.target, origin_node=data.origin_node if keeps_columns else None)

    def data_method(self, node: ast.Call, attr: str, data: Data, receiver_node: ast.AST):
        handler = DATA_METHODS.get(attr)
        applied = self.frame_function(node, attr, data)
        if applied is not None:
            result = applied
        elif handler is not None:
            result = getattr(self, handler)(node, attr, data, receiver_node)
        elif attr in api.ROW_PRESERVING_METHODS:
            self.skip_arguments(node)
            result = data
        elif attr in api.ROW_FILTER_METHODS:
            self.skip_arguments(node)
            result = data.derive(parts=None)
        else:
            self.skip_arguments(node)
            return None
        if keyword_constant(node, "inplace") is True:
            if isinstance(receiver_node, ast.Name):
                self.assign(receiver_node.id, result)
                self.mutated.add(receiver_node.id)
            elif isinstance(receiver_node, (ast.Subscript, ast.Attribute)):
                self.mutate(receiver_node, result)  # `df["a"].fillna(..., inplace=True)` writes into df
            return None
        return result

    def d_statistic(self, node, attr, data: Data, receiver_node):
        self.skip_arguments(node)
        axis = kwargs_axis(node, positional_index=1 if attr == "quantile" else 0)
        if axis in ROW_WISE_AXES:
            return Data(data.rows, data.taint)
        return Statistic(data.rows, data.taint)

    def d_apply_statistic(self, node, attr, data: Data, receiver_node):
        args, kwargs = self.arguments(node)
        return self.apply_statistics(node, data, [*args, *kwargs.values()])

    def apply_statistics(self, node, data: Data | None, values: list):
        if data is None:
            return None
        others = [v for v in values if isinstance(v, Data) and v is not data]
        if others:
            data = data.derive(taint=data.taint.union(*(o.taint for o in others)))
        stats = [v for v in values if isinstance(v, Statistic)]
        if not stats:
            return data
        statistic = Statistic(frozenset().union(*(s.rows for s in stats)), frozenset().union(*(s.taint for s in stats)))
        return self.apply_statistic(node, data, statistic)

    def d_drop(self, node, attr, data: Data, receiver_node):
        args, kwargs = self.arguments(node)
        axis = keyword_constant(node, "axis", 0)
        if len(node.args) > 1 and isinstance(node.args[1], ast.Constant):  # `df.drop(["a"], 1)` (old pandas)
            axis = node.args[1].value
        if keyword(node, "columns") is not None:
            columns_node = keyword(node, "columns")
        elif axis in (1, "columns"):
            columns_node = node.args[0] if node.args else keyword(node, "labels")
        else:
            return self.drop_rows(node, data, args[0] if args else kwargs.get("index", kwargs.get("labels")))
        columns = self.literal_columns(columns_node) if columns_node is not None else None
        if isinstance(columns, str):
            columns = [columns]
        if columns is None or data.frame is None:
            return data.derive(frame=None, column=None, origin_node=None)
        return data.derive(frame=data.frame.without(columns), column=None, origin_node=(self.chunk, node))

    def drop_rows(self, node, data: Data, labels) -> Data:
        """`df.drop(train.index)`: the rest of a `df.sample(...)` split by hand."""
        if isinstance(labels, Data) and labels.index_like:
            step = common_last_step(labels.rows)
            self.shared_state_read = True  # known_splits: not part of an applied body's inputs (effects.py)
            split = self.known_splits.get(step[0]) if step else None
            if split is not None and split.kind == "hand":
                self.facts.add_split_input(SplitInput(split.id, data, self.next_id(), self.chunk, node, 1 - step[1]))
                return data.derive(rows=cut(data.rows, split.id, 1 - step[1]), parts=None)
        return data.derive(parts=None)

    def d_pop(self, node, attr, data: Data, receiver_node):
        self.skip_arguments(node)
        column = self.literal_columns(node.args[0]) if node.args else None
        if not isinstance(column, str):
            return None
        if isinstance(receiver_node, ast.Name) and data.frame is not None:
            self.assign(receiver_node.id, data.derive(frame=data.frame.without([column])))
        return self.column_of(data, column)

    def d_get(self, node, attr, data: Data, receiver_node):
        self.skip_arguments(node)
        column = self.literal_columns(node.args[0]) if node.args else None
        return self.column_of(data, column) if isinstance(column, str) else None

    def d_sample(self, node, attr, data: Data, receiver_node):
        self.skip_arguments(node)
        if keyword_constant(node, "frac") in (1, 1.0):
            return data  # a shuffle keeps every row
        split = self.hand_split(data, ("sample",), node, 0)
        return data.derive(rows=cut(data.rows, split.id, 0), parts=None)

    def d_merge(self, node, attr, data: Data, receiver_node):
        args, kwargs = self.arguments(node)
        other = args[0] if args else kwargs.get("right") or kwargs.get("other")
        taint = data.taint | other.taint if isinstance(other, Data) else data.taint
        return data.derive(taint=taint, column=None, parts=None)

    def d_append(self, node, attr, data: Data, receiver_node):
        args, _ = self.arguments(node)
        other = self.as_data(args[0], node.args[0]) if args else None
        return self.stack([data, other], rows_wise=True) if other is not None else None

    def d_window(self, node, attr, data: Data, receiver_node):
        self.skip_arguments(node)
        return Window(data, grouped=attr == "groupby")

    def d_mask(self, node, attr, data: Data, receiver_node):
        self.skip_arguments(node)
        if attr == "isin":
            return Mask(ast.unparse(node), True, data.rows, data.taint)
        return Mask(ast.unparse(receiver_node) + ".isna()", attr in ("isna", "isnull"), data.rows, data.taint)

    def d_columns_unknown(self, node, attr, data: Data, receiver_node):
        self.skip_arguments(node)
        return data.derive(frame=None, column=None, origin_node=None)


def kwargs_axis(node: ast.Call, positional_index: int):
    value = keyword(node, "axis")
    if value is None and len(node.args) > positional_index:
        value = node.args[positional_index]
    if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.USub) and isinstance(value.operand, ast.Constant):
        return -value.operand.value
    return value.value if isinstance(value, ast.Constant) else None


def old_api_rows(args: list, kwargs: dict):
    """The rows an old-API splitter folds: `KFold(len(X))`, `StratifiedKFold(y)` (else None)."""
    value = args[0] if args else kwargs.get("y", kwargs.get("n"))
    if isinstance(value, Length):
        return value.rows
    return value.rows if isinstance(value, Data) else None


def is_keras_layer(value) -> bool:
    """A Keras preprocessing layer object (`Normalization()`), which a call applies to its input."""
    return isinstance(value, Obj) and value.role == "transformer" and value.qualname.startswith(api.KERAS_ROOTS) \
        and api.short_name(value.qualname) in api.KERAS_PREPROCESSING_LAYERS


def adapted_layers(values) -> frozenset:
    """Fits of the adapted Keras preprocessing layers among a model's layers."""
    return frozenset().union(*(obj.fits for obj in objects_in(values)
                               if obj.role == "transformer" and not obj.exempt and not obj.stateless))


def objects_in(values):
    """Library objects anywhere in (nested) tuples and lists: a pipeline's steps."""
    for value in values:
        if isinstance(value, Obj):
            yield value
        elif isinstance(value, Tup):
            yield from objects_in(value.items)


DATA_METHODS = {
    **{name: "d_statistic" for name in api.STATISTIC_METHODS},
    **{name: "d_apply_statistic" for name in api.STAT_APPLYING_METHODS},
    **{name: "d_window" for name in api.WINDOW_METHODS},
    **{name: "d_mask" for name in ("isna", "isnull", "notna", "notnull", "isin")},
    "drop": "d_drop", "pop": "d_pop", "get": "d_get", "sample": "d_sample", "merge": "d_merge", "join": "d_merge",
    "append": "d_append", "filter": "d_columns_unknown", "select_dtypes": "d_columns_unknown",
    "reindex": "d_columns_unknown",
}
DATA_METHOD_NAMES = frozenset(DATA_METHODS) | api.ROW_PRESERVING_METHODS | api.ROW_FILTER_METHODS
BUILTIN_HANDLERS = {
    "builtins.len": "builtin_len",
    "builtins.enumerate": "builtin_enumerate",
    "builtins.float": "builtin_scalar",
    "builtins.int": "builtin_scalar",
    "builtins.round": "builtin_scalar",
    "builtins.abs": "builtin_scalar",
    "builtins.next": "builtin_next",
}
EXPRESSIONS[ast.Call] = CallEvaluation.ev_call
