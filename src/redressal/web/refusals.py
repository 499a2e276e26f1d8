"""Why an action was refused, in the reader's language (SPEC §13: a clear error naming the field).

Services and the domain refuse with a stable code and a message for developers and API clients (the
domain cannot translate: it imports no Django). The workbench shows people this catalogue's sentence
for the code instead, translated like every other text; a code refined by its field ("required" on
``reason``) may say more. A message the service already wrote in the catalogue's language (a
``gettext`` call) is shown as it is. ``tests/web/test_refusals.py`` checks that every code a service
or the domain raises with an English message has its entry here.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from redressal.core.errors import ServiceError

REFUSALS: dict[str, Promise] = {
    # Lifecycle (SPEC §4)
    "lifecycle.invalid_transition": _("工单当前状态下不能执行该操作"),
    "lifecycle.short_path": _("咨询和建议直接答复并办结，不适用该操作"),
    "lifecycle.full_path": _("该操作只适用于咨询和建议"),
    "lifecycle.unknown_action": _("没有这项操作"),
    "version_conflict": _("工单刚被他人修改，请刷新后重试"),
    "future_time": _("操作时间不能晚于现在"),
    "naive_time": _("时间须带时区"),
    "before_receipt": _("该时间不能早于收到投诉的时间"),
    # Recusal and review independence (SPEC §7, §4)
    "recusal.confirmation": _("请确认您与本工单无直接利害关系"),
    "recusal.conflict": _("该人员是被投诉人或其汇报线上的人员，须回避"),
    "review.independence": _("核查人不能是原处理人、原审批人或原处理人汇报线上的人员"),
    "review.out_of_time": _("已超过申请核查的期限，须主管批准后受理"),
    # Deadlines (SPEC §5)
    "extension.after_deadline": _("处理期限已届满，延期须在期限届满前办理"),
    "extension.already_at_level": _("处理期限已延长到该级别"),
    "extension.approver_role": _("该级别的延期须由有权审批人批准"),
    "extension.level_invalid": _("没有这一延期级别"),
    "extension.level_order": _("须先办理上一级延期"),
    "extension.l2_requires_l1": _("二级延期须在一级延期之后办理"),
    "extension.max_days": _("延期后的期限超过了最长期限"),
    "extension.not_applicable": _("该工单没有可延长的处理期限"),
    "extension.not_running": _("处理期限当前未在计时，不能延期"),
    "extension.notice_required": _("延期须告知投诉人"),
    "extension.request_pending": _("已有一项延期申请在等待审批"),
    "pause.after_deadline": _("处理期限已届满，不能再中止计时"),
    "pause.already_paused": _("处理期限已在中止中"),
    "pause.external_party_required": _("请填写承担鉴定、检测或评估的外部机构"),
    "pause.not_applicable": _("该工单没有可中止的处理期限"),
    "pause.not_paused": _("处理期限未在中止中"),
    "pause.not_running": _("处理期限当前未在计时，不能中止"),
    "pause.reason_not_allowed": _("只有外部鉴定、检测或评估可以中止计时"),
    "pause.resume_before_pause": _("恢复计时的时间不能早于中止时间"),
    # Solution, approval, decision (SPEC §8)
    "approval.limit": _("金额超出审批人的审批权限"),
    "approval.pending": _("还有解决方案在等待审批"),
    "approval.self": _("审批人不能是申请人本人"),
    "compensation.negative": _("补偿金额不能为负数"),
    "compensation.precision": _("金额以元为单位，最多两位小数"),
    "invalid_amount": _("请输入有效金额（不小于 0，最多两位小数）"),
    "no_pending_proposal": _("没有等待审批的解决方案"),
    "no_pending_request": _("没有等待审批的延期申请"),
    "tasks.blocking_open": _("还有未回复的阻断性协办任务"),
    "decision.challenge_routes": _("处理决定告知书须写明全部救济途径：核查、调解、仲裁、诉讼"),
    "decision.notice_content": _("请填写处理决定告知书"),
    "merge.self": _("工单不能合并到自身"),
    "merge.target_closed": _("目标工单已办结，不能合并"),
    "same_unit": _("工单已在该机构"),
    "assignee_scope": _("该人员不能办理本机构的工单"),
    # Tasks, visits, evidence
    "task_closed": _("该协办任务已回复"),
    "visit_done": _("该回访已记录"),
    "out_of_range": _("满意度评分为 1 到 5 分"),
    "file_empty": _("文件为空"),
    "file_size": _("文件超过大小上限"),
    "file_type": _("不接受该类型的文件"),
    "too_many_files": _("附件数量超过上限"),
    # Registration and organisation
    "too_many_representatives": _("共同投诉最多推选 5 名代表（办法第十二条）"),
    "unknown_unit": _("没有这个机构或部门"),
    "no_profile": _("收到时间没有适用的政策配置"),
    "duplicate": _("名称已被使用"),
    "escalation.target": _("工单只能升级到本机构的上级机构或总行部门"),
    "grant.decided": _("该授权申请已处理"),
    "grant.exists": _("该人员已持有该角色"),
    "grant.four_eyes": _("角色授权须由申请人以外的另一名管理员批准"),
    "grant.pending": _("相同的授权申请正在等待审批"),
    "grant.self": _("任何人不能为自己申请或审批角色"),
    "inactive": _("该账号已停用"),
    "outbox.not_dead": _("只有发送失败的消息才能重新发送"),
    "at.before_previous_event": _("该时间早于处理期限上已记录的最近一次操作，不能这样补录"),
    "at.before_receipt": _("操作时间不能早于收到投诉的时间"),
    "backdate.reason_required": _("实际发生时间已超过一个工作日，请填写补录原因"),
    "before_notice": _("反馈时间不能早于处理决定告知时间"),
    "calendar.year_missing": _("工作日历中没有该年度的节假日和调休数据，请管理员先载入或录入该年度"),
    "decision.classification_unconfirmed": _("作出处理决定前，请先确认业务分类（B）和原因分类（C）"),
    "assignee.role": _("只能分派给本机构的投诉处理专员（核查工单可分派给主管）"),
    "assignee.recusal": _("该人员须回避本工单"),
    "assignee.unavailable": _("该人员当前不可接单"),
    "assignee.absent": _("该人员今天休假"),
    "birth_date.future": _("出生日期不能晚于今天"),
    "compensation.too_many_items": _("一个方案的补偿项目过多"),
    "compensation.total_too_large": _("补偿项目合计超过可记录的上限"),
    "date.out_of_range": _("日期超出允许的范围"),
    "forwarded_at.too_early": _("监管转办时间过早"),
    "regulator_received_at.too_early": _("监管收到时间过早"),
    "reset.pending": _("该人员的密码重置申请正在等待审批"),
    "reset.decided": _("该密码重置申请已处理"),
    "reset.four_eyes": _("密码重置须由申请人以外的另一名管理员批准"),
    "reset.self": _("任何人不能为自己申请或审批密码重置"),
    "password_change_required": _("请先在工作台设置新密码"),
    # Root-cause issues, improvement actions, accountability (溯源整改, 问责)
    "issue.source": _("请从一件工单、一个群体性事件或一个统计口径发起溯源整改"),
    "issue.owner_scope": _("整改负责人须在该机构有溯源整改管理权限"),
    "issue.case_outside_unit": _("该工单不属于整改机构或其下级机构"),
    "issue.no_cases": _("没有符合条件且您有权查看的工单"),
    "issue.closed": _("该整改问题已关闭"),
    "issue.no_actions": _("至少完成一项整改措施后才能关闭"),
    "issue.actions_open": _("还有未完成的整改措施，须全部完成或取消后才能关闭"),
    "issue.case_linked": _("该工单已关联"),
    "action.finished": _("该整改措施已完成或已取消"),
    "action.not_owner": _("只有该整改措施的责任人可以报告完成"),
    "measure.finished": _("该问责措施已执行或已撤销"),
    "accountability.no_finding": _("须先在工单上作出银行责任或共同责任的责任认定"),
    "accountability.own_record": _("任何人不能对自己记录、执行或撤销问责"),
    "accountability.exists": _("该员工已在本工单被问责"),
    "responsible_staff.scope": _("责任人须为本工单所属机构或被投诉机构的员工"),
    "unknown_staff": _("没有这名在职员工"),
    "due.out_of_range": _("完成时限须在 1 到 250 个工作日之间"),
    "date.past": _("到期日不能早于今天"),
    "date.order": _("结束日期不能早于开始日期"),
    # The case library and training (SPEC §12)
    "library.case_not_closed": _("只有已办结的工单可以标记为典型案例"),
    "library.already_typical": _("该工单已在案例库中"),
    "library.in_review": _("案例正在审核中，须由审核人退回后才能修改"),
    "library.not_draft": _("只有草稿可以提交审核"),
    "library.not_in_review": _("该案例不在待审核状态"),
    "library.four_eyes": _("案例须由未参与编写的另一人审核发布"),
    "library.personal_data": _("案例中仍有个人信息，请修改后再发布"),
    "library.not_published": _("该案例不在案例库中"),
    "training.out_of_scope": _("该员工不在您管理的机构范围内"),
    "training.own_record": _("任何人不能记录自己的出勤和成绩"),
    "training.enrolled": _("该员工已报名本场培训"),
    "training.score_range": _("分数为 0 到 100 分"),
    "training.score_absent": _("缺勤或未记录出勤的人员不能记录成绩"),
    "training.ends_before_start": _("结束时间须晚于开始时间"),
    # QA inspection (质检) and scorecards (SPEC §12)
    "qa.own_case": _("质检员不能质检自己参与处理的工单"),
    "qa.already_scored": _("您已对该工单评分"),
    "qa.calibrated": _("该工单已有两名质检员的独立评分"),
    "qa.not_calibrator": _("该工单已评分；第二份评分须由指定的校准质检员提交"),
    "qa.not_scored": _("该工单尚未评分"),
    "qa.appeal_not_handler": _("只有工单的处理人可以申诉"),
    "qa.appeal_once": _("每次质检只能申诉一次"),
    "qa.appeal_window": _("已超过申诉期限"),
    "qa.appeal_own_scores": _("申诉须由原质检员以外的人员裁定"),
    "qa.appeal_self": _("处理人不能裁定自己的申诉"),
    "qa.no_pending_appeal": _("没有待裁定的申诉"),
    "qa.month_open": _("该月尚未结束，月末后才能抽样"),
    "qa.score_range": _("评分超出该项的分值范围"),
    "qa.unknown_item": _("不是该评分表的评分项"),
    "rubric.items": _("评分表须有 1 到 20 个评分项"),
    "rubric.duplicate": _("评分项代码不能重复"),
    "rubric.code": _("评分项代码只能使用小写字母、数字和下划线"),
    "rubric.label": _("每个评分项须有名称（不超过 40 字）"),
    "rubric.weight": _("权重为 1 到 100"),
    "rubric.max_score": _("每项满分为 1 到 10 分"),
    "sampling.percent": _("抽样比例为 0 到 100%"),
    "sampling.minimum": _("每名处理人至少抽取 0 到 50 件"),
    "month.invalid": _("月份格式应为 年-月，例如 2026-03"),
    "scorecard.version": _("没有该版本的考核公式"),
    # Generic codes: the form names the field beside them
    "required": _("请填写此项"),
    "required:reason": _("请填写原因"),
    "required:justification": _("请填写延期理由"),
    "invalid_choice": _("不是允许的取值"),
    # Regulatory statistics (SPEC §12)
    "invalid_period": _("统计期间应写作季度（如 2026Q3）或年度（如 2026）"),
    "out_of_range:outlets": _("网点数应为正整数"),
    "out_of_range:individual_customers": _("个人客户数应为正整数"),
    "too_long": _("内容过长"),
    "too_many": _("数量超过上限"),
    "not_found": _("没有找到，或不在您的权限范围内"),
    "permission_denied": _("您没有执行该操作的权限"),
    "invalid_cursor": _("页码标记无效，请从第一页开始"),
    "unknown_command": _("系统不支持此操作"),
    "invalid_query": _("搜索内容含有无效字符"),
    "invalid_credentials": _("用户名或密码错误"),
    # Regulator transfer lists and the telephony webhook (SPEC §9)
    "file_encoding": _("CSV 文件须为 UTF-8 或 GB18030 编码"),
    "file_too_large": _("文件过大，不能超过 10 MB"),
    "file_too_many_rows": _("文件行数过多，每次最多导入 5000 行"),
    "file_unreadable": _("文件无法读取，请确认是有效的 XLSX 或 CSV 文件"),
    "missing_columns": _("文件缺少必需的列"),
    "mapping_invalid": _("转办清单的列对照配置有误，请联系系统管理员"),
    "unknown_regulator_mapping": _("没有该转办机构的列对照配置"),
    "invalid": _("请求内容格式不正确"),
    "unknown_agent": _("没有该用户名或分机号的在职员工"),
    "invalid_time": _("时间格式不正确"),
    "invalid_range": _("结束日期不能早于开始日期"),
    "invalid_date": _("日期格式应为 YYYY-MM-DD"),
    "upload_expired": _("预览的文件已不存在，请重新上传"),
    "signature.invalid": _("签名不正确"),
    "signature.stale": _("请求已过期（超过 5 分钟），疑似重放"),
    "signature.missing": _("缺少签名"),
    "signature.timestamp_missing": _("缺少时间戳"),
    "mapping.invalid": _("转办清单的列对照配置有误，请联系系统管理员"),
    # The customer portal's sign-in and the customer's own requests (portal.refusals words them for customers)
    "otp.phone_invalid": _("请输入 11 位手机号码"),
    "otp.code_format": _("验证码为 6 位数字"),
    "otp.wrong_code": _("验证码不正确"),
    "otp.expired": _("验证码已过期，请重新获取"),
    "otp.no_code": _("请先获取验证码"),
    "otp.attempts_exhausted": _("验证码错误次数过多，请重新获取"),
    "oidc.phone_unverified": _("银行登录未提供已验证的手机号码"),
    "oidc.phone_missing": _("银行登录未提供已验证的手机号码"),
    "no_notice": _("尚无处理决定告知书"),
    "not_allowed": _("不能通过该渠道进行此操作"),
    # Training that follows from an accountability measure or a QA finding (decision 0023)
    "training.reason_ref": _("请按编号引用：问责措施写作 AM-编号，质检发现写作 QA-年-月-编号"),
    "training.reason_staff": _("所引用的问责措施或质检发现不是针对该员工的"),
    "training.not_training_measure": _("所引用的问责措施不是培训"),
    "training.measure_settled": _("该问责措施已执行或已撤销"),
    "training.not_scored": _("该质检尚未评分"),
    "conversation.closed": _("会话已关闭"),
    "conversation.has_case": _("该会话已转为工单"),
    "required:customer_name": _("请选择客户或填写客户姓名"),
    "required:text": _("请填写回复内容"),
    "mailin.not_quarantined": _("只有已隔离的来信才能重新处理或忽略"),
    # The FAQ knowledge base (decision 0025).
    "faq.unknown_category": _("分类不是 JR/T 0169 业务类代码"),
    "faq.own_version": _("不能审核发布自己编写的版本，请由另一位审核人处理"),
    "faq.not_draft": _("只有草稿可以提交审核"),
    "faq.not_in_review": _("只有待审核的版本可以发布或退回"),
    "faq.retired": _("该条目已停用"),
}


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def refusal_text(exc: ServiceError) -> str:
    """The sentence a person reads for a refusal: the service's own message where it is already a
    translated sentence (it has Chinese in it: the catalogue's source language), else this
    catalogue's, by code and field, in the active language."""
    message = str(exc.message)
    if _has_chinese(message):
        return message
    entry = REFUSALS.get(f"{exc.code}:{exc.field}") or REFUSALS.get(exc.code)
    if entry is not None:
        return str(entry)
    # An English developer message has no place in the Chinese workbench; the code tells support.
    return message if (get_language() or "").startswith("en") else str(_("操作未能完成，请联系系统管理员"))
