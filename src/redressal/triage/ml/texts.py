"""Text templates of the bank's everyday situations, in Chinese and a few in English.

They are the triage starter model's training data (``redressal.triage.ml.corpus``), and the demo bank
(SPEC §15) writes its cases from them too: the demo imports them from here, production code never
imports the demo.

Each :class:`Situation` is one kind of real-world matter — a failed interbank transfer, a card swallowed
by an ATM, a "稳健型" wealth product that was not — with several ways a complainant or an agent writes it
down, what the handler finds, and how the bank answers. Templates use ``str.format`` slots filled per
case by :func:`fill` (see ``SLOT_NAMES``); third-person templates start from ``{who}`` ("客户", or
"投诉人" for a regulator transfer), first-person ones are what customers write in letters, e-mails and apps.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# The places the texts name: the branches of the bank, as (code, name, English name, region, outlets as
# suffix names), and their cities. The demo bank builds its organisation from the same list.
BRANCHES: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("BJ", "北京分行", "Beijing Branch", "华北", ("朝阳支行", "海淀支行", "西城支行", "东城支行", "丰台支行")),
    ("SH", "上海分行", "Shanghai Branch", "华东", ("浦东支行", "徐汇支行", "静安支行", "黄浦支行", "闵行支行")),
    ("GZ", "广州分行", "Guangzhou Branch", "华南", ("天河支行", "越秀支行", "海珠支行", "番禺支行", "白云支行")),
    ("SZ", "深圳分行", "Shenzhen Branch", "华南", ("福田支行", "南山支行", "罗湖支行", "宝安支行", "龙岗支行")),
    ("CD", "成都分行", "Chengdu Branch", "西南", ("锦江支行", "武侯支行", "青羊支行", "成华支行", "金牛支行")),
    ("WH", "武汉分行", "Wuhan Branch", "华中", ("江汉支行", "武昌支行", "洪山支行", "汉阳支行", "江岸支行")),
)
CITY = {"BJ": "北京", "SH": "上海", "GZ": "广州", "SZ": "深圳", "CD": "成都", "WH": "武汉"}

SLOT_NAMES = (
    "who",
    "name",
    "age",
    "date",
    "time",
    "amount",
    "fee",
    "tail",
    "outlet",
    "branch",
    "city",
    "other_bank",
    "product_name",
    "merchant",
    "relation",
    "days",
    "phone_tail",
    "loss",
    "rate",
    "outage",
    "staff",
    "collector",
)


@dataclass(frozen=True)
class Finding:
    """What the investigation establishes, and the answer that follows from it."""

    finding: str  # bank / customer / third_party / shared / none (responsibility)
    weight: float
    outcome: str  # upheld / partly_upheld / not_upheld / settled
    root_cause_code: str
    root_cause: str
    reasons: str
    remedy: str
    solution: str = ""
    items: tuple[tuple[str, int, int], ...] = ()  # (kind, min yuan, max yuan); 0/0 for non-monetary
    measure: str = "none"


@dataclass(frozen=True)
class Situation:
    key: str
    topic: str
    product: str
    weight: float
    channels: tuple[str, ...]
    demand: tuple[str, ...]
    third_person: tuple[str, ...]
    first_person: tuple[str, ...]
    notes: tuple[str, ...]
    findings: tuple[Finding, ...]
    basis: tuple[str, ...]
    amount: tuple[int, int] | None = None  # amount in dispute, yuan
    department: str = ""  # who is asked to help (collaboration task)
    task: tuple[str, str] = ("", "")
    task_replies: tuple[str, ...] = ()
    regulator: str = "12378"
    elderly: float = 0.2  # share of complainants who are elderly
    staff_complained: bool = False  # a named member of staff at an outlet
    pause: tuple[str, str, str] | None = None  # (reason code, external party, evidence)
    english: tuple[str, ...] = ()
    topic_en: str = ""
    party_type: str = "natural_person"


GENERIC_NOTES = (
    "已与客户电话沟通，了解诉求，客户情绪较为平稳，同意等待调查结果。",
    "已调取来电录音及客户历史服务记录，核实客户反映情况。",
    "已向网点负责人了解情况，要求网点于今日内提交书面说明。",
    "客户来电催办，已再次解释处理进度，并告知预计答复时间。",
    "已整理交易流水及系统日志，与客户陈述基本一致。",
    "与客户约定面谈时间，客户表示工作日下午方便。",
    "客户补充提供了相关截图和短信记录，已归档。",
)

NOTE_KINDS = ("investigation", "interview", "records_request", "site_visit", "general")

OTHER_BANKS = (
    "工商银行",
    "建设银行",
    "农业银行",
    "中国银行",
    "交通银行",
    "招商银行",
    "浦发银行",
    "中信银行",
    "民生银行",
    "兴业银行",
    "平安银行",
    "邮储银行",
)
MERCHANTS = (
    "某网络科技有限公司",
    "某视频会员平台",
    "某出行服务平台",
    "某健身连锁门店",
    "某在线教育机构",
    "某游戏充值平台",
    "某电商平台商户",
    "某话费充值服务商",
)
PRODUCT_NAMES = (
    "安盈稳健30天持有期",
    "鑫享稳健一年定开",
    "睿远增利6个月",
    "添利稳健增强型",
    "恒益平衡配置180天",
    "悦享稳进系列3期",
)
RELATIONS = ("母亲", "父亲", "外婆", "爷爷", "奶奶", "岳母", "姑姑")
COLLECTORS = ("外包催收机构", "委外催收公司", "第三方催收服务商")


def _t(*items: str) -> tuple[str, ...]:
    return tuple(items)


SITUATIONS: tuple[Situation, ...] = (
    Situation(
        key="transfer_failed",
        topic="跨行转账未到账",
        product="借记卡跨行转账",
        weight=10,
        channels=("hotline", "mobile_banking", "online_banking", "counter", "wechat"),
        demand=("explanation", "refund"),
        amount=(800, 200000),
        department="OPS",
        task=(
            "核查跨行转账清算状态",
            "请协助核查客户{date}经手机银行向{other_bank}转出{amount}元的交易在人行支付系统中的清算状态及退汇情况。",
        ),
        task_replies=_t(
            "经查，该笔交易已于{date}发出，因收款行户名与账号不符被退汇，退汇资金已于次日入账客户原账户。",
            "经查，该笔款项因收款行系统日终处理延迟，已于T+1日上午到账，清算回执已上传。",
            "经查，交易在我行状态为成功，已向{other_bank}发起查询查复，对方确认已入账。",
        ),
        third_person=_t(
            "{who}反映其于{date}{time}通过手机银行向本人在{other_bank}的账户转账{amount}元，我行账户已扣款，但对方账户至今未收到，"
            "已过去{days}天，多次来电均答复“等待清算”，客户要求尽快查明资金去向。",
            "{who}来电称{date}在{outlet}柜台办理跨行汇款{amount}元用于支付购房首付，收款方称未收到款项，导致违约风险，"
            "客户情绪激动，要求我行出具书面说明并赔偿损失。",
            "{who}反映{date}网银跨行转账{amount}元显示“处理中”，次日变为“失败”但资金未退回，要求立即退款并解释原因。",
            "{who}称给{relation}在{other_bank}的卡转了{amount}元生活费，我行显示成功，对方银行说没有这笔钱，两边互相推诿。",
        ),
        first_person=_t(
            "本人于{date}{time}用贵行手机银行给{other_bank}账户转账{amount}元，钱扣了对方没收到。打客服电话三次，每次都说等，"
            "到今天已经{days}天了。请贵行给出明确答复，资金到底在哪里？",
            "我在贵行网银向{other_bank}转账{amount}元，页面提示成功，但收款人至今未到账，也没有退回。这是急用的钱，请尽快处理。",
        ),
        english=_t(
            "On {date} I transferred CNY {amount} from my account to my own account at {other_bank} via your "
            "mobile app. The money left my account but never arrived, and after {days} days the hotline still "
            "cannot tell me where it is. "
            "Please trace the payment and return it.",
        ),
        topic_en="an interbank transfer that did not arrive",
        notes=_t(
            "已调取该笔交易流水，交易状态为“已发送”，正在与清算中心核对回执。",
            "已联系{other_bank}客服查询，对方表示需我行发起正式查询查复。",
            "客户提供了收款账户信息截图，核对发现户名与账号一致。",
            "已通过支付系统发起查询查复，等待对方行回复。",
        ),
        findings=(
            Finding(
                "third_party",
                0.4,
                "not_upheld",
                "third_party",
                "收款行日终处理延迟导致入账推迟",
                "经核查，该笔转账我行已按时发出，系收款行处理延迟所致，款项已于次日到账。",
                "已向客户提供清算回执，款项已到账，无需补偿。",
            ),
            Finding(
                "customer",
                0.25,
                "not_upheld",
                "customer_error",
                "客户填写的收款户名与账号不符被退汇",
                "经核查，因收款户名与账号不一致，款项被收款行退回，已原路退回客户账户。",
                "退汇资金已入账，已指导客户核对收款信息后重新转账。",
            ),
            Finding(
                "bank",
                0.35,
                "upheld",
                "process_design",
                "我行退汇处理环节未及时通知客户",
                "经核查，款项被退汇后我行未及时入账并通知客户，处理存在延误。",
                "退还跨行转账手续费并给予延误补偿，已向客户致歉。",
                "退还手续费，按延误天数给予补偿，并优化退汇通知流程。",
                (("refund", 2, 50), ("compensation", 100, 800)),
                "training",
            ),
        ),
        basis=_t(
            "《借记卡章程》及《电子银行个人客户服务协议》关于转账结算的约定",
            "《中国人民银行金融消费者权益保护实施办法》关于保障资金安全的规定",
        ),
        regulator="PBOC",
    ),
    Situation(
        key="elderly_service",
        topic="网点人员对老年客户服务态度差",
        product="柜面服务",
        weight=7,
        channels=("counter", "hotline", "letter", "wechat", "other"),
        demand=("apology", "explanation"),
        third_person=_t(
            "{who}（{age}岁）到{outlet}办理存折取款，因不会使用叫号机询问工作人员，{staff}态度不耐烦，称“看不懂就回家让子女来办”，"
            "客户认为受到歧视，要求网点道歉。",
            "{who}之子来电代{relation}（{age}岁）投诉：老人到{outlet}办理社保卡激活，排队一个多小时后被告知需本人手机号验证，"
            "{staff}说话声音很大，当众指责老人“耽误时间”，家属要求严肃处理。",
            "{who}反映其{relation}腿脚不便，在{outlet}要求上门办理密码重置被拒绝，{staff}只说“规定就是规定”，没有提供任何替代办法。",
            "{who}（{age}岁）称在{outlet}办理定期存款到期转存时，{staff}一边玩手机一边办理，多次催促客户“快点签字”，未解释利率变化。",
        ),
        first_person=_t(
            "我今年{age}岁，{date}上午到贵行{outlet}取养老金，眼睛不好看不清屏幕，问了两遍怎么操作，柜台的{staff}就很不耐烦，"
            "说“这么简单都不会”。我存了几十年钱，第一次受这种气，希望你们管一管。",
            "写信反映我{relation}在{outlet}的遭遇：老人家{age}岁，去改个密码被来回支使，窗口人员态度冷淡，最后什么也没办成。"
            "希望贵行对老年人多一点耐心，并给个说法。",
        ),
        notes=_t(
            "已调阅{outlet}{date}上午柜面监控录像，工作人员确有语气生硬、未主动提供帮助的情况。",
            "已约谈涉事{staff}，本人承认服务态度欠佳，已写出书面检讨。",
            "网点负责人已电话向客户致歉，客户表示需要看到正式处理结果。",
            "核实网点适老化设施：爱心窗口当日未开放，叫号机无语音提示。",
        ),
        findings=(
            Finding(
                "bank",
                0.75,
                "upheld",
                "staff_conduct",
                "员工适老化服务意识不足，未执行老年客户优先服务规定",
                "经调阅监控并约谈当事员工，网点人员服务态度确有不当，未落实老年客户优先及耐心解释的服务要求。",
                "网点负责人已当面向客户致歉，对当事员工进行服务规范培训并按制度考核。",
                "当面致歉，赠送适老服务卡，并安排专人协助办理后续业务。",
                (("non_monetary", 0, 0),),
                "performance_deduction",
            ),
            Finding(
                "shared",
                0.25,
                "partly_upheld",
                "process_design",
                "网点高峰期人手不足，爱心窗口未按要求开放",
                "经核查，当日网点客流高峰，工作人员解释不够耐心，但业务办理符合规定。",
                "已向客户致歉，网点已调整高峰期排班并恢复爱心窗口。",
                "致歉并调整网点服务安排。",
                (("non_monetary", 0, 0),),
                "training",
            ),
        ),
        basis=_t(
            "《中国人民银行金融消费者权益保护实施办法》关于提供适当服务的规定",
            "我行《营业网点服务规范》关于老年客户优先服务的要求",
        ),
        elderly=0.9,
        staff_complained=True,
    ),
    Situation(
        key="wealth_missold",
        topic="“稳健型”理财产品销售误导",
        product="理财产品",
        weight=7,
        channels=("counter", "letter", "hotline", "regulator", "email"),
        demand=("compensation", "cancel_contract", "explanation"),
        amount=(50000, 600000),
        department="RETAIL",
        task=(
            "调取理财销售双录及风险评估材料",
            "请提供客户购买“{product_name}”产品的双录视频、风险评估问卷及产品说明书签收记录。",
        ),
        task_replies=_t(
            "双录视频及风险评估问卷已上传。双录中理财经理有“基本不会亏”“跟存款差不多”等表述。",
            "已提供全部销售材料。风险评估结果为C2稳健型，所购产品风险等级为R3，存在风险不匹配。",
            "双录完整，销售人员已提示产品不保本，风险评估结果与产品等级匹配。",
        ),
        third_person=_t(
            "{who}（{age}岁）反映其于{date}在{outlet}经理财经理推荐购买“{product_name}”理财产品{amount}元，理财经理称产品是"
            "“稳健型、跟存款差不多、不会亏本”，现产品净值下跌亏损{loss}元，客户称当时不知道是净值型产品，要求全额赔偿本金。",
            "{who}称在{outlet}存定期时被引导购买“{product_name}”，宣传页写“稳健型”“业绩比较基准4.2%”，实际到期亏损{loss}元，"
            "认为银行夸大收益、隐瞒风险。",
            "{who}反映理财经理替其填写风险评估问卷，评估结果为“稳健型”，却推荐了R3级产品，投入{amount}元现亏损{loss}元，"
            "要求撤销合同并退还本金。",
        ),
        first_person=_t(
            "本人{date}在贵行{outlet}购买了“{product_name}”{amount}元。理财经理反复说这是“稳健型”产品，风险很低，"
            "我明确说过这是养老钱不能亏。现在亏了{loss}元，我要求贵行赔偿全部损失，并对销售人员追责。",
            "我母亲{age}岁，不识字，被贵行理财经理劝说把到期的定期存款{amount}元买了“{product_name}”，签字都是在理财经理指导下完成的。"
            "现在亏损{loss}元，请贵行调取录音录像查明真相。",
        ),
        notes=_t(
            "已调取双录视频，理财经理在介绍环节有“基本不会亏”等不当表述，未充分揭示净值波动风险。",
            "已核对风险评估问卷，客户评估为稳健型（C2），所购产品为R3级，存在适当性问题。",
            "已约谈理财经理，其表示已按流程告知风险，但承认强调了历史业绩。",
            "客户提供了理财经理的微信聊天记录，其中有“稳稳的”“放心买”等表述。",
        ),
        findings=(
            Finding(
                "bank",
                0.35,
                "upheld",
                "sales_practice",
                "理财经理销售过程中夸大收益、未充分揭示风险，违反适当性要求",
                "经调阅双录及销售材料，销售人员存在不当承诺和风险揭示不充分的问题，我行承担相应责任。",
                "按协商结果补偿客户部分本金损失，并对销售人员问责。",
                "补偿客户部分本金损失，对理财经理扣减绩效并暂停销售资格。",
                (("compensation", 8000, 90000),),
                "performance_deduction",
            ),
            Finding(
                "shared",
                0.35,
                "settled",
                "sales_practice",
                "风险揭示不够充分，客户亦未认真阅读产品说明书",
                "经核查，销售流程基本完整，但风险揭示存在不足；客户签署了风险揭示书。经双方协商达成和解。",
                "双方协商一致，我行给予客户适当补偿，客户确认不再就此事项投诉。",
                "协商和解并给予适当补偿。",
                (("goodwill", 1000, 12000),),
                "training",
            ),
            Finding(
                "none",
                0.3,
                "not_upheld",
                "information_disclosure",
                "客户对净值型产品波动认识不足",
                "经核查，双录完整，销售人员已逐条揭示风险，风险评估与产品等级匹配，产品亏损系市场波动所致。",
                "不予赔偿；已向客户详细解释产品净值变化原因并提供持有建议。",
            ),
        ),
        basis=_t(
            "《商业银行理财业务监督管理办法》关于销售适当性与风险揭示的规定",
            "《理财产品销售协议书》及《风险揭示书》",
            "《银行保险机构消费者权益保护管理办法》关于适当性管理的要求",
        ),
        regulator="NFRA_LOCAL",
        elderly=0.55,
        pause=("appraisal", "某司法鉴定中心", "委托对风险评估问卷签名进行笔迹鉴定"),
    ),
    Situation(
        key="atm_card_swallowed",
        topic="ATM吞卡或未出钞",
        product="自助设备",
        weight=6,
        channels=("self_service", "hotline", "counter", "wechat"),
        demand=("refund", "explanation"),
        amount=(500, 5000),
        department="OPS",
        task=(
            "调取ATM日志及加钞清机记录",
            "请调取{outlet}编号ATM于{date}{time}前后的电子日志、监控录像及清机长短款记录。",
        ),
        task_replies=_t(
            "经清机核对，该设备当日长款{amount}元，与客户交易吻合，已办理退款。",
            "设备日志显示出钞模块故障，钞票被回收至回收箱，清机确认长款，可退还客户。",
            "日志显示交易正常出钞，监控显示客户已取走现金，清机无长款。",
        ),
        third_person=_t(
            "{who}反映{date}{time}在{outlet}自助银行ATM取款{amount}元，机器吞卡后未出钞，账户却已扣款，客户当时拨打设备上的电话无人接听，"
            "要求退还款项并尽快取回银行卡。",
            "{who}称在地铁站旁我行离行式ATM取现，机器提示“交易超时”并吞卡，次日到{outlet}领卡被要求提供多种证明，往返三次仍未取回。",
            "{who}反映ATM取款{amount}元只吐出部分现金，其余未出，余额已全额扣减，要求核实退款。",
        ),
        first_person=_t(
            "{date}晚上我在贵行{outlet}的ATM取{amount}元，卡被吞了，钱也没出来，但手机收到扣款短信。这么晚找不到人，"
            "第二天去网点又让我等清机，请问我的钱什么时候退？",
        ),
        english=_t(
            "Your ATM at {outlet} kept my card on {date} evening and did not give me the CNY {amount} I asked for, "
            "but my account was debited. Please return the money and tell me how to get my card back.",
        ),
        topic_en="an ATM that kept the card and did not dispense cash",
        notes=_t(
            "已调取ATM交易日志，显示出钞失败，钞票进入回收箱。",
            "网点已于清机时核对，设备长款金额与客户交易一致。",
            "已联系客户携带身份证件到网点领回被吞银行卡。",
            "已调阅设备监控，客户操作过程正常，无异常取钞行为。",
        ),
        findings=(
            Finding(
                "bank",
                0.6,
                "upheld",
                "system_failure",
                "ATM出钞模块故障，吞卡应急处置电话无人值守",
                "经调阅日志及清机核对，设备故障导致未出钞，客户款项应予退还。",
                "已将{amount}元退回客户账户，并给予补偿，被吞银行卡已归还。",
                "退还未出钞款项并给予适当补偿。",
                (("refund", 500, 5000), ("goodwill", 50, 200)),
                "training",
            ),
            Finding(
                "none",
                0.4,
                "not_upheld",
                "customer_error",
                "客户操作超时导致吞卡，交易正常完成",
                "经核查日志及监控，交易正常出钞，客户已取走现金；吞卡系操作超时所致。",
                "已协助客户领回银行卡，交易无差错，不予退款。",
            ),
        ),
        basis=_t("《借记卡章程》关于自助设备交易差错处理的约定", "我行《自助设备管理办法》"),
        pause=("testing", "ATM设备厂商技术服务中心", "委托设备厂商对出钞模块进行故障检测"),
    ),
    Situation(
        key="annual_fee_twice",
        topic="信用卡年费重复收取",
        product="信用卡",
        weight=8,
        channels=("hotline", "wechat", "mobile_banking", "sms", "email", "third_party"),
        demand=("refund", "explanation"),
        amount=(200, 3600),
        department="CARD",
        task=("核查年费收取记录", "请核查尾号{tail}信用卡{date}及前后的年费收取记录，确认是否重复收费。"),
        task_replies=_t(
            "经核查，因卡片升级换卡后新旧卡各收取一次年费，属系统参数设置问题，重复收取部分应退还。",
            "经核查，两笔费用分别为主卡年费和附属卡年费，非重复收取。",
            "确认系统批处理重复执行导致重复扣收，已批量冲正受影响客户。",
        ),
        third_person=_t(
            "{who}反映其尾号{tail}信用卡本期账单出现两笔年费各{fee}元，客户称已刷满免年费次数，且从未收到任何收费提醒，要求退还全部年费。",
            "{who}来电称信用卡换卡后新卡又扣了一次年费{fee}元，一年扣两次不合理，之前致电客服被告知“系统自动收取无法退”，客户不满。",
            "{who}反映其白金卡年费{fee}元在{date}被扣收两次，导致账单出现逾期，要求退费并消除影响。",
        ),
        first_person=_t(
            "你好，我的信用卡尾号{tail}，这个月账单里年费扣了两次，每次{fee}元。我开卡时说好刷够次数免年费，现在不仅没免还收两次，请尽快退回。",
            "贵行信用卡中心重复收取我的年费{fee}元，客服推来推去，说要等下个账单周期。我要求一周内退回，否则向监管投诉。",
        ),
        english=_t(
            "My credit card ending {tail} was charged the annual fee of CNY {fee} twice on my latest statement. "
            "I met the spending requirement for a fee waiver. Please refund both charges.",
        ),
        topic_en="an annual card fee charged twice",
        notes=_t(
            "已查询账户交易明细，确认本期有两笔年费入账。",
            "查询客户刷卡记录，本年度消费已达免年费标准。",
            "已联系信用卡中心核实收费规则，换卡不应重复收取年费。",
        ),
        findings=(
            Finding(
                "bank",
                0.75,
                "upheld",
                "system_failure",
                "换卡后系统重复计收年费",
                "经核查，因换卡后系统参数设置问题导致重复收取年费，责任在我行。",
                "已全额退还重复收取的年费{fee}元，相关逾期记录不予报送。",
                "退还重复收取的年费。",
                (("refund", 200, 3600),),
                "none",
            ),
            Finding(
                "customer",
                0.25,
                "not_upheld",
                "information_disclosure",
                "两笔费用为主卡与附属卡年费",
                "经核查，两笔年费分别对应主卡和附属卡，收费符合领用合约约定，并非重复收取。",
                "已向客户解释收费构成，并告知附属卡免年费条件。",
            ),
        ),
        basis=_t("《信用卡领用合约》关于年费收取与减免的约定", "《信用卡章程》"),
    ),
    Situation(
        key="unauthorised_deduction",
        topic="未经授权扣款",
        product="借记卡快捷支付",
        weight=8,
        channels=("hotline", "mobile_banking", "wechat", "counter", "regulator", "third_party"),
        demand=("refund", "explanation"),
        amount=(30, 30000),
        department="TECH",
        task=(
            "核查快捷支付签约及交易日志",
            "请核查尾号{tail}账户与{merchant}的快捷支付签约时间、签约渠道及{date}交易的设备和IP信息。",
        ),
        task_replies=_t(
            "签约发生在{date}，签约渠道为第三方支付机构，短信验证码发送至客户预留手机号尾号{phone_tail}，验证通过。",
            "交易设备与客户常用设备不一致，IP位于外省，疑似盗刷，已冻结相关签约并提交风险部门。",
            "该扣款为客户开通的会员自动续费，签约授权完整，已协助客户解约。",
        ),
        third_person=_t(
            "{who}反映其尾号{tail}借记卡于{date}被{merchant}扣款{amount}元，客户称从未授权该商户扣款，也未收到验证码，要求退款并查明原因。",
            "{who}称账户每月被自动扣款{amount}元，显示为“{merchant}”，客户不知何时开通，要求退还全部已扣款项并关闭扣款。",
            "{who}凌晨收到扣款短信，账户被连续扣款三笔合计{amount}元，客户银行卡一直在身边，怀疑被盗刷，已报警。",
        ),
        first_person=_t(
            "我的卡尾号{tail}，{date}莫名其妙被扣了{amount}元，商户是{merchant}，我从来没在这个平台开过任何服务。银行怎么能不经我同意就让别人扣钱？",
            "账户被{merchant}扣了{amount}元，我没有收到任何验证码。请贵行立即退款，并说明这个扣款授权是怎么来的。",
        ),
        english=_t(
            "CNY {amount} was taken from my debit card ending {tail} by {merchant} on {date}. "
            "I never authorised this merchant "
            "and received no verification code. Please reverse the charge and cancel any authorisation.",
        ),
        topic_en="an unauthorised card payment",
        notes=_t(
            "已查询快捷支付签约记录，签约时间为数月前，签约渠道为第三方支付机构。",
            "已协助客户解除与该商户的代扣协议，并指导客户向支付机构申请退款。",
            "客户已提供报警回执，已启动盗刷争议处理流程。",
            "已对客户账户设置非柜面交易限额，防止继续损失。",
        ),
        findings=(
            Finding(
                "third_party",
                0.45,
                "not_upheld",
                "third_party",
                "商户自动续费规则提示不明显",
                "经核查，扣款系客户在第三方平台开通的自动续费，签约授权经短信验证，我行按指令划款。",
                "已协助客户解约并向支付机构申请退款，我行不承担赔偿责任。",
            ),
            Finding(
                "bank",
                0.3,
                "upheld",
                "system_failure",
                "快捷支付风控规则未识别异地异常签约",
                "经核查，交易设备及地点异常，我行风控未能及时拦截，承担相应责任。",
                "已先行垫付赔付客户损失{amount}元，后续向责任方追偿。",
                "先行赔付客户损失，优化快捷支付风控规则。",
                (("refund", 30, 30000),),
                "none",
            ),
            Finding(
                "customer",
                0.25,
                "not_upheld",
                "customer_error",
                "客户向他人泄露验证码",
                "经核查，客户曾将短信验证码告知自称“客服”的人员，交易经有效验证。",
                "不予赔偿；已协助客户报警并进行防诈骗提示。",
            ),
        ),
        basis=_t(
            "《电子银行个人客户服务协议》关于交易验证的约定",
            "《非银行支付机构网络支付业务管理办法》",
            "《中国人民银行金融消费者权益保护实施办法》关于资金安全的规定",
        ),
        regulator="PBOC",
    ),
    Situation(
        key="collection_calls",
        topic="信用卡催收方式不当",
        product="信用卡",
        weight=7,
        channels=("hotline", "letter", "regulator", "email", "third_party", "other"),
        demand=("apology", "explanation", "other"),
        amount=(2000, 80000),
        department="CARD",
        task=(
            "调取催收录音及外包机构作业记录",
            "请调取客户{date}前后一个月的催收通话录音、外呼记录及外包催收机构作业日志。",
        ),
        task_replies=_t(
            "录音显示{collector}作业人员存在向客户同事透露欠款信息、语言威胁的情况，已对该机构发出违规通报。",
            "外呼记录显示催收频次符合规定，未发现不当用语，联系第三人系核实联系方式。",
            "核查发现外包人员单日拨打客户电话11次，超出我行规定，已暂停该作业员派单。",
        ),
        third_person=_t(
            "{who}反映其信用卡逾期{amount}元后，{collector}每天多次拨打其电话，并联系其单位同事和{relation}，透露欠款信息，"
            "言语中有“上门”“起诉坐牢”等威胁，严重影响生活，要求停止骚扰并道歉。",
            "{who}称已与我行协商分期还款，但仍频繁接到催收电话，一天十余次，深夜也打，要求规范催收行为。",
            "{who}（非持卡人）反映多次接到我行催收电话，要求其代为转告他人还款，本人与欠款人并不认识，要求删除其号码。",
        ),
        first_person=_t(
            "我因失业信用卡逾期，一直在想办法还。但贵行委托的催收人员给我单位领导和{relation}打电话，说我是“老赖”，"
            "还说要去我家里。请贵行立即停止这种违法催收，并向我和家人道歉。",
        ),
        notes=_t(
            "已调取催收系统外呼记录，近一个月外呼次数较多。",
            "已要求外包催收机构提交作业说明并暂停对该客户的外呼。",
            "与客户协商个性化分期还款方案，客户表示可以接受分24期。",
        ),
        findings=(
            Finding(
                "bank",
                0.55,
                "upheld",
                "outsourcing",
                "外包催收机构违规联系第三人、频繁外呼，我行管理不到位",
                "经调取录音，委外催收人员存在向第三人透露债务信息、频繁外呼等违规行为。",
                "已向客户致歉，停止该机构对客户的催收，并为客户办理个性化分期。",
                "致歉，调整催收策略并办理个性化分期。",
                (("non_monetary", 0, 0),),
                "warning",
            ),
            Finding(
                "none",
                0.45,
                "not_upheld",
                "outsourcing",
                "催收行为符合规定，客户对催收本身不满",
                "经调取录音及外呼记录，催收频次与用语符合监管及我行规定。",
                "已向客户解释，并提供个性化分期还款方案。",
            ),
        ),
        basis=_t(
            "《商业银行信用卡业务监督管理办法》关于催收行为的规定",
            "《个人信息保护法》关于个人信息处理的规定",
            "《信用卡领用合约》",
        ),
    ),
    Situation(
        key="credit_report_error",
        topic="个人征信记录有误",
        product="个人贷款",
        weight=6,
        channels=("counter", "hotline", "letter", "regulator", "online_banking"),
        demand=("correct_record", "explanation"),
        amount=(1000, 500000),
        department="RETAIL",
        task=("核查征信报送数据", "请核查客户名下贷款账户{date}报送的还款状态，确认是否存在错报，并提供报送日志。"),
        task_replies=_t(
            "经核查，{date}系统批量扣款失败后人工补扣成功，但报送数据未更正，已提交征信更正申请。",
            "报送数据与实际还款记录一致，客户当期确有逾期3天。",
            "确认为数据报送错误，已于今日向人民银行征信中心提交更正，预计20日内生效。",
        ),
        third_person=_t(
            "{who}反映其申请房贷时发现征信报告显示我行贷款于{date}逾期一次，客户称当期已按时存足款项，是银行扣款失败造成，要求更正征信记录。",
            "{who}称其信用卡早已注销，征信报告仍显示为“呆账”，导致贷款被拒，要求立即更正并出具证明。",
            "{who}反映其身份证被他人冒用在我行办理了信用卡，征信出现逾期记录，要求删除不良记录。",
        ),
        first_person=_t(
            "本人在贵行的消费贷一直正常还款，但征信报告上显示{date}有一次逾期。那个月我提前两天就存了钱，是贵行系统没扣款。"
            "这条记录影响我房贷审批，请贵行尽快更正。",
        ),
        notes=_t(
            "已调取客户还款账户流水，{date}扣款日账户余额充足。",
            "已查询系统扣款日志，当日批量扣款因系统维护未执行。",
            "已向客户出具情况说明，供其向其他机构解释使用。",
        ),
        findings=(
            Finding(
                "bank",
                0.6,
                "upheld",
                "system_failure",
                "系统批量扣款失败后征信报送未同步更正",
                "经核查，逾期记录系我行系统扣款失败所致，客户无过错，我行已提交征信更正申请。",
                "已向人民银行征信中心提交异议更正，并向客户出具书面说明。",
                "提交征信更正并出具说明。",
                (("non_monetary", 0, 0),),
                "training",
            ),
            Finding(
                "customer",
                0.4,
                "not_upheld",
                "customer_error",
                "客户当期确实未足额还款",
                "经核查，扣款日客户账户余额不足，逾期记录报送准确，依规不能删除。",
                "已向客户解释征信记录规则，并告知可在报告中添加个人声明。",
            ),
        ),
        basis=_t("《征信业管理条例》关于异议处理的规定", "《个人贷款借款合同》关于还款的约定"),
        regulator="PBOC",
    ),
    Situation(
        key="mobile_login",
        topic="手机银行无法登录",
        product="手机银行",
        weight=7,
        channels=("mobile_banking", "hotline", "wechat", "online_banking", "email"),
        demand=("explanation", "other"),
        department="TECH",
        task=(
            "排查手机银行登录异常",
            "请排查客户手机号尾号{phone_tail}在{date}的手机银行登录日志，确认人脸识别失败及账户锁定原因。",
        ),
        task_replies=_t(
            "日志显示客户设备系统版本过低，人脸识别SDK不兼容，已在新版本修复，建议客户升级App。",
            "客户连续5次输错登录密码触发锁定，锁定24小时后自动解除，已远程协助重置。",
            "确认为新版本在部分机型上的兼容性缺陷，已紧急发布补丁。",
        ),
        third_person=_t(
            "{who}反映升级手机银行后人脸识别一直失败，提示“非本人操作”，无法登录也无法转账，已持续{days}天，影响工资发放，要求尽快解决。",
            "{who}（{age}岁）称手机银行密码输错后账户被锁定，客服让其去网点解锁，客户行动不便，认为设置不合理。",
            "{who}反映更换手机后手机银行无法绑定新设备，短信验证码收不到，已尝试多次，要求提供其他验证方式。",
        ),
        first_person=_t(
            "你们的手机银行太难用了！更新后每次登录都要人脸识别，识别十几次都失败，说我不是本人。我的工资卡在你们这里，现在一分钱都转不出来。",
            "手机银行登录一直提示“网络异常，请稍后再试”，换了WiFi和流量都不行，已经{days}天了，请尽快修复。",
        ),
        english=_t(
            "I cannot log in to your mobile banking app since the last update: face verification fails every "
            "time and then "
            "my account is locked. I have been unable to pay my rent for {days} days. Please fix this.",
        ),
        topic_en="mobile banking login failures",
        notes=_t(
            "已远程指导客户清除缓存并重新安装App，问题仍存在。",
            "已收集客户手机型号及系统版本，提交科技部门排查。",
            "客户已通过网点柜面完成设备重新绑定。",
        ),
        findings=(
            Finding(
                "bank",
                0.55,
                "upheld",
                "system_failure",
                "手机银行新版本与部分机型兼容性缺陷",
                "经排查，系新版本在部分机型上的兼容性缺陷导致登录失败，已发布修复版本。",
                "已向客户致歉并协助完成登录，相关缺陷已修复。",
                "致歉并协助恢复使用。",
                (("goodwill", 20, 100),),
                "none",
            ),
            Finding(
                "customer",
                0.45,
                "not_upheld",
                "customer_error",
                "客户多次输错密码触发安全锁定",
                "经核查，客户多次输入错误密码触发安全锁定，系统按安全规则运行。",
                "已协助客户重置密码并恢复登录，并说明安全锁定规则。",
            ),
        ),
        basis=_t("《电子银行个人客户服务协议》关于身份认证与安全的约定"),
        regulator="12378",
        elderly=0.15,
    ),
    Situation(
        key="insurance_as_deposit",
        topic="存款被误导购买保险",
        product="代销保险",
        weight=4,
        channels=("counter", "letter", "regulator", "hotline"),
        demand=("cancel_contract", "refund"),
        amount=(20000, 300000),
        department="RETAIL",
        task=("调取代销保险销售材料", "请调取客户{date}在{outlet}购买分红型保险的双录视频、投保单及回访录音。"),
        task_replies=_t(
            "双录显示销售人员将保险产品描述为“存款类产品，利息比定期高”，未明确说明保险期限及退保损失。",
            "材料完整，回访录音中客户确认知晓为保险产品及犹豫期。",
        ),
        third_person=_t(
            "{who}（{age}岁）反映其于{date}到{outlet}办理定期存款，工作人员称有“利息更高的存款”，客户签字后才知道购买的是十年期分红保险，"
            "每年需交{amount}元，现要求全额退保。",
            "{who}代其{relation}（{age}岁）投诉：老人本想存钱，被{outlet}理财经理推荐买了保险，退保要损失{loss}元，家属认为属于误导销售。",
        ),
        first_person=_t(
            "我今年{age}岁，在贵行存了一辈子钱。{date}去存钱，工作人员说有个新产品利息高，让我在好几个地方签了字，回家儿子才发现是保险，"
            "要交十年。请贵行帮我全额退保。",
        ),
        notes=_t(
            "已调阅双录视频，销售人员有将保险与存款混淆的表述。",
            "已联系保险公司，确认客户已过犹豫期，退保将产生现金价值损失。",
            "已与客户家属面谈，解释后续处理方式。",
        ),
        findings=(
            Finding(
                "bank",
                0.6,
                "upheld",
                "sales_practice",
                "代销保险时混淆存款与保险，违反适当性要求",
                "经核查，销售人员存在将保险产品与存款混淆宣传的情况，我行协调保险公司全额退保。",
                "协调保险公司办理全额退保，对销售人员问责。",
                "协调全额退保，差额损失由我行承担。",
                (("compensation", 5000, 60000),),
                "disciplinary",
            ),
            Finding(
                "none",
                0.4,
                "not_upheld",
                "information_disclosure",
                "销售流程完整，客户事后反悔",
                "经核查，销售流程合规，回访中客户确认知晓产品性质及犹豫期。",
                "不支持全额退保，已协助客户了解减额交清等方案。",
            ),
        ),
        basis=_t("《商业银行代理保险业务管理办法》", "《银行保险机构消费者权益保护管理办法》关于适当性管理的要求"),
        regulator="NFRA_LOCAL",
        elderly=0.85,
    ),
    Situation(
        key="mortgage_prepayment",
        topic="提前还款预约难",
        product="个人住房贷款",
        weight=4,
        channels=("hotline", "counter", "mobile_banking", "regulator", "third_party"),
        demand=("explanation", "other"),
        amount=(100000, 1200000),
        third_person=_t(
            "{who}反映其申请提前偿还房贷{amount}元，{outlet}称需预约排队，最早要三个月后，客户认为银行故意拖延，要求尽快办理。",
            "{who}称合同约定提前还款需支付违约金，但签约时未被告知，要求免收违约金。",
            "{who}反映手机银行提前还款入口一直显示“额度已满”，来电多次无果，要求说明原因。",
        ),
        first_person=_t(
            "我想提前还贷款{amount}元，贵行网点说要排队预约，每月只有固定额度。我的钱放在账户里每天都在付利息，请问凭什么不让还？",
        ),
        notes=_t(
            "已核实客户提前还款申请记录，申请已提交，排队中。",
            "已查阅借款合同条款，合同对提前还款违约金有明确约定。",
            "已协调分行个贷中心，为客户提前安排办理。",
        ),
        findings=(
            Finding(
                "shared",
                0.5,
                "partly_upheld",
                "process_design",
                "提前还款预约流程设计不合理，告知不充分",
                "经核查，提前还款预约等待时间过长且未向客户充分说明，我行已优化流程。",
                "已为客户安排两周内办理提前还款，并免收违约金。",
                "优先办理并免收违约金。",
                (("fee_waiver", 500, 8000),),
                "none",
            ),
            Finding(
                "none",
                0.5,
                "not_upheld",
                "information_disclosure",
                "合同约定明确，按规定排队办理",
                "经核查，提前还款按合同约定及额度安排办理，违约金条款已在签约时提示。",
                "已向客户解释合同条款，并告知预计办理时间。",
            ),
        ),
        basis=_t("《个人住房借款合同》关于提前还款的约定"),
    ),
    Situation(
        key="account_restricted",
        topic="账户被限制非柜面交易",
        product="借记卡",
        weight=5,
        channels=("hotline", "counter", "mobile_banking", "wechat", "regulator"),
        demand=("explanation", "other"),
        department="OPS",
        task=("核查账户管控原因", "请核查客户尾号{tail}账户被限制非柜面交易的原因、触发规则及解除条件。"),
        task_replies=_t(
            "该账户因短期内频繁大额转入转出触发涉诈风险模型，经尽职调查可解除。",
            "账户因长期未使用且信息不完整被限制，客户补充身份信息后可解除。",
        ),
        third_person=_t(
            "{who}反映其尾号{tail}工资卡突然被限制非柜面交易，手机银行无法转账，网点要求提供工作证明、流水用途说明，客户认为侵犯其权利。",
            "{who}称在{outlet}开户被拒，工作人员只说“风控要求”，没有说明具体原因，客户要求给出书面理由。",
            "{who}反映账户被冻结导致无法支付孩子学费，多次到网点未能解除。",
        ),
        first_person=_t(
            "我的卡被你们限制了，说是涉嫌电信诈骗，可我只是做小生意收货款。去了两次网点，每次都要我补不同的材料。请给个明确说法，什么时候能解除？",
        ),
        notes=_t(
            "已核实客户账户交易流水，近期有多笔小额转入后快速转出。",
            "已与客户面谈开展尽职调查，客户提供了经营场所照片和进货单据。",
            "已按规定为客户解除非柜面交易限制，并设定合理限额。",
        ),
        findings=(
            Finding(
                "shared",
                0.4,
                "partly_upheld",
                "process_design",
                "涉诈风控解除流程告知不清，材料要求反复",
                "经核查，账户管控符合反诈要求，但网点未一次性告知所需材料，给客户造成不便。",
                "已向客户致歉并解除限制，网点已规范一次性告知。",
                "致歉并尽快解除限制。",
                (("non_monetary", 0, 0),),
                "training",
            ),
            Finding(
                "none",
                0.6,
                "not_upheld",
                "process_design",
                "账户交易特征触发反诈管控，管控合规",
                "经核查，账户交易特征符合涉诈风险管控规则，管控措施依法合规。",
                "已向客户说明管控依据及解除条件，客户补充材料后可申请解除。",
            ),
        ),
        basis=_t("《中华人民共和国反电信网络诈骗法》关于账户管控的规定", "《人民币银行结算账户管理办法》"),
        regulator="PBOC",
    ),
    Situation(
        key="fee_charges",
        topic="账户管理费及短信费扣收",
        product="借记卡",
        weight=4,
        channels=("hotline", "sms", "wechat", "online_banking", "counter"),
        demand=("refund", "explanation"),
        amount=(12, 360),
        third_person=_t(
            "{who}反映其账户每季度被扣收小额账户管理费，客户称从未被告知，要求退还近两年所扣费用共{amount}元。",
            "{who}称未开通短信通知却每月被扣2元短信费，要求退还并关闭服务。",
            "{who}反映跨行取现手续费标准与网点公示不一致，多收了费用。",
        ),
        first_person=_t(
            "我的卡每年都被扣各种费用，小额管理费、短信费、年费，加起来{amount}元。国家早就要求减免了，贵行为什么还在收？",
        ),
        notes=_t("已查询账户收费明细，近两年共扣收{amount}元。", "已核对收费减免政策，该账户符合免收条件。"),
        findings=(
            Finding(
                "bank",
                0.6,
                "upheld",
                "system_failure",
                "减费让利政策在系统中未及时生效",
                "经核查，该账户符合小额账户管理费减免条件，系统未及时执行减免，多收费用应退还。",
                "已退还多收费用{amount}元，并关闭相关收费项目。",
                "退还多收费用。",
                (("refund", 12, 360),),
                "none",
            ),
            Finding(
                "none",
                0.4,
                "not_upheld",
                "information_disclosure",
                "收费符合公示标准",
                "经核查，相关费用按公示标准收取，客户签约时已确认开通短信服务。",
                "已为客户关闭短信通知服务，并解释收费依据。",
            ),
        ),
        basis=_t("《商业银行服务价格管理办法》", "我行服务价格目录"),
    ),
    Situation(
        key="queue_service",
        topic="网点排队时间长、服务效率低",
        product="柜面服务",
        weight=4,
        channels=("counter", "wechat", "hotline", "third_party", "other"),
        demand=("apology", "explanation"),
        third_person=_t(
            "{who}反映{date}在{outlet}办理业务排队两个多小时，只开了两个窗口，大堂经理也不在，要求网点改进。",
            "{who}称预约了{outlet}的大额取现，到网点后被告知现金不足，白跑一趟，要求道歉。",
            "{who}反映{outlet}午休时间暂停对外服务，与公示营业时间不符。",
        ),
        first_person=_t(
            "{date}在贵行{outlet}等了整整一个上午，叫号屏坏了也没人管，工作人员还让我们自己去看。希望贵行重视网点服务。",
        ),
        notes=_t("已调取网点当日叫号系统数据，平均等候时间52分钟。", "已要求网点提交当日排班表及窗口开放情况说明。"),
        findings=(
            Finding(
                "bank",
                0.7,
                "upheld",
                "process_design",
                "网点高峰期窗口开放不足，弹性排班未落实",
                "经核查，网点高峰期窗口开放数量不足，客户等候时间过长。",
                "网点负责人已向客户致歉，并落实高峰期弹性排班。",
                "致歉并优化排班。",
                (("non_monetary", 0, 0),),
                "training",
            ),
            Finding(
                "none",
                0.3,
                "not_upheld",
                "process_design",
                "当日客流异常，网点已按应急预案处置",
                "经核查，当日为养老金发放日客流异常，网点已增开窗口并按预案处置。",
                "已向客户说明情况，并推荐使用自助渠道办理。",
            ),
        ),
        basis=_t("我行《营业网点服务规范》"),
        elderly=0.35,
        staff_complained=True,
    ),
    Situation(
        key="loan_rate",
        topic="消费贷实际利率与宣传不符",
        product="个人消费贷款",
        weight=3,
        channels=("mobile_banking", "hotline", "regulator", "third_party", "email"),
        demand=("refund", "explanation"),
        amount=(10000, 300000),
        department="RETAIL",
        task=("核查消费贷营销材料与合同利率", "请提供客户所借消费贷的营销页面、合同利率及年化利率测算明细。"),
        task_replies=_t(
            "营销页面展示日利率0.02%，合同年化利率7.3%，展示方式符合当时规定但未突出年化利率。",
            "合同利率与审批一致，另收取的服务费未计入宣传利率，存在提示不足。",
        ),
        third_person=_t(
            "{who}反映其在手机银行申请消费贷{amount}元，宣传页面写“年化利率低至3.5%”，实际执行利率{rate}，另收服务费，要求退还多收利息。",
            "{who}称借款时被要求同时购买理财才能获批，认为属于捆绑销售。",
        ),
        first_person=_t(
            "贵行消费贷广告说年化3.5%，我借了{amount}元，合同利率却是{rate}，还要交服务费。请贵行说明并退还多收的利息。",
        ),
        notes=_t("已调取客户借款合同及营销页面截图。", "已按实际还款计划测算年化利率。"),
        findings=(
            Finding(
                "shared",
                0.5,
                "partly_upheld",
                "information_disclosure",
                "营销页面未以显著方式展示年化利率",
                "经核查，合同利率与审批一致，但营销页面对年化利率及服务费展示不够醒目。",
                "退还已收取的服务费，并下架相关营销页面。",
                "退还服务费。",
                (("refund", 300, 6000),),
                "none",
            ),
            Finding(
                "none",
                0.5,
                "not_upheld",
                "information_disclosure",
                "合同利率明确，客户签约时已确认",
                "经核查，借款合同已明确载明年化利率，客户签约时已确认。",
                "已向客户解释利率构成，客户可申请提前还款。",
            ),
        ),
        basis=_t("《个人贷款管理办法》", "中国人民银行关于明示贷款年化利率的公告"),
    ),
    Situation(
        key="inheritance",
        topic="存款继承手续繁琐",
        product="存款继承",
        weight=2,
        channels=("counter", "letter", "hotline"),
        demand=("explanation", "other"),
        amount=(5000, 400000),
        third_person=_t(
            "{who}反映其父亲去世后，到{outlet}办理存款继承，网点要求全部继承人到场并提供公证书，客户称部分继承人在国外无法到场，要求简化流程。",
            "{who}称为办理已故{relation}存款{amount}元的提取，往返网点四次，每次被要求补充不同材料。",
        ),
        first_person=_t(
            "我{relation}去世了，留下{amount}元存款。按照新规定小额存款可以简化提取，但贵行{outlet}还是要求公证，请解释原因。",
        ),
        notes=_t("已核对人民银行关于已故存款人小额存款提取的规定。", "已联系网点负责人，要求一次性告知所需材料。"),
        findings=(
            Finding(
                "bank",
                0.6,
                "upheld",
                "process_design",
                "网点未执行小额存款简化提取规定",
                "经核查，该笔存款符合简化提取条件，网点要求公证不当。",
                "已为继承人按简化流程办理提取，并向客户致歉。",
                "简化流程办理并致歉。",
                (("non_monetary", 0, 0),),
                "training",
            ),
            Finding(
                "none",
                0.4,
                "not_upheld",
                "process_design",
                "存款金额超出简化提取标准，需依法办理",
                "经核查，存款金额超出简化提取标准，需按规定提供继承公证或法院文书。",
                "已一次性书面告知所需材料清单。",
            ),
        ),
        basis=_t("中国人民银行等部门关于简化已故存款人小额存款提取手续的通知"),
        elderly=0.3,
        party_type="heir",
    ),
)

# The mass incident (SPEC §15): a mobile-banking transfer outage on one day, many complaints at once.
MOBILE_OUTAGE = Situation(
    key="mobile_outage",
    topic="手机银行转账故障",
    product="手机银行",
    weight=0,
    channels=("mobile_banking", "hotline", "wechat", "third_party", "other", "online_banking"),
    demand=("explanation", "refund", "compensation"),
    amount=(200, 80000),
    department="TECH",
    task=(
        "手机银行转账故障影响核查",
        "请核查{date}{outage}手机银行转账故障期间客户尾号{tail}账户的交易状态，确认是否重复扣款或资金在途。",
    ),
    task_replies=_t(
        "经核查，{date}{outage}因核心系统升级后支付通道异常，部分转账交易状态不一致。该客户交易已于当日17:30完成冲正，资金已退回。",
        "经核查，故障期间该客户交易被重复提交两次，重复扣款部分已于次日上午冲正。",
        "经核查，该客户交易在故障恢复后已成功发出并到账，未发生重复扣款。",
    ),
    third_person=_t(
        "{who}反映今天上午使用手机银行转账{amount}元，一直提示“系统繁忙，请稍后再试”，重试后账户被扣了两次款，对方只收到一笔，要求立即退回。",
        "{who}来电称手机银行从上午开始无法转账，急需支付房款{amount}元，已影响交易，要求说明故障原因并赔偿损失。",
        "{who}反映手机银行转账显示失败，但余额减少{amount}元，客服电话一直占线，打了一个多小时才接通。",
        "{who}称因手机银行转账故障未能按时归还他行信用卡，被收取滞纳金，要求我行承担。",
    ),
    first_person=_t(
        "你们手机银行今天怎么回事？转账一直失败，钱却扣了{amount}元！客服电话打不进去，在线客服只会回复“请耐心等待”。请马上给个说法！",
        "今天{outage}贵行手机银行转账全部失败，我给供应商的货款{amount}元没付出去，被对方要求支付违约金。请贵行赔偿。",
    ),
    english=_t(
        "Your mobile banking app failed all morning today: my transfer of CNY {amount} showed 'system busy' "
        "but my balance "
        "went down twice. The hotline was busy for over an hour. Please return the duplicate debit today.",
    ),
    topic_en="the mobile banking transfer outage",
    notes=_t(
        "本案属于{date}手机银行转账故障群体性投诉，已按应急预案统一登记跟进。",
        "已核实客户账户，故障期间存在一笔在途交易，待科技部门确认后处理。",
        "已向客户解释故障情况及统一处置安排，客户情绪有所缓和。",
    ),
    findings=(
        Finding(
            "bank",
            0.7,
            "upheld",
            "system_failure",
            "核心系统升级后支付通道异常，应急切换不及时",
            "经核查，{date}{outage}因我行核心系统升级后支付通道异常，导致部分手机银行转账失败或重复扣款，责任在我行。",
            "重复扣款已全额冲正退回，并给予客户补偿，向客户致歉。",
            "冲正重复扣款并按影响程度给予补偿。",
            (("refund", 200, 3000), ("compensation", 50, 600)),
            "none",
        ),
        Finding(
            "bank",
            0.3,
            "settled",
            "system_failure",
            "核心系统升级后支付通道异常",
            "经核查，故障期间客户交易未成功，资金未损失；客户因此产生的他行滞纳金由我行承担。",
            "承担客户因故障产生的他行滞纳金，并致歉。",
            "承担滞纳金损失。",
            (("compensation", 30, 300),),
            "none",
        ),
    ),
    basis=_t("《电子银行个人客户服务协议》关于系统故障责任的约定", "《中国人民银行金融消费者权益保护实施办法》"),
    regulator="12378",
    elderly=0.1,
)


@dataclass(frozen=True)
class ShortPath:
    """A consultation or suggestion: the question and the answer given (often on first contact)."""

    text: str
    answer: str
    product: str = ""
    english: tuple[str, str] | None = None


CONSULTATIONS: tuple[ShortPath, ...] = (
    ShortPath(
        "客户咨询手机银行登录密码忘记后如何重置，是否必须到网点办理。",
        "已告知客户可通过手机银行“忘记密码”功能，经身份证件及人脸识别验证后在线重置，无需到网点。",
        "手机银行",
        (
            "How do I reset my mobile banking password if I forgot it?",
            "You can reset it in the app under 'Forgot password' after ID and face verification; "
            "no branch visit is needed.",
        ),
    ),
    ShortPath(
        "客户咨询如何打印近一年的交易明细用于签证办理。",
        "已告知客户可在手机银行“交易明细”中申请电子流水并加盖电子章，或到任一网点打印纸质流水。",
        "借记卡",
        (
            "I need a one-year statement for my visa application. How can I get it?",
            "You can request a stamped e-statement in the app or print one at any branch.",
        ),
    ),
    ShortPath(
        "客户咨询跨行转账多久到账，周末转账是否会延迟。",
        "已告知客户5万元以下跨行转账通常实时到账，大额转账在工作日工作时间内处理，节假日可能顺延。",
        "跨行转账",
    ),
    ShortPath(
        "客户咨询信用卡分期手续费如何计算，折合年化利率是多少。",
        "已按每期手续费率为客户测算分期总费用及年化利率，并告知可在App查看明细。",
        "信用卡",
    ),
    ShortPath(
        "客户咨询银行卡丢失后如何挂失补卡，补卡费用多少。",
        "已为客户办理临时电话挂失，告知携带身份证到网点办理正式挂失补卡，补卡工本费按公示标准收取。",
        "借记卡",
    ),
    ShortPath(
        "客户咨询理财产品赎回后资金多久到账。", "已告知客户该产品赎回资金T+1个工作日到账，节假日顺延。", "理财产品"
    ),
    ShortPath(
        "客户咨询如何查询个人征信报告。",
        "已告知客户可通过征信中心网站、我行手机银行或网点自助查询机免费查询本人信用报告。",
        "个人征信",
    ),
    ShortPath(
        "客户咨询外币现钞兑换是否需要预约，每日限额多少。",
        "已告知客户大额外币现钞需提前一个工作日预约，个人年度便利化额度为等值5万美元。",
        "外汇业务",
    ),
    ShortPath(
        "客户咨询三年期定期存款利率及提前支取如何计息。",
        "已告知客户当前挂牌利率，提前支取部分按活期利率计息。",
        "储蓄存款",
    ),
    ShortPath(
        "客户咨询手机银行转账限额如何调整。",
        "已告知客户可在手机银行“安全中心”调整限额，超过一定额度需到网点办理。",
        "手机银行",
        (
            "How can I raise my daily transfer limit in the app?",
            "You can change it under 'Security centre' in the app; higher limits need a branch visit.",
        ),
    ),
    ShortPath(
        "客户咨询老年人能否由子女代为办理养老金账户业务。",
        "已告知客户代办需携带双方身份证件及授权材料，行动不便者可预约上门服务。",
        "柜面服务",
    ),
)

SUGGESTIONS: tuple[ShortPath, ...] = (
    ShortPath(
        "客户建议手机银行增加大字版、语音播报功能，方便老年人使用。",
        "感谢您的建议，已转信息科技部评估，我行手机银行“长辈版”将于近期上线大字及语音功能。",
        "手机银行",
    ),
    ShortPath(
        "客户建议网点周末增开对公业务窗口。",
        "感谢建议，已反馈分行运营管理部，将结合客流情况研究周末窗口安排。",
        "柜面服务",
    ),
    ShortPath(
        "客户建议叫号系统增加短信提醒，避免在网点长时间等候。",
        "感谢建议，我行正在试点线上取号及到号提醒功能。",
        "柜面服务",
    ),
    ShortPath("客户建议客服热线增加粤语服务。", "感谢建议，已转客服中心，广东地区热线已开通粤语服务按键。", "客服热线"),
    ShortPath("客户建议ATM增加无卡取款和盲文键盘。", "感谢建议，已转运营管理部在设备更新时统筹考虑。", "自助设备"),
    ShortPath(
        "客户建议理财产品页面用更通俗的语言说明风险。", "感谢建议，已转个人金融部优化产品信息披露页面。", "理财产品"
    ),
    ShortPath("客户建议扣费短信中写明商户全称，便于识别。", "感谢建议，已转信息科技部评估短信模板优化。", "借记卡"),
    ShortPath(
        "客户建议信用卡账单增加年费减免进度提示。",
        "感谢建议，信用卡中心将在App中增加年费减免进度展示。",
        "信用卡",
        (
            "Please show in the app how close I am to the annual fee waiver.",
            "Thank you; the card centre will add a fee-waiver progress bar to the app.",
        ),
    ),
)

# Requests that are neither a complaint about a product nor a question (request type "other").
OTHER_MATTER = Situation(
    key="other_matter",
    topic="其他服务诉求",
    product="综合服务",
    weight=0,
    channels=("online_banking", "hotline", "counter", "wechat", "letter", "other"),
    demand=("explanation", "other"),
    third_person=_t(
        "{who}反映{outlet}门前无障碍通道被共享单车占用，轮椅无法进入，要求网点协调处理。",
        "{who}要求我行出具近三年资信证明用于出国留学，{outlet}称需审批，等待已超过一周。",
        "{who}反映收到冒充我行的诈骗短信，要求我行核实并提醒其他客户。",
        "{who}反映{outlet}播放的理财宣传视频音量过大，影响办理业务。",
        "{who}反映{outlet}停车场被占用改作他用，前来办理业务无处停车。",
    ),
    first_person=(),
    notes=_t(
        "已联系网点负责人核实情况，网点已安排专人处理。",
        "已将客户反映的情况转相关部门，要求限期反馈。",
        "已向客户电话说明处理进展。",
    ),
    findings=(
        Finding(
            "bank",
            0.6,
            "upheld",
            "process_design",
            "网点日常管理不到位",
            "经核实，客户反映情况属实，网点已完成整改。",
            "已向客户说明整改情况并致谢。",
        ),
        Finding(
            "none",
            0.4,
            "not_upheld",
            "process_design",
            "按规定流程办理",
            "经核实，相关事项按我行规定流程办理，已向客户详细说明。",
            "已向客户解释办理要求及预计时间。",
        ),
    ),
    basis=_t("我行《营业网点服务规范》", "我行相关业务管理制度"),
    elderly=0.3,
)

FOLLOW_UP_COMMENTS = (
    "客户对处理结果表示满意，感谢工作人员的耐心解释。",
    "客户表示问题已解决，希望以后不再出现类似情况。",
    "客户认可处理结果，但认为处理时间偏长。",
    "客户对补偿金额仍有意见，已做好解释。",
    "客户未接听电话，已发送回访短信。",
    "客户表示满意，并对网点改进措施表示认可。",
)

FEEDBACK_COMMENTS = {
    "satisfied": ("客户对处理结果表示满意。", "客户表示认可，感谢及时处理。"),
    "basically_satisfied": ("客户基本认可处理结果，希望改进服务。", "客户表示可以接受，但认为过程较长。"),
    "dissatisfied": ("客户对处理结果不满意，认为补偿不足。", "客户坚持原诉求，不认可调查结论。"),
    "unreachable": ("答复后七日内多次联系客户未果，按规定办结。",),
}

DISSATISFIED_CLOSE_REASONS = (
    "客户不认可处理结果，已告知可在30日内向上级机构申请核查，或申请调解、仲裁、诉讼。",
    "经反复沟通客户仍坚持原诉求，我行处理符合规定，已告知救济途径后办结。",
)

REOPEN_REASONS = {
    True: (
        "客户补充提供了新的交易凭证和聊天记录，提出新的事实和理由，重新调查。",
        "客户提交了第三方出具的证明材料，构成新的事实，重新计算处理期限。",
    ),
    False: ("客户对答复有疑问，回访中发现调查遗漏一笔交易，重新核查。", "复盘发现答复中补偿金额计算有误，重新处理。"),
}

REVIEW_REQUESTS = (
    "投诉人对分行答复不满，书面申请总行核查：认为调查未调取全部录音，补偿金额过低。",
    "投诉人书面申请核查，称分行未认定销售人员责任，要求重新审查。",
    "投诉人认为分行处理程序不当、答复超期，申请上级机构核查。",
)

REVIEW_DECISIONS = {
    "upheld": ("经核查，原处理程序合规、事实认定清楚、处理结果适当，维持原处理决定。", "维持原处理决定。"),
    "revised": ("经核查，原处理对我行责任认定不充分，变更处理结果。", "变更原处理决定，追加补偿并对相关人员问责。"),
}

EXTENSION_REASONS = {
    1: (
        (
            "情况复杂，需进一步调查核实",
            "需调取多方材料并核实相关事实，15日内无法作出处理决定，经审批延长至30日，已告知投诉人。",
        ),
        ("需相关部门及外部机构协助调查", "协查结果尚未返回，经主管审批延长处理期限至30日，已告知投诉人。"),
        ("需约谈相关人员并复核证据", "涉及人员及证据较多，经主管审批延长至30日，已告知投诉人。"),
    ),
    2: (
        (
            "情况特别复杂，需进一步协调多方",
            "涉及跨机构责任划分，经总行高级管理人员审批再延长30日，并已提前告知投诉人。",
        ),
        (
            "有其他特殊原因，需等待外部机构结论",
            "外部机构结论尚未出具，经总行高级管理人员审批再延长30日，已提前告知投诉人。",
        ),
    ),
}

WITHDRAW_REASONS = (
    "客户来电表示问题已自行解决，申请撤回投诉。",
    "款项已到账，客户表示不再追究，撤回投诉。",
    "客户与网点当面沟通后达成谅解，书面撤回投诉。",
    "客户表示已通过诉讼途径解决，撤回投诉。",
)

DECLINES = {
    "not_our_business": (
        "经核实，投诉事项为{other_bank}的信用卡业务，不属于我行产品或服务，已告知客户向{other_bank}反映，并提供其客服电话。",
        "经核实，投诉所涉为第三方支付机构账户余额问题，非我行业务，已告知投诉人向该支付机构或人民银行反映。",
    ),
    "not_by_complainant": (
        "投诉人非账户所有人，且未能提供账户所有人的授权委托书，依规不予受理，已告知可由本人或授权代理人提出。",
    ),
}

# What the submitter wrote when the matter is not ours, or not theirs to raise (不予受理).
DECLINE_TEXTS = {
    "not_our_business": (
        "{who}反映其在{other_bank}办理的信用卡被重复收取年费{amount}元，要求我行协助退还。",
        "{who}称其在某第三方支付平台的账户余额被冻结，要求我行解冻。",
        "{who}反映某互联网小贷平台以我行名义催收，经查该借款并非我行发放。",
    ),
    "not_by_complainant": (
        "{who}反映其朋友的银行卡被扣收费用{amount}元，要求我行退还，来电人非持卡人，也未提供授权。",
        "{who}称替邻居投诉理财产品亏损，未能提供账户所有人的委托材料。",
    ),
}

ESCALATION_REASONS = {
    "to_head_office": (
        "客户表示将向媒体曝光，涉及声誉风险，升级总行消保部统筹处理。",
        "同类投诉集中发生，升级总行统一处理。",
    ),
    "to_branch": ("网点层面协商未果，客户情绪激动，升级分行处理。", "涉及网点负责人，按回避要求升级至分行处理。"),
}

NOTICE_ROUTES = ["review", "mediation", "arbitration", "litigation"]

NOTICE_TEMPLATE = (
    "尊敬的{name}：您于{received}反映的“{topic}”问题（编号{number}）已处理完毕。经调查，{reasons}处理结果：{remedy}"
    "如您对本答复有异议，可自收到本答复之日起30日内向我行上级机构书面申请核查，也可向当地银行业消费纠纷调解组织申请调解，"
    "或依法申请仲裁、向人民法院提起诉讼。"
)
NOTICE_TEMPLATE_EN = (
    "Dear {name}, regarding your complaint of {received} about {topic} (ref. {number}): {reasons} Outcome: {remedy} "
    "If you disagree, you may ask our superior office for a review in writing within 30 days of receiving this reply, "
    "apply to a banking dispute mediation body, or pursue arbitration or litigation."
)
REVIEW_NOTICE_TEMPLATE = "尊敬的{name}：您申请核查的事项（核查编号{number}）已办结。{reasons}{remedy}"

EN_REASONS = {
    "upheld": (
        "We checked the records and found that the bank was at fault.",
        "We will put this right as set out below and apologise for the trouble.",
    ),
    "partly_upheld": (
        "We found that part of your complaint is justified.",
        "We will remedy that part as set out below.",
    ),
    "not_upheld": (
        "We checked the records and found that the bank acted in line with the agreement.",
        "We have explained the reasons to you by phone.",
    ),
    "settled": ("We have agreed a settlement with you.", "We will carry it out as agreed."),
}


@dataclass
class Slots:
    values: dict[str, str] = field(default_factory=dict)

    def fill(self, template: str) -> str:
        return template.format_map(self.values)


def pick(rng: random.Random, options: tuple[str, ...] | list[str]) -> str:
    return options[rng.randrange(len(options))]


def weighted_finding(rng: random.Random, situation: Situation) -> Finding:
    total = sum(f.weight for f in situation.findings)
    x = rng.random() * total
    for f in situation.findings:
        x -= f.weight
        if x <= 0:
            return f
    return situation.findings[-1]
