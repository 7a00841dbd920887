import sys

from tracker.bench.run import main

sys.exit(main())
