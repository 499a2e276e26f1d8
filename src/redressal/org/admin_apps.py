"""The admin app config, apart from the site so that loading INSTALLED_APPS imports no models."""

from django.contrib.admin.apps import AdminConfig


class RedressalAdminConfig(AdminConfig):
    default_site = "redressal.org.admin_site.RedressalAdminSite"
