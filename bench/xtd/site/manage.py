#!/usr/bin/env python
"""The xtd peer's manage.py; run with bench/out/xtd-venv/bin/python and XTD_DB_URL set."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xtdsite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
