import sys

from pmostep.cli import main

sys.exit(main())
