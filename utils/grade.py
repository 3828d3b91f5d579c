"""Short command for the local grader: ``python -m utils.grade`` runs :mod:`utils.tools.grade`."""

import sys

if __name__ == "__main__":
    from utils.tools.grade import main

    sys.exit(main())
