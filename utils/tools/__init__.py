"""Command-line tools: exercise copies, the grader, the notebook normaliser, the timings
plugin and the numeric profile. Notebooks and library code never import them."""
