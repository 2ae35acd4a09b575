"""`kam escalate_approvals`: give approval requests pending past their rule's days also to
the rule's escalation role. Run it from cron or the scheduler (hourly or nightly)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from openkam.proposals.approval_flow import escalate_due


class Command(BaseCommand):
    help = "Escalate approval requests that waited longer than their rule allows."

    def handle(self, *args, **options):
        count = escalate_due()
        self.stdout.write(_("Escalated %(count)s approval requests.") % {"count": count})
