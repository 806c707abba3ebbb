from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "alur — administrasi"
admin.site.site_title = "alur"

urlpatterns = [
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include("alur.web.api.urls")),
    path("impor/", include("alur.web.library.import_urls")),
    path("", include("alur.web.library.urls")),
]
