"""The statutes the answers cite, by their English names, so a member reading English sees
「Labour Law, Art. 44」 rather than 《劳动法》第四十四条. A statute missing here keeps its Chinese
title (tests/unit/test_statutes_en.py checks every shipped entry's statutes are here)."""

from __future__ import annotations

from bot.rights.citations import chinese_number, parts, statute_key

STATUTES_EN = {
    "劳动合同法": "Labour Contract Law",
    "劳动法": "Labour Law",
    "工伤保险条例": "Regulations on Work-Related Injury Insurance",
    "劳动争议调解仲裁法": "Law on Mediation and Arbitration of Labour Disputes",
    "社会保险法": "Social Insurance Law",
    "工资支付暂行规定": "Provisional Regulations on Wage Payment",
    "劳动合同法实施条例": "Implementing Regulations of the Labour Contract Law",
    "女职工劳动保护特别规定": "Special Provisions on Labour Protection of Female Employees",
    "就业促进法": "Employment Promotion Law",
    "企业职工带薪年休假实施办法": "Measures on Paid Annual Leave of Enterprise Employees",
    "劳动争议司法解释（一）": "Supreme People's Court Interpretation (I) on Labour Disputes",
    "劳动争议司法解释（二）": "Supreme People's Court Interpretation (II) on Labour Disputes",
    "职工带薪年休假条例": "Regulations on Paid Annual Leave of Employees",
    "工会法": "Trade Union Law",
    "职业病防治法": "Law on the Prevention and Control of Occupational Diseases",
    "安全生产法": "Work Safety Law",
    "中国工会章程": "Constitution of the Chinese Trade Unions",
    "国务院关于渐进式延迟法定退休年龄的办法": (
        "State Council Measures on Gradually Raising the Retirement Age"
    ),
    "住房公积金管理条例": "Regulations on the Administration of Housing Provident Funds",
    "失业保险条例": "Regulations on Unemployment Insurance",
    "防暑降温措施管理办法": "Measures on Heatstroke Prevention and Cooling",
    "国务院关于职工探亲待遇的规定": "State Council Provisions on Home Leave for Employees",
    "劳动保障监察条例": "Regulations on Labour Security Inspection",
    "企业民主管理规定": "Provisions on Democratic Management of Enterprises",
    "企业破产法": "Enterprise Bankruptcy Law",
    "最低工资规定": "Provisions on Minimum Wages",
    "人口与计划生育法": "Population and Family Planning Law",
    "关于确立劳动关系有关事项的通知": "Notice on Establishing Labour Relations",
    "劳动法意见": "Opinions on Implementing the Labour Law",
    "禁止使用童工规定": "Provisions on Prohibiting Child Labour",
    "国务院关于职工工作时间的规定": "State Council Provisions on Working Hours",
    "法律援助法": "Legal Aid Law",
    "保障农民工工资支付条例": "Regulations on Ensuring Payment of Migrant Workers' Wages",
    "刑法": "Criminal Law",
    "国务院关于废止部分行政法规的决定": "State Council Decision Repealing Certain Regulations",
    "人力资源社会保障部关于执行〈工伤保险条例〉若干问题的意见（二）": (
        "Ministry of Human Resources Opinions (II) on the Work-Related Injury Regulations"
    ),
    "国务院办公厅关于全面推进生育保险和职工基本医疗保险合并实施的意见": (
        "State Council Opinions on Merging Maternity and Basic Medical Insurance"
    ),
    "民法典": "Civil Code",
    "劳务派遣暂行规定": "Interim Provisions on Labour Dispatch",
    "全国年节及纪念日放假办法": "Measures on National Holidays and Commemorative Days",
    "企业职工患病或非因工负伤医疗期规定": (
        "Provisions on Medical Leave for Illness or Non-Work Injury"
    ),
    "婚丧假通知": "Notice on Marriage and Funeral Leave",
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
