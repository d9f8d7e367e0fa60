"""The community office's own settings (its phone for people without the app)."""
