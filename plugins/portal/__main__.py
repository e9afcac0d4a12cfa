import gc
import logging
import os
import sys

from .build import main

# The process ends with the build: woken as the build returns (build._few_collections), the collector would first walk
# every object the build made, 0.02 s at the end of an edit build at 10,000 articles, for memory the system takes
# back at once. A full build still collects while it renders (generator.py). The package turned it off before its
# imports already (startup.collect_later) when it saw ``-m portal``; a spelling it does not see (``-mportal``,
# ``-Im portal``) still runs here, and must not collect at its end either.
gc.disable()
code = main()
# Leave without freeing the build's objects one by one (0.9 s at 10,000 articles): the system takes
# the memory back at once. Everything the build writes is closed by then; only the streams need flushing.
logging.shutdown()
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
