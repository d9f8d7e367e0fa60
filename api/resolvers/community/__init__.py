"""The community office's settings about itself (its phone for people without the app).

The area's root fields (root.py) and what they do (operations.py)."""
