"""What library calls do to data: the catalogue the lineage engine reads.

Names are qualified names as `ModuleModel.resolve` returns them
("sklearn.preprocessing.StandardScaler"). Everything here is knowledge about
scikit-learn, imbalanced-learn, category_encoders, pandas, numpy and torch; the
engine (lineage.py) decides nothing from names it does not find here, so an
unknown call ends a value's lineage instead of inventing one.
"""

from __future__ import annotations

# ----- scikit-learn objects ----------------------------------------------------------------

# RULES.md "Transformer": objects built from these modules learn statistics of the rows.
TRANSFORMER_MODULES = (
    "sklearn.preprocessing.",
    "sklearn.impute.",
    "sklearn.feature_selection.",
    "sklearn.decomposition.",
    "sklearn.feature_extraction.",
    "sklearn.kernel_approximation.",
    "sklearn.random_projection.",
    "category_encoders.",
)
# Encoders whose learned state is only the set of category values (exempt from ML201/ML203).
CATEGORY_ONLY_ENCODERS = frozenset({
    "LabelEncoder", "OrdinalEncoder", "OneHotEncoder", "LabelBinarizer", "MultiLabelBinarizer",
})
# Frequency limits make an encoder learn counts of the rows: then it is not exempt.
FREQUENCY_LIMITS = ("min_frequency", "max_categories")
# Transformers whose `fit` learns nothing from the rows' values (at most their shape),
# so fitting them on any data leaks nothing.
STATELESS_TRANSFORMERS = frozenset({
    "FunctionTransformer", "Normalizer", "Binarizer", "PolynomialFeatures", "HashingVectorizer",
    "FeatureHasher", "HashingEncoder", "GaussianRandomProjection", "SparseRandomProjection",
    "RBFSampler", "SkewedChi2Sampler", "AdditiveChi2Sampler", "PolynomialCountSketch",
})
# Composites that are transformers when one of their steps is.
COMPOSITES = frozenset({
    "sklearn.pipeline.Pipeline", "sklearn.pipeline.make_pipeline", "sklearn.pipeline.FeatureUnion",
    "sklearn.pipeline.make_union", "sklearn.compose.ColumnTransformer", "sklearn.compose.make_column_transformer",
    "imblearn.pipeline.Pipeline", "imblearn.pipeline.make_pipeline",
})
MODEL_SELECTION = ("sklearn.model_selection.", "sklearn.cross_validation.", "sklearn.grid_search.")
SPLITTERS = frozenset({
    "KFold", "StratifiedKFold", "GroupKFold", "StratifiedGroupKFold", "RepeatedKFold",
    "RepeatedStratifiedKFold", "ShuffleSplit", "StratifiedShuffleSplit", "GroupShuffleSplit",
    "TimeSeriesSplit", "LeaveOneOut", "LeavePOut", "LeaveOneGroupOut", "LeavePGroupsOut", "PredefinedSplit",
})
SEARCHES = frozenset({"GridSearchCV", "RandomizedSearchCV", "HalvingGridSearchCV", "HalvingRandomSearchCV"})
# RULES.md "CV consumer" functions: (estimator, X, y, ...).
CV_FUNCTIONS = frozenset({
    "cross_val_score", "cross_validate", "cross_val_predict", "learning_curve", "validation_curve",
    "permutation_test_score",
})
SPLIT_FUNCTIONS = frozenset({"train_test_split"})
# Libraries whose classes are models: `fit` trains, `predict`/`score` evaluates.
ESTIMATOR_ROOTS = ("sklearn.", "xgboost.", "lightgbm.", "catboost.", "imblearn.", "keras.", "tensorflow.keras.",
                   "tensorflow.python.keras.", "statsmodels.")
KERAS_MODEL_CLASSES = frozenset({"Sequential", "Model"})
# Keras preprocessing layers: `.adapt(data)` learns statistics of the rows (a fit, RULES.md ML201).
KERAS_ROOTS = ("keras.", "tensorflow.keras.", "tensorflow.python.keras.")
KERAS_PREPROCESSING_LAYERS = frozenset({"Normalization", "TextVectorization", "StringLookup", "IntegerLookup",
                                        "Discretization"})
KERAS_LOOKUPS = frozenset({"StringLookup", "IntegerLookup"})  # learn the category values only, unless capped
SAMPLER_EXCLUDED = ("imblearn.pipeline.", "imblearn.ensemble.", "imblearn.metrics.", "imblearn.datasets.")

# ----- methods -------------------------------------------------------------------------

FIT_METHODS = frozenset({"fit", "fit_transform", "fit_resample", "partial_fit"})
TRANSFORM_METHODS = frozenset({"transform", "inverse_transform"})
EVALUATE_METHODS = frozenset({
    "predict", "predict_proba", "predict_log_proba", "decision_function", "score", "score_samples", "evaluate",
})

# ----- data sources --------------------------------------------------------------------

PANDAS_READERS_PREFIX = "pandas.read_"
DATASET_LOADERS = ("sklearn.datasets.load_", "sklearn.datasets.fetch_")
DATASET_GENERATORS = "sklearn.datasets.make_"

# ----- pandas / numpy methods on data ----------------------------------------------------

