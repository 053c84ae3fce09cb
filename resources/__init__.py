"""Data shipped with the app: the demo archive and starter codebooks (read with importlib.resources)."""
