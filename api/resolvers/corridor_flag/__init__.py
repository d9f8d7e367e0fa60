"""The civilized-corridor flag (文明楼道流动红旗): standings, history, weights, closing a month.

The area's root fields (root.py) and what they do (operations.py)."""
