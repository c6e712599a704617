"""Full-text search over the store (Whoosh).

Request code uses `index.search` only; `index.lifecycle.ensure_index` (start-up)
and `python -m index build` write indexes. This package imports nothing on its
own, so importing `index.search` never pulls in the writing side.
"""
