"""The voice areas' tests keep uploaded photos in each test's own folder."""

from tests.support.voice import photo_dir  # noqa: F401 - an autouse fixture
