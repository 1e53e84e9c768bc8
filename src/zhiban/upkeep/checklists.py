"""What each kind of acceptance sheet asks (ACC-2, ACC-4): the names of its two sides, the
default check items of a stage acceptance and the parties who must sign it.

The engineering stage acceptances follow the seed's foreman (工长) section — materials on
entry, concealed works, mid-term and completion, each "填写相应表格，签字" — and common site
practice for the items. The commissioning sheet's points come from the four-remote point
table, so it has no default items and no signing parties beyond its two checkers.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import SheetKind

# the two sides of a sheet: the model keeps ``centre_*`` and ``team_*`` fields for both
SIDE_LABELS = {
    SheetKind.COMMISSIONING: (_("Centre (监控中心)"), _("Operation team (操作队)")),
    "stage": (_("Contractor (施工方)"), _("Supervisor (监理)")),
}

PARTIES = {
    "foreman": _("Foreman (工长)"),
    "supervisor": _("Supervisor (监理)"),
    "designer": _("Designer (设计师)"),
    "client": _("Client (客户)"),
}

# ACC-4: who signs each stage acceptance before it may close
REQUIRED_PARTIES: dict[str, tuple[str, ...]] = {
    SheetKind.COMMISSIONING: (),
    SheetKind.MATERIALS: ("foreman", "supervisor", "client"),
    SheetKind.CONCEALED: ("foreman", "supervisor", "client"),
    SheetKind.MIDTERM: ("foreman", "supervisor", "client"),
    SheetKind.COMPLETION: ("foreman", "supervisor", "designer", "client"),
}

# ACC-4: a stage acceptance is created with these items (the check items stay in Chinese:
# they are the form's own words, as a point table's signal names are)
DEFAULT_ITEMS: dict[str, tuple[str, ...]] = {
    SheetKind.COMMISSIONING: (),
    SheetKind.MATERIALS: (
        "材料品牌、型号、规格与合同及预算一致",
        "合格证、检测报告齐全有效",
        "数量与进场单相符",
        "外观无破损、受潮、锈蚀",
        "电线电缆、管材等隐蔽用材抽检合格",
        "不合格材料已清退出场并记录",
    ),
    SheetKind.CONCEALED: (
        "管线走向、标高与施工图一致",
        "强弱电分管敷设，间距符合规范",
        "给水管打压试验合格（保压30分钟无渗漏）",
        "防水层涂刷均匀，闭水试验48小时无渗漏",
        "线管接头、线盒固定牢固，接地可靠",
        "隐蔽部位已拍照存档",
    ),
    SheetKind.MIDTERM: (
        "完成项目与施工进度计划相符",
        "墙地砖空鼓率、平整度符合规范",
        "吊顶龙骨牢固、平整",
        "门窗套、柜体尺寸与图纸一致",
        "成品保护到位",
        "增减项目已由客户签认",
    ),
    SheetKind.COMPLETION: (
        "各项施工内容已按合同、图纸完成",
        "墙面平整，阴阳角顺直，无裂缝",
        "开关插座、灯具通电正常",
        "给排水畅通，无渗漏",
        "门窗开启灵活，五金齐全",
        "现场清理干净，竣工资料齐全",
        "保修卡已交付",
    ),
}


def is_stage(kind: str) -> bool:
    return kind != SheetKind.COMMISSIONING


def side_labels(kind: str):
    """(centre side, team side) as shown for a sheet of this kind."""
    return SIDE_LABELS[SheetKind.COMMISSIONING if not is_stage(kind) else "stage"]


def party_label(party: str) -> str:
    return str(PARTIES.get(party, party))
