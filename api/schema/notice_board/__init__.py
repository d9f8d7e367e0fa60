"""The notice board (公告栏): what /board/<slug> shows anyone, and repairs done.

Types (types.py) and root fields (root.py)."""
