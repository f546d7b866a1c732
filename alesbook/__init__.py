"""Analysis code of the book « Le bassin industriel d'Alès : une histoire de reconversions, en données »."""

from alesbook.datasets import load

__version__ = "0.1.0"
__all__ = ["load", "__version__"]
