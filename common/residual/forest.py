"""Gradient-boosted trees as plain arrays, and their prediction (numpy, no scikit-learn).

The trained model ships as data (`backend/residual/export.py` writes it from scikit-learn's
HistGradientBoostingRegressor): every tree's nodes concatenated — the feature a node splits on,
its threshold, its children, the side missing values take, for a categorical split the set of
categories that go left as a bit mask — plus each tree's root. A prediction walks all trees of
all rows at once, one level per step, and adds the leaves to the baseline; the rules are
scikit-learn's: a number goes left when <= the threshold, a category when in the left set, a
category the training never saw or a missing value the side the training chose.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
MAX_CATEGORIES = 64  # a category is a bit of a 64-bit mask


@dataclass(frozen=True)
class Forest:
    baseline: float
    roots: npt.NDArray[np.int64]
    feature: npt.NDArray[np.int64]
    threshold: Floats
    left: npt.NDArray[np.int64]  # a leaf is its own child: walking on stays put
    right: npt.NDArray[np.int64]
    value: Floats
    missing_left: npt.NDArray[np.bool_]
    categorical: npt.NDArray[np.bool_]
    left_categories: npt.NDArray[np.uint64]
    known_categories: npt.NDArray[np.uint64]  # per feature: the categories training saw
    depth: int

    @classmethod
    def of(cls, data: Mapping[str, Any], known: Sequence[int]) -> Forest:
        """From the artefact's arrays; `known` is the known-category mask of each feature."""
        return cls(
            baseline=float(data["baseline"]),
            roots=np.asarray(data["roots"], dtype=np.int64),
            feature=np.asarray(data["feature"], dtype=np.int64),
            threshold=np.asarray(data["threshold"], dtype=np.float64),
            left=np.asarray(data["left"], dtype=np.int64),
            right=np.asarray(data["right"], dtype=np.int64),
            value=np.asarray(data["value"], dtype=np.float64),
            missing_left=np.asarray(data["missing_left"], dtype=np.bool_),
            categorical=np.asarray(data["categorical"], dtype=np.bool_),
            left_categories=np.asarray(data["left_categories"], dtype=np.uint64),
            known_categories=np.asarray(known, dtype=np.uint64),
            depth=int(data["depth"]),
        )

    @classmethod
    def stack(cls, forests: Sequence[Forest]) -> Forest:
        """One forest holding the trees of all `forests` (their baselines dropped), so that one
        walk predicts them all: on one row the walk's cost is numpy's per-call overhead, paid
        per level, not per tree (`ResidualModel.log_ratios` splits the leaves by forest)."""
        offsets = np.cumsum([0] + [f.feature.size for f in forests[:-1]])

        def joined(name: str, shift: bool = False) -> npt.NDArray[Any]:
            parts = [
                getattr(f, name) + (o if shift else 0)
                for f, o in zip(forests, offsets, strict=True)
            ]
            return np.concatenate(parts)

        return cls(
            baseline=0.0,
            roots=joined("roots", shift=True),
            feature=joined("feature"),
            threshold=joined("threshold"),
            left=joined("left", shift=True),
            right=joined("right", shift=True),
            value=joined("value"),
            missing_left=joined("missing_left"),
            categorical=joined("categorical"),
            left_categories=joined("left_categories"),
            known_categories=forests[0].known_categories,
            depth=max(f.depth for f in forests),
        )

    def predict(self, rows: Floats) -> Floats:
        """The raw prediction of each row (n x features, NaN where missing)."""
        result: Floats = self.baseline + self.leaves(rows).sum(axis=1)
        return result

    def leaves(self, rows: Floats) -> Floats:
        """The leaf value each tree gives each row (n x trees)."""
        n = rows.shape[0]
        node = np.broadcast_to(self.roots, (n, self.roots.size)).copy()
        at = np.arange(n)[:, None]
        has_categories = bool(self.categorical.any())
        for _ in range(self.depth):
            f = self.feature[node]
            x = rows[at, f]
            missing = np.isnan(x)
            go_left = np.where(missing, self.missing_left[node], x <= self.threshold[node])
            if has_categories:
                valid = ~missing & (x >= 0) & (x < MAX_CATEGORIES)
                bit = np.where(valid, x, 0).astype(np.uint64)
                one = np.uint64(1)
                in_left = valid & ((self.left_categories[node] >> bit) & one).astype(np.bool_)
                known = valid & ((self.known_categories[f] >> bit) & one).astype(np.bool_)
                by_category = in_left | (~known & self.missing_left[node])
                go_left = np.where(self.categorical[node], by_category, go_left)
            moved = np.where(go_left, self.left[node], self.right[node])
            if np.array_equal(moved, node):  # every tree has reached a leaf
                break
            node = moved
        leaves: Floats = self.value[node]
        return leaves


@dataclass(frozen=True)
class Layout:
    """How the trees see a row: scikit-learn puts the categorical columns first and numbers
    their categories 0, 1, ... in sorted order (a category it never saw becomes missing)."""

    sources: tuple[int, ...]  # the input column of each tree column
    categories: tuple[tuple[float, ...] | None, ...]  # a categorical column's values, in order

    @classmethod
    def of(cls, columns: Sequence[Mapping[str, Any]]) -> Layout:
        return cls(
            tuple(int(c["source"]) for c in columns),
            tuple(
                None if c.get("categories") is None else tuple(float(x) for x in c["categories"])
                for c in columns
            ),
        )

    def known_masks(self) -> list[int]:
        """Per tree column, the bit mask of the categories training saw (0 for a number)."""
        return [0 if c is None else (1 << len(c)) - 1 for c in self.categories]

    def prepare(self, rows: Floats) -> Floats:
        out = np.array(rows[:, list(self.sources)], dtype=np.float64)
        for j, values in enumerate(self.categories):
            if values is None:
                continue
            column = out[:, j].copy()
            coded = np.full(column.shape, np.nan)
            for code, value in enumerate(values):
                coded[column == value] = code
            out[:, j] = coded
        return out
