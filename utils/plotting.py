"""Plotting helpers shared by notebooks: image grids, decision boundaries, cost curves and
the forward/backward diagram of an L-layer network."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyBboxPatch


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


_FLOW_BOX_W, _FLOW_BOX_H = 1.9, 0.85


def _flow_box(ax, x, y, text, face, edge):
    w, h = _FLOW_BOX_W, _FLOW_BOX_H
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.06",
                                facecolor=face, edgecolor=edge, linewidth=1.5))
    ax.text(x, y, text, ha="center", va="center", fontsize=10.5)


def _flow_arrow(ax, x0, y0, x1, y1, color, dashed=False):
    ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops=dict(
        arrowstyle="-|>", color=color, lw=1.6, shrinkA=0, shrinkB=0,
        linestyle=(0, (3, 2)) if dashed else "-"))


def _flow_label(ax, x, y, text, color, size=10):
    ax.text(x, y, text, ha="center", va="bottom", fontsize=size, color=color)


def draw_forward_backward_flow():
    """Diagram of an L-layer network's training step: the forward pass on top (left to
    right), the backward pass below (right to left), each layer's cache between them.
    Returns the figure."""
    fig = plt.figure(figsize=(12, 5.0))
    ax = fig.add_axes([0.01, 0.01, 0.98, 0.98])
    ax.set_xlim(0, 12)
    ax.set_ylim(-0.75, 5.0)
    ax.axis("off")
    blue, red, grey = "#1f5fa8", "#b8342b", "#555555"
    top, bottom, w, h = 3.3, 1.1, _FLOW_BOX_W, _FLOW_BOX_H
    xs = {"1": 2.3, "L−1": 5.5, "L": 8.7}
    names = {"1": "RELU", "L−1": "RELU", "L": "SIGMOID"}
    for layer, x in xs.items():
        _flow_box(ax, x, top, f"LINEAR → {names[layer]}\nlayer {layer}", "#dce9f7", blue)
        _flow_box(ax, x, bottom, f"LINEAR ← {names[layer]}\nbackward, layer {layer}",
                  "#f7dfdc", red)
        _flow_arrow(ax, x, top - h / 2 - 0.08, x, bottom + h / 2 + 0.08, grey, dashed=True)
        ax.text(x + 0.1, (top + bottom) / 2, f"cache of layer {layer}:\n((A_prev, W, b), Z)",
                ha="left", va="center", fontsize=9, color=grey)
        _flow_arrow(ax, x, bottom - h / 2 - 0.08, x, -0.05, red)
        ax.text(x + 0.1, 0.05, f"dW[{layer}], db[{layer}]", ha="left", fontsize=10, color=red)
    edge = w / 2 + 0.1
    # forward: left to right, ending at the cost
    ax.text(0.55, top, "X = A[0]", ha="center", va="center", fontsize=10.5)
    _flow_arrow(ax, 1.05, top, xs["1"] - edge, top, blue)
    _flow_arrow(ax, xs["1"] + edge, top, xs["L−1"] - edge, top, blue, dashed=True)
    _flow_label(ax, 3.9, top + 0.08, "A[1] … A[L−2]", blue, size=9)
    _flow_arrow(ax, xs["L−1"] + edge, top, xs["L"] - edge, top, blue)
    _flow_label(ax, 7.1, top + 0.08, "A[L−1]", blue)
    _flow_arrow(ax, xs["L"] + edge, top, 10.75, top, blue)
    _flow_label(ax, 10.2, top + 0.08, "AL = Ŷ", blue)
    ax.text(11.3, top, "cost\nJ(AL, Y)", ha="center", va="center", fontsize=10.5)
    _flow_arrow(ax, 11.3, top - 0.45, 11.3, bottom + 0.1, red)
    ax.text(11.38, (top + bottom) / 2, "dAL", ha="left", va="center", fontsize=10, color=red)
    # backward: right to left
    _flow_arrow(ax, 11.3, bottom, xs["L"] + edge, bottom, red)
    _flow_arrow(ax, xs["L"] - edge, bottom, xs["L−1"] + edge, bottom, red)
    _flow_label(ax, 7.1, bottom + 0.08, "dA[L−1]", red)
    _flow_arrow(ax, xs["L−1"] - edge, bottom, xs["1"] + edge, bottom, red, dashed=True)
    _flow_label(ax, 3.9, bottom + 0.08, "dA[L−2] … dA[1]", red, size=9)
    _flow_arrow(ax, xs["1"] - edge, bottom, 1.05, bottom, red)
    ax.text(0.55, bottom, "dA[0]", ha="center", va="center", fontsize=10.5, color=red)
    # the bracket over the repeated relu block
    ax.plot([xs["1"] - w / 2, xs["1"] - w / 2, xs["L−1"] + w / 2, xs["L−1"] + w / 2],
            [top + 0.62, top + 0.75, top + 0.75, top + 0.62], color=blue, lw=1.2)
    _flow_label(ax, (xs["1"] + xs["L−1"]) / 2, top + 0.8, "repeated L−1 times (hidden layers)",
                blue)
    _flow_label(ax, xs["L"], top + 0.8, "once (output layer)", blue)
    ax.text(6, 4.6, "forward pass: left to right, each layer keeps a cache",
            ha="center", fontsize=12, color=blue, weight="bold")
    ax.text(6, -0.7, "backward pass: right to left, each layer reads its cache and "
            "returns dW, db for update_parameters", ha="center", fontsize=12, color=red,
            weight="bold")
    return fig
