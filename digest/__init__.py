"""digest: a static site generator for a conflict news digest."""

__version__ = "0.1.0"
