"""Analysis code of the book « Le bassin industriel d'Alès : une histoire de reconversions, en données »."""

from importlib.metadata import version

from alesbook.datasets import load

__version__ = version("alesbook")  # pyproject.toml, which tests/test_citation.py checks against CITATION.cff
__all__ = ["load", "__version__"]
