"""CSV exports: pure, reusable machinery (writer, pseudonyms, dataset registry) and the datasets.

Importing this package registers every dataset. An area adds its datasets in its own module
(one `Dataset` subclass each, decorated with `@register`) and imports it below.
"""

# The Export page lists datasets in the order they register: the patient record first.
from tracker.exports import people  # noqa: F401

# isort: split
from tracker.exports import checkin, daily, outcomes, rehab  # noqa: F401

# isort: split
from tracker.exports import brace_measured  # noqa: F401  (issue 17: after the brace dataset)
