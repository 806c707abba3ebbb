"""`alur_token <username> <name>`: make an API token and print it, once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from alur.web.api.models import ApiToken


class Command(BaseCommand):
    help = "Membuat token API untuk seorang pengguna dan mencetaknya sekali."

    def add_arguments(self, parser):
        parser.add_argument("username", help="nama pengguna pemilik token")
        parser.add_argument("name", help="nama/kegunaan token, mis. 'integrasi e-office'")

    def handle(self, *args, username: str, name: str, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"Pengguna '{username}' tidak ditemukan.") from None
        if not user.is_active:
            raise CommandError(f"Pengguna '{username}' tidak aktif.")
        name = name.strip()
        if not name:
            raise CommandError("Nama token tidak boleh kosong.")
        if len(name) > 100:
            raise CommandError("Nama token paling panjang 100 karakter.")
        _, token = ApiToken.issue(user, name)
        self.stderr.write(f"Token '{name}' untuk {username} dibuat. Simpan sekarang; token ini "
                          "tidak akan ditampilkan lagi.")
        self.stdout.write(token)
