"""The statutes the answers cite, by their English names, so a member reading English sees
「Labour Law, Art. 44」 rather than 《劳动法》第四十四条. A statute missing here keeps its Chinese
title (tests/unit/test_statutes_en.py checks every shipped entry's statutes are here)."""

from __future__ import annotations

from bot.rights.citations import chinese_number, parts, statute_key

STATUTES_EN = {
    "劳动合同法": "Labour Contract Law",
    "劳动法": "Labour Law",
    "工伤保险条例": "Work Injury Insurance Regulations",
    "劳动争议调解仲裁法": "Labour Dispute Arbitration Law",
    "社会保险法": "Social Insurance Law",
    "工资支付暂行规定": "Wage Payment Provisions",
    "劳动合同法实施条例": "Labour Contract Law Regulations",
    "女职工劳动保护特别规定": "Female Employees Protection Provisions",
    "就业促进法": "Employment Promotion Law",
    "企业职工带薪年休假实施办法": "Annual Leave Measures",
    "劳动争议司法解释（一）": "SPC Labour Dispute Interpretation (I)",
    "劳动争议司法解释（二）": "SPC Labour Dispute Interpretation (II)",
    "职工带薪年休假条例": "Paid Annual Leave Regulations",
    "工会法": "Trade Union Law",
    "职业病防治法": "Occupational Disease Law",
    "安全生产法": "Work Safety Law",
    "中国工会章程": "Chinese Trade Union Constitution",
    "国务院关于渐进式延迟法定退休年龄的办法": ("Measures on Raising the Retirement Age"),
    "住房公积金管理条例": "Housing Provident Fund Regulations",
    "失业保险条例": "Unemployment Insurance Regulations",
    "防暑降温措施管理办法": "Heatstroke Prevention Measures",
    "国务院关于职工探亲待遇的规定": "Home Leave Provisions",
    "劳动保障监察条例": "Labour Inspection Regulations",
    "企业民主管理规定": "Enterprise Democratic Management Provisions",
    "企业破产法": "Enterprise Bankruptcy Law",
    "最低工资规定": "Minimum Wage Provisions",
    "人口与计划生育法": "Population and Family Planning Law",
    "关于确立劳动关系有关事项的通知": "Notice on Establishing Labour Relations",
    "劳动法意见": "Labour Law Opinions",
    "禁止使用童工规定": "Child Labour Provisions",
    "国务院关于职工工作时间的规定": "Working Hours Provisions",
    "法律援助法": "Legal Aid Law",
    "保障农民工工资支付条例": "Migrant Workers' Wages Regulations",
    "刑法": "Criminal Law",
    "国务院关于废止部分行政法规的决定": "Decision Repealing Certain Regulations",
    "人力资源社会保障部关于执行〈工伤保险条例〉若干问题的意见（二）": (
        "Opinions (II) on the Work Injury Regulations"
    ),
    "国务院办公厅关于全面推进生育保险和职工基本医疗保险合并实施的意见": (
        "Opinions on Merging Maternity and Medical Insurance"
    ),
    "民法典": "Civil Code",
    "劳务派遣暂行规定": "Labour Dispatch Provisions",
    "全国年节及纪念日放假办法": "National Holidays Measures",
    "企业职工患病或非因工负伤医疗期规定": ("Medical Leave Provisions"),
    "婚丧假通知": "Marriage and Funeral Leave Notice",
}


def statute_en(name: str) -> str | None:
    return STATUTES_EN.get(statute_key(name))


def cited_en(citations: tuple[str, ...]) -> str:
    """Citations in English on one line, each statute once with its articles, in the order
    first cited (Labour Contract Law, Art. 38, 46; Labour Law, Art. 32)."""
    articles: dict[str, list[str]] = {}
    for citation in citations:
        found = parts(citation)
        if not found:
            articles.setdefault(citation, [])
        for name, number, sub in found:
            statute = statute_en(name) or f"《{name}》"
            numbers = articles.setdefault(statute, [])
            if number:
                suffix = f"-{chinese_number(sub[1:])}" if sub else ""
                numbers.append(f"{chinese_number(number)}{suffix}")
    return "; ".join(
        statute + (", Art. " + ", ".join(numbers) if numbers else "")
        for statute, numbers in articles.items()
    )
