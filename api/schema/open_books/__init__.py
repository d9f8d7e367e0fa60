"""Open books (公开账目): the community's public accounts.

Types (types.py) and root fields (root.py)."""
