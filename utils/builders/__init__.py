"""Scripts that write ``datasets/``: ``python -m utils.builders.<name>``.

Every file they write is listed in ``datasets/MANIFEST`` with the command that rebuilds it;
notebooks and library code never import a builder.
"""
