"""scikit-learn's fitted HistGradientBoostingRegressor as the plain arrays `common.residual.forest`
walks: the model ships as data, and serving it needs neither scikit-learn nor pickles.

This reads scikit-learn's fitted internals (the predictors' node arrays, the categorical
bitsets, the column preprocessor), which are not public API: the tests compare the exported
forest's predictions with scikit-learn's own, so a version that changes them fails there.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor

from common.residual.forest import MAX_CATEGORIES

_LARGEST = float(np.finfo(np.float64).max)


def layout_of(model: HistGradientBoostingRegressor, n_features: int) -> list[dict[str, Any]]:
    """The tree columns: scikit-learn's preprocessor puts the categorical columns first, each
    numbered by its sorted categories."""
    pre = model._preprocessor
    if pre is None:  # no categorical feature: the columns as given
        return [{"source": i, "categories": None} for i in range(n_features)]
    columns: list[dict[str, Any]] = []
    for name, transformer, mask in pre.transformers_:
        sources = [i for i, chosen in enumerate(mask) if chosen]
        if name == "encoder":
            for i, values in zip(sources, transformer.categories_, strict=True):
                known = [float(v) for v in values if not np.isnan(v)]
                if len(known) > MAX_CATEGORIES:
                    raise ValueError(f"feature {i} has more than {MAX_CATEGORIES} categories")
                columns.append({"source": i, "categories": known})
        elif name == "numerical":
            columns += [{"source": i, "categories": None} for i in sources]
    return columns


def forest_of(model: HistGradientBoostingRegressor) -> dict[str, Any]:
    """Every tree's nodes, concatenated; a leaf points at itself so a walk can go on."""
    feature: list[int] = []
    threshold: list[float] = []
    left: list[int] = []
    right: list[int] = []
    value: list[float] = []
    missing_left: list[int] = []
    categorical: list[int] = []
    left_categories: list[int] = []
    roots: list[int] = []
    depth = 0
    for (predictor,) in model._predictors:
        nodes, bitsets = predictor.nodes, predictor.raw_left_cat_bitsets
        base = len(feature)
        roots.append(base)
        for k, node in enumerate(nodes):
            leaf = bool(node["is_leaf"])
            depth = max(depth, int(node["depth"]))
            feature.append(0 if leaf else int(node["feature_idx"]))
            # a split of missing from present values has an infinite threshold: the largest
            # float orders every number the same way and stays valid JSON
            threshold.append(0.0 if leaf else min(float(node["num_threshold"]), _LARGEST))
            left.append(base + (k if leaf else int(node["left"])))
            right.append(base + (k if leaf else int(node["right"])))
            # 9 significant digits: a 150-tree sum moves by less than 1e-6, the file by a third
            value.append(float(f"{float(node['value']):.9g}") if leaf else 0.0)
            missing_left.append(int(node["missing_go_to_left"]))
            is_cat = bool(node["is_categorical"]) and not leaf
            categorical.append(int(is_cat))
            mask = 0
            if is_cat:
                words = [int(w) for w in bitsets[int(node["bitset_idx"])]]
                if any(words[2:]):
                    raise ValueError(f"a category beyond {MAX_CATEGORIES} in a split")
                mask = words[0] | (words[1] << 32)
            left_categories.append(mask)
    return {
        "baseline": float(np.asarray(model._baseline_prediction).ravel()[0]),
        "roots": roots, "depth": depth, "feature": feature, "threshold": threshold,
        "left": left, "right": right, "value": value, "missing_left": missing_left,
        "categorical": categorical, "left_categories": left_categories,
    }  # fmt: skip
