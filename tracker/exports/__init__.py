"""CSV exports: pure, reusable machinery (writer, pseudonyms, dataset registry) and the datasets.

Importing this package registers every dataset. An area adds its datasets in its own module
(one `Dataset` subclass each, decorated with `@register`) and imports it below.
"""

from tracker.exports import people  # noqa: F401  (registers the patient datasets)
