"""The community office's settings about itself (its phone for people without the app).

Types (types.py) and root fields (root.py)."""
