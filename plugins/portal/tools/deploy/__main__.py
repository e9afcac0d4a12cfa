"""``python -m portal.tools.deploy``."""

import sys

from .cli import main

sys.exit(main())
