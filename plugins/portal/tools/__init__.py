"""The editors' and developers' tools, apart from the build (as Pelican keeps ``pelican/tools/``).

- ``authoring``: ``invoke new`` and ``invoke check`` (``--fix``);
- ``preview``: ``invoke livereload``;
- ``importer``: ``invoke import``, saved news pages to draft articles;
- ``synth``: synthetic content trees; ``bench``: ``invoke bench``;
- ``search_budget``: ``invoke search-budget``; ``browser``: the Chromium set-up the tests and the budget share;
- ``samples``: ``invoke sample-media``, the sample portal's illustrative photos and PDFs;
- ``deploy``: ``invoke deploy``, publishing output/ to S3-compatible storage or over rsync.

Tools import the build's modules; the build never imports a tool, so a tool
can change without making the next build a full one (incremental.code_digest).
"""
