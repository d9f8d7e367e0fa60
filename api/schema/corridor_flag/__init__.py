"""The civilized-corridor flag (文明楼道流动红旗): standings, history, weights, closing a month.

Its types (types.py); its root fields are api/resolvers/corridor_flag/root.py."""
