"""``invoke deploy``: publish the built ``output/`` to an S3-compatible bucket or, with rsync, to a server.

Never imported by the build (tests/unit/test_plugin_layout.py). The rooms:

- ``config``: ``DeployConfig`` (the ``DEPLOY`` dict, ``PORTAL_DEPLOY_*`` variables, defaults) and the targets;
- ``local``: is ``output/`` a complete build, its files, their MD5s, its alias redirects;
- ``headers``: the declared table of Content-Type / Cache-Control per path, and the upload groups;
- ``plan``: what the bucket must hold and the plan to get there (uploads, header fixes, deletes);
- ``s3``: the bucket through boto3, the ordered parallel run, the manifest;
- ``cdn``: CloudFront invalidation of the changed paths; ``rsync``: the server target;
- ``cli``: ``python -m portal.tools.deploy``; ``errors``: ``DeployError`` and the exit codes.
"""

from .cli import main, run
from .errors import DeployError

__all__ = ["DeployError", "main", "run"]
