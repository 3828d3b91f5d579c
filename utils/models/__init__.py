"""Model code reused across notebooks: numpy networks, Keras builders, analysis helpers.

No file I/O here, and no imports from ``utils.data``: a loader hands arrays to a model.
"""
