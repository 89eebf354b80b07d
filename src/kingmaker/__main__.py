"""``python -m kingmaker``: the same command line as the ``kingmaker`` script."""

from kingmaker.cli import main

if __name__ == "__main__":
    main()
