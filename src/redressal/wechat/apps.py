from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WechatConfig(AppConfig):
    name = "redressal.wechat"
    label = "wechat"
    verbose_name = _("微信公众号")
    default_auto_field = "django.db.models.BigAutoField"
