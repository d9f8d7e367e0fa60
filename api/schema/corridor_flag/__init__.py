"""The civilized-corridor flag (文明楼道流动红旗): standings, history, weights, closing a month.

Types (types.py) and root fields (root.py)."""
