"""Plotting helpers shared by notebooks: image grids, decision boundaries, cost curves."""

import matplotlib.pyplot as plt
import numpy as np


def show_images(images, titles=None, columns=8, size=1.4, cmap="gray"):
    """Show a grid of images (``(n, h, w)`` or ``(n, h, w, 3)``) with optional titles."""
    count = len(images)
    rows = max(1, -(-count // columns))
    title_lines = max((str(t).count("\n") + 1 for t in titles), default=0) if titles else 0
    row_height = size * (1.0 + 0.12 * title_lines)
    fig, axes = plt.subplots(rows, columns, figsize=(columns * size, rows * row_height))
    for index, ax in enumerate(np.ravel(axes)):
        ax.axis("off")
        if index < count:
            ax.imshow(images[index], cmap=cmap, vmin=0, vmax=1)
            if titles is not None:
                ax.set_title(titles[index], fontsize=8)
    fig.tight_layout()
    return fig


def plot_decision_boundary(predict, X, y, ax=None, title=None, resolution=300, margin=0.5):
    """Colour the plane by ``predict`` (maps ``(2, k)`` points to ``(1, k)`` labels) and
    scatter the examples ``X (2, m)`` coloured by their labels ``y (1, m)``."""
    ax = ax or plt.gca()
    x_min, x_max = X[0].min() - margin, X[0].max() + margin
    y_min, y_max = X[1].min() - margin, X[1].max() + margin
    xx, yy = np.meshgrid(
        np.linspace(x_min, x_max, resolution), np.linspace(y_min, y_max, resolution)
    )
    grid = np.c_[xx.ravel(), yy.ravel()].T
    zz = np.asarray(predict(grid)).reshape(xx.shape)
    ax.contourf(xx, yy, zz, cmap=plt.cm.RdBu, alpha=0.35)
    ax.scatter(X[0], X[1], c=np.ravel(y), cmap=plt.cm.RdBu, s=12, edgecolors="k", linewidths=0.3)
    ax.set_xlim(x_min, x_max)
    ax.set_ylim(y_min, y_max)
    ax.grid(False)
    if title:
        ax.set_title(title)
    return ax


def plot_costs(curves, every=100, ax=None, title="Training cost"):
    """Plot one or more cost curves; ``curves`` maps a label to costs recorded every
    ``every`` iterations."""
    ax = ax or plt.gca()
    for label, costs in curves.items():
        ax.plot(np.arange(len(costs)) * every, np.ravel(costs), label=str(label))
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost")
    ax.set_title(title)
    if len(curves) > 1:
        ax.legend()
    return ax
