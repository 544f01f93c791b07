"""Parsing: the source text (file, notebook, stdin), its chunks and their syntax index, and positions."""
