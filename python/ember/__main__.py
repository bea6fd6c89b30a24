"""``python -m ember ARGS`` does what the `ember` command does (ember.cli)."""

from ember.cli import main

if __name__ == "__main__":
    main()
