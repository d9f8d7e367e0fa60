"""The red points economy: rules, ledger, balances, leaderboards, the corridor flag."""
