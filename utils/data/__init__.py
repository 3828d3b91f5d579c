"""Data: builders for generated datasets and loaders verified against datasets/MANIFEST."""
