"""The mediation room (红色调解室): root fields (operations.py) and rows to types (mapping.py)."""
