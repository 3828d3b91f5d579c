"""Shared helpers for the course notebooks: set-up, checks, data, plots and tools."""

from utils.notebook_setup import REPO_ROOT, setup_notebook

__all__ = ["REPO_ROOT", "setup_notebook"]
