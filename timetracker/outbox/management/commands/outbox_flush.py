from django.core.management.base import BaseCommand

from timetracker.outbox.services import outbox_flush


class Command(BaseCommand):
    help = "Send the tasks waiting in the outbox (the broker refused them) now, due or not."

    def handle(self, *args, **options):
        result = outbox_flush(due_only=False)
        self.stdout.write(f"Sent {result['sent']}; {result['waiting']} still waiting.")
