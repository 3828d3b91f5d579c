"""Smoke tests: the shared plotting helpers draw without error on the Agg backend."""

import matplotlib.pyplot as plt

from utils.plotting import draw_forward_backward_flow


def test_forward_backward_flow_draws():
    plt.switch_backend("Agg")
    fig = draw_forward_backward_flow()
    try:
        fig.canvas.draw()
        ax = fig.axes[0]
        texts = [text.get_text() for text in ax.texts]
        assert len(ax.patches) == 6  # a forward and a backward box for each of 3 layers
        assert any("SIGMOID" in text for text in texts)
        assert any(text.startswith("backward pass") for text in texts)
    finally:
        plt.close(fig)
