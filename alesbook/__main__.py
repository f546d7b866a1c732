import sys

from alesbook.cli import main

sys.exit(main())
