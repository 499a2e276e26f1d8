"""Why a customer's request was refused, in the customer's words and language.

The services refuse with a stable code (the API answers it as it is); the portal's pages show the
customer a sentence for it, never a code or developer English."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from redressal.core.errors import ServiceError

REFUSALS: dict[str, Promise] = {
    "otp.phone_invalid": _("请输入 11 位手机号码"),
    "otp.code_format": _("验证码为 6 位数字"),
    "otp.wrong_code": _("验证码不正确"),
    "otp.expired": _("验证码已过期，请重新获取"),
    "otp.no_code": _("请先获取验证码"),
    "otp.attempts_exhausted": _("验证码错误次数过多，请重新获取"),
    "otp.too_soon": _("验证码已发送，请稍后再试"),
    "otp.phone_limit": _("该手机号获取验证码过于频繁，请一小时后再试"),
    "otp.ip_limit": _("获取验证码过于频繁，请稍后再试"),
    "otp.unavailable": _("短信服务暂不可用，请稍后再试"),
    "otp.send_failed": _("验证码发送失败，请稍后再试"),
    "captcha_required": _("请输入图片中的字符"),
    "oidc.phone_unverified": _("银行登录未提供已验证的手机号码"),
    "oidc.phone_missing": _("银行登录未提供已验证的手机号码"),
    "not_found": _("没有找到该投诉"),
    "no_notice": _("尚无处理决定告知书"),
    "invalid_choice": _("请从列表中选择"),
    "required": _("请填写此项"),
    "too_long": _("内容过长"),
    "out_of_range": _("请选择 1 到 5 分"),
    "invalid_amount": _("请输入有效金额（不小于 0，最多两位小数）"),
    "file_type": _("不接受该类型的文件"),
    "file_extension": _("文件名与文件类型不符"),
    "file_content": _("文件内容与文件类型不符"),
    "file_size": _("文件过大"),
    "file_empty": _("文件是空的"),
    "lifecycle.invalid_transition": _("您的投诉当前状态下不能进行该操作"),
    "review.out_of_time": _("已超过申请核查的期限"),
    "not_allowed": _("不能进行该操作"),
    "request_too_large": _("上传的内容过大"),
    "too_many_files": _("一次最多上传 5 个文件"),
}
FALLBACK = _("操作未能完成，请稍后再试或致电客服")


def refusal_text(exc: ServiceError) -> str:
    entry = REFUSALS.get(exc.code)
    return str(entry if entry is not None else FALLBACK)
