"""A reminder through a real SMTP server (aiosmtpd on loopback), with its unsubscribe headers."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from tests.factories import PatientFactory, UserFactory
from tests.helpers import at_utc, reminders_on
from tracker.models import Notification
from tracker.services.reminder_sending import reminders_send

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=_free_port(), server_hostname="localhost"
    )
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 10
    settings.SITE_URL = "https://parstrack.example.org"
    yield inbox
    controller.stop()


def test_a_reminder_arrives_through_smtp_with_a_one_click_unsubscribe(smtp_server, clinic):
    patient = PatientFactory(user=UserFactory(username="smtp.sue"), clinic=clinic)
    reminders_on(patient)

    run = reminders_send(now=at_utc("2026-11-02 19:00"))

    assert run.sent == 1
    ((recipients, content),) = smtp_server.messages
    assert recipients == [patient.user.email]
    message = email.message_from_bytes(content, policy=email.policy.default)
    assert message["Subject"] == "Time for your ParsTrack check-in"
    assert (
        message["List-Unsubscribe"]
        .strip()
        .startswith("<https://parstrack.example.org/reminders/stop/")
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Notification.objects.get(patient=patient).outcome == "sent"
