"""Which sessions each user has open, so that they can sign out everywhere else."""

from django.db import models


class UserSession(models.Model):
    """One signed-in browser. The session itself lives in django.contrib.sessions."""

    user = models.ForeignKey("tracker.User", on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # Shown to the user to tell their devices apart ("Firefox on Android"); trimmed.
    user_agent = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} since {self.created_at:%Y-%m-%d %H:%M}"
