"""Alliance Atlas domain package: data, time logic, map layers, exports.

Never imports streamlit (checked by tests/unit/test_architecture.py).
"""

__version__ = "0.1.0"
