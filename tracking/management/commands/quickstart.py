"""`manage.py quickstart`: migrate, load the demo data, print the logins, run the development server."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError

from tracking.demo import seed_demo

# Set-up commands that other apps may provide; run when present so this app needs no import of them.
OPTIONAL_SETUP_COMMANDS = ("setup_periodic_tasks",)
# Demo data of the apps above tracking (saved reports), run after tracking's own when present.
OPTIONAL_DEMO_COMMANDS = ("seed_demo_reports",)


class Command(BaseCommand):
    help = "Set up a local TimeTracker with demo data and start the development server."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="Address and port to serve on.")
        parser.add_argument("--no-serve", action="store_true", help="Set up and print the logins, do not serve.")
        parser.add_argument("--no-demo", action="store_true", help="Skip the demo data.")

    def handle(self, *args, addrport, no_serve, no_demo, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(self.style.SUCCESS("Database ready."))
        available = get_commands()
        for name in OPTIONAL_SETUP_COMMANDS:
            if name in available:
                call_command(name, verbosity=0)

        logins = []
        if not no_demo:
            if not settings.DEBUG:
                raise CommandError("Demo data is for local installs: run with DEBUG=True, or pass --no-demo.")
            logins = seed_demo()
            for name in OPTIONAL_DEMO_COMMANDS:
                if name in available:
                    call_command(name, verbosity=0)

        host, _, port = addrport.rpartition(":")
        host = host or "127.0.0.1"
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host  # noqa: S104
        url = f"http://{shown}:{port or '8000'}"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("TimeTracker is ready."))
        if no_serve:
            self.stdout.write(f"  Serve it    python manage.py runserver {host}:{port or '8000'}")
            self.stdout.write(f"  then open   {url}/")
        else:
            self.stdout.write(f"  Open        {url}/")
        self.stdout.write(f"  Admin       {url}/admin/")
        if not get_user_model().objects.filter(role="admin", is_active=True).exists():
            self.stdout.write("  No administrator yet: create the first one with  python manage.py createsuperuser")
        if logins:
            self.stdout.write("  Demo logins (username / password, role):")
            for login in logins:
                self.stdout.write(f"    {login.username:<8} / {login.password}   {login.role}")
            self.stdout.write(
                "  (Passwords are the demo defaults; change them if this install is reachable by others.)"
            )
        self.stdout.write("")

        if not no_serve:
            # No autoreloader: it would re-run this command (and the set-up) in a child process.
            call_command("runserver", f"{host}:{port or '8000'}", use_reloader=False)
