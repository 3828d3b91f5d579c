"""Loaders: each returns arrays from a pinned package, a seeded generator or a committed file
verified against ``datasets/MANIFEST``, and says how to rebuild what is missing. Writing
data files is the job of ``utils.builders``; loaders never import models."""
