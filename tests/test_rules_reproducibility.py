"""ML1 reproducibility beyond the case files: fixes that share one seed constant and
place the seeding calls, checked on the text `mlreview check --fix` writes."""

from __future__ import annotations

import textwrap

from support import apply_edits, build_fix, find, findings, fix_all, notebook


def test_several_fixes_share_one_seed_constant():
    source = """
        import numpy as np
        import torch
        from sklearn.ensemble import RandomForestClassifier
        from sklearn.model_selection import train_test_split
        from torch.utils.data import DataLoader

        rng = np.random.default_rng()
        X_train, X_test = train_test_split(X)
        models = [RandomForestClassifier(), RandomForestClassifier(max_depth=3)]
        loader = DataLoader(data, shuffle=True)
    """
    assert sorted(f.code for f in findings(source)) == ["ML101", "ML102", "ML102", "ML103", "ML104"]
    text = fix_all(source)
    assert text.count("SEED = 42") == 1
    assert "rng = np.random.default_rng(SEED)" in text
    assert "train_test_split(X, random_state=SEED)" in text
    assert "[RandomForestClassifier(random_state=SEED), RandomForestClassifier(max_depth=3, random_state=SEED)]" in text
    assert "SEED = 42\ntorch.manual_seed(SEED)\n" in text
    assert findings(text) == []


def test_global_seeds_share_one_seed_constant():
    source = """
        import random
        import numpy as np
        import torch
        from torch.utils.data import DataLoader

        order = np.random.permutation(100)
        pick = random.choice(order)
        loader = DataLoader(data, shuffle=True)
    """
    assert sorted(f.code for f in findings(source)) == ["ML103", "ML103", "ML104"]
    text = fix_all(source)
    assert text.count("SEED = 42") == 1
    assert findings(text) == []
    # the constant comes first, then the seeding calls, all before the code that draws
    lines = text.splitlines()
    seeding = ["SEED = 42", "np.random.seed(SEED)", "random.seed(SEED)", "torch.manual_seed(SEED)"]
    assert lines[lines.index("from torch.utils.data import DataLoader") + 1:][:5] == ["", *seeding]


def test_existing_random_state_constant_is_reused():
    text = fix_all("""
        import numpy as np
        from sklearn.cluster import KMeans

        RANDOM_STATE = 0
        noise = np.random.randn(10)
        km = KMeans(n_clusters=3)
    """)
    assert "SEED" not in text
    assert "KMeans(n_clusters=3, random_state=RANDOM_STATE)" in text
    lines = text.splitlines()
    assert lines.index("RANDOM_STATE = 0") + 1 == lines.index("np.random.seed(RANDOM_STATE)")


def test_a_seed_named_rng_object_is_not_reused():
    text = fix_all("""
        import numpy as np
        seed = np.random.RandomState(seed=3)
        noise = np.random.rand(5)
    """)
    assert "SEED = 42\nnp.random.seed(SEED)\nseed = np.random.RandomState(seed=3)" in text


def test_no_fix_refers_to_a_seed_constant_defined_too_late():
    source = textwrap.dedent("""
        import numpy as np
        from sklearn.model_selection import train_test_split
        X_train, X_test = train_test_split(X)
        rng = np.random.default_rng()
        noise = np.random.rand(3)
        SEED = 1
        def later():
            return train_test_split(X)
    """)
    by_line = {f.span.line: f for f in findings(source)}
    assert [line for line, f in sorted(by_line.items()) if not f.fixable] == [4, 5, 6]  # SEED comes too late
    fix = build_fix(source, by_line[9])  # a function body runs later
    assert "return train_test_split(X, random_state=SEED)" in apply_edits(source, fix.edits)


def test_seed_call_goes_after_the_first_import_of_the_alias():
    source = notebook("import numpy as np\n", "x = np.random.rand(3)\n", "import numpy as np\ny = 1\n", title=True)
    (finding,) = find(source, "ML103")
    fix = build_fix(source.text, finding)
    assert apply_edits(source.text, fix.edits).startswith("import numpy as np\n\nSEED = 42\nnp.random.seed(SEED)\n")


