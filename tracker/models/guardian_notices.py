"""The record of each age notice the daily job sent about a guardian link (issue 16): inserted
under a unique constraint before the emails go, so two runs never send one twice."""

from django.db import models
from django.db.models import Q

from tracker.models.guardians import GuardianLink
from tracker.rules.guardian_notices import GuardianNoticeKind


class GuardianNotice(models.Model):
    link = models.ForeignKey(GuardianLink, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=GuardianNoticeKind)
    # The young person's calendar day the job ran for (their time zone).
    local_day = models.DateField()
    # Who was written to, comma-separated addresses ("" if neither has one).
    sent_to = models.CharField(max_length=600, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["link", "kind"], name="guardian_notice_once"),
            models.CheckConstraint(
                condition=Q(kind__in=GuardianNoticeKind.values), name="guardian_notice_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.link}) on {self.local_day}"
