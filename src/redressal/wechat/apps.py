from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WechatConfig(AppConfig):
    name = "redressal.wechat"
    label = "wechat"
    verbose_name = _("微信公众号")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from redressal.conversations.channels import register_sender
        from redressal.notify.delivery import ADDRESS_BOOKS
        from redressal.wechat.outbound import bound_openids, send_text

        register_sender("wechat", send_text)
        ADDRESS_BOOKS["wechat"] = bound_openids