def test_seed_call_goes_after_the_import_binding_the_alias():
    text = fix_all("""
        import os
        DATA = os.environ["DATA"]
        import numpy as np
        x = np.random.rand(3)
    """)
    assert text.index("import numpy as np") < text.index("np.random.seed(SEED)") < text.index("x = np.random")
    assert text.index("SEED = 42") < text.index("np.random.seed(SEED)")


def test_default_rng_fix_passes_the_seed():
    text = fix_all("""
        import numpy as np
        a = np.random.default_rng()
        b = np.random.default_rng(None)
        c = np.random.default_rng(seed=None)
    """)
    assert "a = np.random.default_rng(SEED)" in text
    assert "b = np.random.default_rng(SEED)" in text
    assert "c = np.random.default_rng(seed=SEED)" in text


def test_framework_fixes_use_the_files_names():
    tf_text = fix_all("""
        import tensorflow as tf
        model = build_model()
        model.compile(optimizer="adam", loss="mse")
        model.fit(X, y, epochs=5)
    """)
    assert "tf.random.set_seed(SEED)" in tf_text
    keras_text = fix_all("""
        from tensorflow import keras
        model = keras.Sequential([keras.layers.Dense(1)])
        history = model.fit(X, y)
    """)
    assert "keras.utils.set_random_seed(SEED)" in keras_text
    hf_text = fix_all("""
        from transformers import AutoModelForSequenceClassification, Trainer, TrainingArguments
        model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", num_labels=2)
        trainer = Trainer(model=model, args=TrainingArguments("out"), train_dataset=train_ds)
        trainer.train()
    """)
    assert "from transformers import set_seed\nset_seed(SEED)" in hf_text
    hf_alias = fix_all("""
        import transformers
        model = transformers.BertForTokenClassification.from_pretrained("bert-base-cased", num_labels=9)
        trainer = transformers.Trainer(model=model)
    """)
    assert "transformers.set_seed(SEED)" in hf_alias


def test_seed_call_in_a_notebook_stays_in_the_import_cell():
    source = notebook("import numpy as np\n", "x = np.random.rand(3)\n", title=True)
    (finding,) = find(source, "ML103")
    fix = build_fix(source.text, finding)
    import_cell = source.cells[0]
    assert all(import_cell.first_line <= e.span.line <= import_cell.last_line for e in fix.edits)
    assert apply_edits(source.text, fix.edits).startswith("import numpy as np\n\nSEED = 42\nnp.random.seed(SEED)\n")


def test_ml101_datasets_split_fix_passes_seed_and_random_split_has_none():
    source = 'from datasets import load_dataset\nds = load_dataset("imdb")\nsplits = ds.train_test_split(test_size=0.1)\n'
    [finding] = findings(source, "ML101")
    fixed = apply_edits(source, build_fix(source, finding).edits)
    assert "ds.train_test_split(test_size=0.1, seed=SEED)" in fixed and not findings(fixed, "ML101")
    split_source = "import torch\nfrom torch.utils.data import random_split\na, b = random_split(d, [1, 1])\n"
    [split] = findings(split_source, "ML101")
    assert build_fix(split_source, split) is None  # the generator is the user's choice: no fix offered


def test_cudnn_nondeterministic_is_information_on_the_assignment():
    [finding] = [f for f in findings("""
        import torch
        torch.manual_seed(0)
        torch.backends.cudnn.benchmark = True
    """) if f.code == "ML105"]
    assert finding.rule.severity.value == "information" and "seeds torch" in finding.message
    assert (finding.span.line, finding.span.col, finding.span.end_col) == (4, 0, 37)


def test_cudnn_fix_inserts_deterministic_with_the_file_alias():
    fixed = fix_all("""
        import torch
        from torch.backends import cudnn
        torch.manual_seed(0)
        if torch.cuda.is_available():
            cudnn.benchmark = True
    """)
    assert "    cudnn.benchmark = False\n    cudnn.deterministic = True\n" in fixed
