"""Shared fixtures: small notebooks built in code for the tool tests."""

import nbformat
import pytest

TOY_SETUP = "import numpy as np"

TOY_EXERCISES = {
    "double": ("def double(x):\n    # (1 line)\n    ### BEGIN SOLUTION\n    return 2 * x\n"
               "    ### END SOLUTION\n",
               "# NBVAL_CHECK_OUTPUT\nassert double(3) == 6, 'double(3) should be 6'\n"
               "print('double: ok')"),
    "halve": ("def halve(x):\n    # (1 line)\n    ### BEGIN SOLUTION\n    return x / 2\n"
              "    ### END SOLUTION\n",
              "# NBVAL_CHECK_OUTPUT\nassert halve(3) == 1.5, 'halve(3) should be 1.5'\n"
              "print('halve: ok')"),
    "count_to": ("def count_to(n):\n    # (2 lines)\n    ### BEGIN SOLUTION\n"
                 "    result = list(range(1, n + 1))\n    return result\n    ### END SOLUTION\n",
                 "# NBVAL_CHECK_OUTPUT\nassert count_to(3) == [1, 2, 3]\nprint('count_to: ok')"),
}


def build_notebook(exercises):
    """A notebook with a set-up cell, then for each (name, body, check) a graded cell and
    its check cell, separated by markdown."""
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# Toy notebook"))
    nb.cells.append(nbformat.v4.new_code_cell(TOY_SETUP))
    for name, body, check in exercises:
        nb.cells.append(nbformat.v4.new_markdown_cell(f"## {name}"))
        nb.cells.append(nbformat.v4.new_code_cell(f"# GRADED FUNCTION: {name}\n{body}"))
        nb.cells.append(nbformat.v4.new_code_cell(check))
    nb.cells.append(nbformat.v4.new_code_cell("print('the end')"))
    return nb


@pytest.fixture
def toy_notebook():
    """The toy solution notebook (three exercises that all pass)."""
    return build_notebook([(name, body, check) for name, (body, check) in TOY_EXERCISES.items()])
