"""The benchmark's settings: production's (tracker.settings, whatever the environment makes of
them) plus the bench-only pieces, so none of them is in tracker/settings.py.

- the bench app (`bench_data`);
- the query-count header middleware, outermost, so it counts the session, authentication and
  audit queries too (never on a real deployment: it tells a client how much work a page does);
- `bench.urls`: the product's URLs plus `/bench/fixed/` and `/bench/write/`;
- API rate limits high enough never to trip: the throttles still run (their cache reads and
  writes are part of every API request measured), but the load is many requests from a few
  accounts, which production's limits would rightly refuse.

The runner (`python -m bench`) sets DJANGO_SETTINGS_MODULE=bench.settings for every command and
for the gunicorn server it starts.
"""

from tracker.settings import *

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
ROOT_URLCONF = "bench.urls"
API_THROTTLE_RATES = {"read": "1000000/min", "write": "1000000/min", "export": "1000000/min"}
