#!/usr/bin/env python
import gc
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metoo_site.settings")
    importing = sys.argv[1:2] == ["import_disqus"]
    if importing:
        # Starting Django makes a few hundred thousand objects that live until the
        # process ends: the collector, walking them again and again, finds nothing.
        # The command turns it back on when it has imported.
        gc.disable()
        # The export is read on the other core while Django starts; the command
        # takes what was read (comments.importers.early).
        from comments.importers.early import start_for_arguments

        start_for_arguments(sys.argv[2:])
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
    if importing:
        _leave()
    # The command is done and the process ends. Frozen, the objects left are not
    # walked again by the collections the interpreter runs while shutting down
    # (a tenth of a second after a Disqus import).
    gc.freeze()


def _leave() -> None:
    """End the process now that the import has committed and said so. What the
    interpreter would still do is take every object apart, one by one (0.01 s after
    an import); what talks to others is closed first: the database pool, the log
    handlers, the output. (An error raises SystemExit and never gets here.)"""
    import logging

    from django.db import connections

    for connection in connections.all(initialized_only=True):
        close_pool = getattr(connection, "close_pool", None)
        if close_pool is not None:
            close_pool()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
