"""Automatic story grouping: which unpinned articles report the same real-world event.

``pipeline.partition`` is the recipe (features -> similarity -> clustering);
``explain`` has what the ``digest stories`` command shows and the ``--pin`` writer.
"""
