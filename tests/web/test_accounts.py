"""Accounts: login throttling, password change and reset by email."""

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_repeated_failures_lock_the_login(client, user_factory):
    user_factory("sinta")
    for _ in range(5):
        client.post(reverse("login"), {"username": "sinta", "password": "salah"})
    locked = client.post(reverse("login"), {"username": "sinta", "password": "rahasia-123"})
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan" in locked.content.decode()


def test_password_change(client, user_factory):
    user = user_factory("rudi")
    client.force_login(user)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    response = client.post(reverse("password_change"), {
        "old_password": "rahasia-123", "new_password1": "Sandi-Baru-2026!",
        "new_password2": "Sandi-Baru-2026!"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Sandi-Baru-2026!")
    assert user.password.startswith("argon2")


def test_password_reset_by_email(client, user_factory):
    user_factory("ani", email="ani@dinas.go.id")
    response = client.post(reverse("password_reset"), {"email": "ani@dinas.go.id"})
    assert response.status_code == 302
    (message,) = mail.outbox
    link = re.search(r"https?://[^/]+(/akun/atur/\S+)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "Atur kata sandi baru" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {
        "new_password1": "Sandi-Baru-2026!", "new_password2": "Sandi-Baru-2026!"})
    assert done.status_code == 302
    assert client.post(reverse("login"), {"username": "ani", "password": "Sandi-Baru-2026!"}
                       ).status_code == 302
