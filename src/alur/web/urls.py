from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

admin.site.site_header = _("alur — administration")
admin.site.site_title = "alur"

urlpatterns = [
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/sandi/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("akun/sandi/selesai/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("akun/lupa/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("akun/lupa/terkirim/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("akun/atur/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("akun/atur/selesai/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    # Browsers ask for /favicon.ico on their own, before reading the page's icon links.
    path("favicon.ico", RedirectView.as_view(url=static("alur/favicon.ico"), permanent=True)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the language form
    path("api/", include("alur.web.api.urls")),
    path("impor/", include("alur.web.library.import_urls")),
    path("organisasi/", include("alur.web.org.urls")),
    path("laporan/", include("alur.web.reports.urls")),
    path("pemantauan/", include("alur.web.monitoring.urls")),
    path("evaluasi/", include("alur.web.evaluation.urls")),
    path("abk/", include("alur.web.abk.urls")),
    path("publik/", include("alur.web.public.urls")),  # the public archive (no login)
    path("", include("alur.web.signing.urls")),  # /verifikasi/<code>/: no login
    path("", include("alur.web.home.urls")),
    path("", include("alur.web.cases.urls")),
    path("", include("alur.web.library.urls")),
]
