"""The round table (幸福圆桌会): meetings, agenda topics, votes and check-in.

Its types (types.py); its root fields are api/resolvers/round_table/root.py."""
