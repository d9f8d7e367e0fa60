"""Open books (公开账目): the community's public accounts.

Its types (types.py); its root fields are api/resolvers/open_books/root.py."""
