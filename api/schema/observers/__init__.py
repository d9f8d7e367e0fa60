"""Home observers (家园观察员): posts, visits, opinions taken down, disputes stepped into, and the
month's counts for the 家园议事会.

Types (types.py), inputs and payloads (inputs.py), root fields (root.py)."""
