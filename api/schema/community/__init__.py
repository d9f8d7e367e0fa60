"""The community office's settings about itself (its phone for people without the app).

Its types (types.py); its root fields are api/resolvers/community/root.py."""
