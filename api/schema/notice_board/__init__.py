"""The notice board (公告栏): what /board/<slug> shows anyone, and repairs done.

Its types (types.py); its root fields are api/resolvers/notice_board/root.py."""
