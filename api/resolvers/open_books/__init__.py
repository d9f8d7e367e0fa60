"""Open books (公开账目): the community's public accounts.

The area's root fields (root.py) and what they do (operations.py)."""
