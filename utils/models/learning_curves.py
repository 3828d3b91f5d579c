"""Error rates and learning curves of scikit-learn style models, and how to draw them.

A *learning curve* trains the same kind of model on growing subsets of one training set and
records its error on the subset it was trained on and on a fixed dev set. The subsets are
nested (each is the start of one fixed random permutation), so a larger subset always holds
every example of the smaller ones and the curve moves only because data was added.

Models follow scikit-learn's convention: examples are rows of ``X`` and labels are 1-D.
"""

import numpy as np


def error_rate(model, X, y):
    """Fraction of the examples (rows of ``X``) whose predicted label differs from ``y``."""
    y = np.ravel(y)
    return float(np.mean(np.ravel(model.predict(X)) != y))


def learning_curve(make_model, X_train, y_train, X_dev, y_dev, sizes, seed=0, repeats=1):
    """Train a fresh ``make_model()`` on the first ``n`` examples of a seeded permutation of
    the training set, for each ``n`` in ``sizes``, and measure its errors.

    With ``repeats > 1`` each size is trained on the starts of ``repeats`` different
    permutations and the errors are averaged, which smooths out the luck of one particular
    subset (a size equal to the whole training set is trained once: every permutation gives
    the same examples). Returns a dict of 1-D arrays: ``"sizes"`` (ints), ``"train"`` (error
    on the ``n`` examples the model was trained on) and ``"dev"`` (error on the whole dev
    set).
    """
    sizes = np.asarray(sizes, dtype=np.int64)
    y_train = np.ravel(y_train)
    if sizes.ndim != 1 or len(sizes) == 0:
        raise ValueError("sizes must be a non-empty list of training-set sizes")
    if np.any(sizes < 1) or np.any(sizes > len(y_train)):
        raise ValueError(
            f"every size must be between 1 and the {len(y_train)} training examples, "
            f"got {sizes.tolist()}"
        )
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    rng = np.random.default_rng(seed)
    orders = [rng.permutation(len(y_train)) for _ in range(repeats)]
    train_errors, dev_errors = [], []
    for n in sizes:
        runs = []
        for order in orders[: 1 if n == len(y_train) else repeats]:
            subset = order[:n]
            model = make_model()
            model.fit(X_train[subset], y_train[subset])
            runs.append((error_rate(model, X_train[subset], y_train[subset]),
                         error_rate(model, X_dev, y_dev)))
        train_errors.append(np.mean([run[0] for run in runs]))
        dev_errors.append(np.mean([run[1] for run in runs]))
    return {"sizes": sizes, "train": np.array(train_errors), "dev": np.array(dev_errors)}


def plot_learning_curve(curve, human_error, ax, title=None):
    """Draw a learning curve (train and dev error against training-set size, log x axis)
    with the human-level error as a horizontal line, and mark the two gaps at the largest
    size as bars: avoidable bias (human level to train, blue) and variance (train to dev,
    red)."""
    sizes, train, dev = curve["sizes"], curve["train"], curve["dev"]
    ax.plot(sizes, train, "o-", color="tab:blue", label="train error")
    ax.plot(sizes, dev, "s-", color="tab:red", label="dev error")
    ax.axhline(human_error, color="0.3", linestyle="--", label="human level")
    ax.set_xscale("log")
    ax.set_xlabel("training examples (log scale)")
    ax.set_ylabel("error rate")
    bias = (human_error, train[-1])
    spread = (train[-1], dev[-1])
    # the two gaps as bars right of the last point; side by side when they overlap (a
    # negative avoidable bias), one above the other otherwise
    overlap = min(max(bias), max(spread)) > max(min(bias), min(spread)) + 1e-9
    x_bias = sizes[-1] * 1.25
    x_spread = x_bias * (1.45 if overlap else 1.0)
    x_text = x_spread * 1.12
    bias_label = "avoidable bias" + (" (negative)" if train[-1] < human_error else "")
    labels = [[np.mean(bias), bias_label.replace(" ", "\n", 1), "tab:blue"],
              [np.mean(spread), "variance", "tab:red"]]
    low, high = sorted(labels, key=lambda item: item[0])
    high[0] = max(high[0], low[0] + 0.07)  # keep the two labels from overlapping
    for (start, stop), x, colour in ((bias, x_bias, "tab:blue"), (spread, x_spread, "tab:red")):
        ax.annotate("", xy=(x, stop), xytext=(x, start),
                    arrowprops=dict(arrowstyle="|-|,widthA=0.3,widthB=0.3", color=colour,
                                    lw=1.4, shrinkA=0, shrinkB=0))
    for y, text, colour in labels:
        ax.text(x_text, y, text, color=colour, va="center", fontsize=9)
    ax.set_xlim(sizes[0] / 1.3, sizes[-1] * 4.5)
    if title:
        ax.set_title(title)
    ax.legend(loc="upper right", fontsize=9)
    return ax
