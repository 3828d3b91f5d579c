"""Short command for blank copies: ``python -m utils.exercises`` runs utils.tools.exercises."""

import sys

if __name__ == "__main__":
    from utils.tools.exercises import main

    sys.exit(main())
