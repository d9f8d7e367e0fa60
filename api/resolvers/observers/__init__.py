"""Home observers (家园观察员): root fields (operations.py) and rows to types (mapping.py)."""
