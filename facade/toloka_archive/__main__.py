"""``python -m toloka_archive``: the same as the ``toloka-archive`` command."""

from toloka_archive.cli import entry_point

if __name__ == "__main__":
    entry_point()
