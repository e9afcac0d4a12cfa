import logging
import os
import sys

from .build import main

# The collector is off since the package was imported (startup.collect_later), and stays off: the process ends with
# the build, and woken as the build returns (build._few_collections), the collector would first walk every object the
# build made, 0.02 s at the end of an edit build at 10,000 articles, for memory the system takes back at once. A full
# build still collects while it renders (generator.py).
code = main()
# Leave without freeing the build's objects one by one (0.9 s at 10,000 articles): the system takes
# the memory back at once. Everything the build writes is closed by then; only the streams need flushing.
logging.shutdown()
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
