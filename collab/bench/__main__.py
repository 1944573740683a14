"""``python -m collab.bench`` runs :func:`collab.bench.run.main`."""

import sys

from collab.bench.run import main

sys.exit(main())
