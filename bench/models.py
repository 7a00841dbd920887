"""Bench-only: the table the write ceiling inserts into (`/bench/write/`). It exists only in a
database migrated with bench.settings."""

from django.db import models


class BenchWrite(models.Model):
    patient = models.ForeignKey("tracker.Patient", on_delete=models.CASCADE, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"bench write {self.pk}"
