#!/usr/bin/env python
import gc
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metoo_site.settings")
    if sys.argv[1:2] == ["import_disqus"]:
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
    # The command is done and the process ends. Frozen, the objects left are not
    # walked again by the collections the interpreter runs while shutting down
    # (a tenth of a second after a Disqus import).
    gc.freeze()


if __name__ == "__main__":
    main()