# Keep the rows (and the columns): the value still holds the same samples.
ROW_PRESERVING_METHODS = frozenset({
    "copy", "astype", "round", "abs", "reset_index", "set_index", "rename", "rename_axis", "assign",
    "sort_index", "sort_values", "to_numpy", "to_frame", "reshape", "ravel", "flatten", "squeeze",
    "apply", "applymap", "map", "interpolate", "ffill", "bfill", "infer_objects", "convert_dtypes",
    "add_prefix", "add_suffix", "shift", "diff", "pct_change", "cumsum", "cumprod", "cummax", "cummin",
    "dot", "to_dense", "toarray", "todense", "tocsr", "tocsc", "float", "double", "numpy", "detach",
    "cpu", "to", "view", "unsqueeze", "type", "pipe", "explode", "transform", "__array__", "tolist",
    "lower", "upper", "strip", "contains", "get_dummies",
})
# Keep a subset of the rows: lineage-wise the same samples (coverage is about sets).
ROW_FILTER_METHODS = frozenset({"dropna", "drop_duplicates", "query", "nlargest", "nsmallest", "head", "tail"})
# Values passed to these methods' arguments may be statistics applied to the data.
STAT_APPLYING_METHODS = frozenset({"fillna", "replace", "clip", "where", "mask", "sub", "div", "subtract", "divide",
                                   "truediv", "add", "mul", "multiply"})
# A statistic of the whole data set (RULES.md ML206), unless taken row-wise (axis=1).
STATISTIC_METHODS = frozenset({"mean", "median", "std", "var", "min", "max", "quantile", "mode"})
NUMPY_STATISTICS = frozenset({
    "mean", "median", "std", "var", "min", "max", "amin", "amax", "nanmean", "nanmedian", "nanstd",
    "nanvar", "nanmin", "nanmax", "quantile", "percentile", "nanquantile", "nanpercentile", "average", "ptp",
})
# Windowed / per-group views: their aggregates are per row or per group, not of the data set.
WINDOW_METHODS = frozenset({"rolling", "expanding", "ewm", "groupby", "resample"})
# Attributes of frames and arrays that are not columns.
NON_COLUMN_ATTRIBUTES = frozenset({
    "shape", "size", "ndim", "dtype", "dtypes", "columns", "index", "values", "T", "iloc", "loc", "at",
    "iat", "empty", "name", "names", "str", "dt", "cat", "flat", "real", "imag", "nbytes", "itemsize",
    "axes", "attrs", "plot", "style", "sparse", "data", "array", "hist", "mT", "device", "grad",
})

# ----- numpy / pandas / torch functions --------------------------------------------------

ELEMENTWISE_FUNCTIONS = frozenset({
    "numpy.array", "numpy.asarray", "numpy.asanyarray", "numpy.ascontiguousarray", "numpy.asfortranarray",
    "numpy.log", "numpy.log1p", "numpy.log2", "numpy.log10", "numpy.exp", "numpy.expm1", "numpy.sqrt",
    "numpy.abs", "numpy.absolute", "numpy.square", "numpy.sign", "numpy.floor", "numpy.ceil", "numpy.round",
    "numpy.around", "numpy.nan_to_num", "numpy.reshape", "numpy.ravel", "numpy.squeeze", "numpy.atleast_2d",
    "numpy.copy", "numpy.sin", "numpy.cos", "numpy.tanh", "numpy.power", "numpy.float32", "numpy.float64",
    "numpy.expand_dims", "numpy.cbrt", "numpy.arcsinh", "numpy.negative", "numpy.asmatrix",
    "pandas.DataFrame", "pandas.Series", "pandas.to_numeric", "pandas.get_dummies",
    "torch.tensor", "torch.from_numpy", "torch.as_tensor", "torch.Tensor", "torch.FloatTensor",
    "torch.LongTensor", "torch.DoubleTensor", "torch.utils.data.DataLoader", "tensorflow.convert_to_tensor",
    "tensorflow.constant", "scipy.sparse.csr_matrix", "scipy.sparse.csc_matrix", "builtins.list",
    "builtins.tuple", "datasets.Dataset.from_pandas", "datasets.Dataset.from_dict",
})
COLUMN_STACKS = frozenset({"numpy.hstack", "numpy.column_stack", "numpy.dstack", "torch.utils.data.TensorDataset",
                           "scipy.sparse.hstack", "torch.cat", "torch.stack"})
ROW_STACKS = frozenset({"numpy.vstack", "numpy.row_stack", "scipy.sparse.vstack"})
AXIS_CONCATS = frozenset({"numpy.concatenate", "pandas.concat", "numpy.append"})
STAT_APPLYING_FUNCTIONS = frozenset({"numpy.clip", "numpy.where", "numpy.subtract", "numpy.divide", "numpy.true_divide",
                                     "numpy.add", "numpy.multiply"})
INDEX_SOURCES = frozenset({"numpy.arange", "builtins.range", "numpy.random.permutation", "torch.randperm"})


def short_name(qualname: str) -> str:
    return qualname.rsplit(".", 1)[-1]


def is_transformer_class(qualname: str) -> bool:
    return qualname.startswith(TRANSFORMER_MODULES) and short_name(qualname)[:1].isupper()


def is_keras_preprocessing_layer(qualname: str) -> bool:
    return qualname.startswith(KERAS_ROOTS) and short_name(qualname) in KERAS_PREPROCESSING_LAYERS


def is_model_selection(qualname: str, names: frozenset) -> bool:
    return qualname.startswith(MODEL_SELECTION) and short_name(qualname) in names


def is_sampler_class(qualname: str) -> bool:
    return qualname.startswith("imblearn.") and not qualname.startswith(SAMPLER_EXCLUDED) and \
        short_name(qualname)[:1].isupper()


def is_estimator_class(qualname: str) -> bool:
    """A class of a modelling library (models, and anything else with fit/predict)."""
    if not qualname.startswith(ESTIMATOR_ROOTS):
        return False
    short = short_name(qualname)
    if qualname.startswith(("keras.", "tensorflow.")):
        return short in KERAS_MODEL_CLASSES
    return short[:1].isupper()
