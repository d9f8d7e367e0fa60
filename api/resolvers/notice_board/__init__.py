"""The notice board (公告栏): what /board/<slug> shows anyone, and repairs done.

The area's root fields (root.py) and what they do (operations.py)."""
