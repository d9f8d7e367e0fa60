"""The API's enum values as the office reads them."""

from __future__ import annotations

CATEGORIES = {
    "LIGHTING": "照明",
    "PLUMBING": "水管",
    "ELECTRICAL": "电路",
    "ILLEGAL_CONSTRUCTION": "违章搭建",
    "SNOW_ICE": "积雪结冰",
    "SANITATION": "环境卫生",
    "PARKING": "停车",
    "PUBLIC_FACILITY": "公共设施",
    "SAFETY_HAZARD": "安全隐患",
    "OTHER": "其他",
}
STATES = {
    "OPEN": "待接单",
    "CLAIMED": "维修中",
    "RESOLVED": "已修好待确认",
    "CONFIRMED": "已确认",
    "REOPENED": "已退回重修",
    "REJECTED": "已驳回",
    "CANCELLED": "已撤销",
}
EVENTS = {
    "OPENED": "报修",
    "CLAIMED": "接单",
    "RESOLVED": "修好",
    "CONFIRMED": "居民确认",
    "AUTO_CONFIRMED": "自动确认",
    "REOPENED": "退回重修",
    "REJECTED": "驳回",
    "CANCELLED": "撤销",
    "ESCALATED": "升级",
}
QUEUES = {"UNCLAIMED": "待接单", "OVERDUE": "超时", "ESCALATED": "已升级"}
REJECT_REASONS = {"DUPLICATE": "重复报修", "INVALID": "不属实或不属于报修"}
TEAM_KINDS = {
    "REPAIR": "维修队",
    "RIVER_PATROL": "巡河队",
    "TUTORING": "四点半课堂",
    "MEDIATION": "调解室",
    "SNOW_CLEARING": "扫雪队",
    "MUTUAL_AID": "互助队",
    "OBSERVERS": "家园观察员",
    "CLEANING": "保洁队",
}
REWARD_KINDS = {"GIFT": "实物礼品", "SERVICE": "上门服务"}
OPINION_STATUS = {
    "OPEN": "待答复",
    "ADOPTED": "已采纳",
    "DONE": "已办结",
    "ANSWERED": "已解释",
    "DECLINED": "未采纳",
}
OPINION_OUTCOMES = {
    "ADOPTED": "采纳（写明要做的事）",
    "ANSWERED": "答复解释",
    "DECLINED": "不采纳（写明原因）",
}
OPINION_KINDS = {"SUGGESTION": "建议", "COMPLAINT": "投诉"}
OPINION_TOPICS = {
    "PARKING": "停车",
    "GREENING": "绿化",
    "NOISE": "噪音",
    "SANITATION": "卫生",
    "SAFETY": "安全",
    "FACILITIES": "设施",
    "FEES": "物业费",
    "SERVICE": "社区服务",
    "OTHER": "其他",
}
ACCOUNT_CATEGORIES = {
    "FEES": "物业费收入",
    "ADVERTISING": "广告收入",
    "GRANTS": "上级拨款",
    "OTHER_INCOME": "其他收入",
    "LABOUR": "人工支出",
    "MATERIALS": "材料支出",
    "OTHER_SPENDING": "其他支出",
}
ROLES = {
    "RESIDENT": "居民",
    "VOLUNTEER": "志愿者",
    "CAPTAIN": "队长",
    "REPAIRER": "维修员",
    "CLEANER": "保洁员",
    "STAFF": "社区工作人员",
    "ADMIN": "管理员",
    "OBSERVER": "家园观察员",
    "MEDIATOR": "调解员",
}
SIGNALS = {
    "PAIRING": "同一对居民和维修员反复互相报修",
    "SELF_DEALING": "维修员修了自家的报修",
    "REPORT_BURST": "短时间内大量报修",
}
FLAG_STATES = {"OPEN": "待判断", "DISMISSED": "已放行", "CONFIRMED": "已确认违规"}
CARE_TAGS = {"PARTY_MEMBER": "党员户", "HARDSHIP": "困难户", "LIVING_ALONE": "独居", "DISABILITY": "残疾"}
TAG_KINDS = {"COMPOUND": "小区", "BUILDING": "楼栋", "ENTRANCE": "单元", "ASSET": "设施"}
MEDIATION_CATEGORIES = {
    "NOISE": "噪音",
    "WATER_LEAK": "漏水",
    "PARKING": "停车",
    "PETS": "宠物",
    "SHARED_SPACE": "公共空间",
    "PROPERTY_FEES": "物业费",
    "FAMILY": "家庭",
    "OTHER": "其他",
}
CASE_STATES = {
    "OPEN": "调解中",
    "AGREED": "已签协议",
    "FOLLOWED_UP": "已回访",
    "SETTLED": "调解成功",
    "NOT_SETTLED": "未能调解",
    "REFERRED": "已转交",
}
CASE_EVENTS = {
    "OPENED": "立案",
    "SESSION": "调解会",
    "AGREED": "签订协议",
    "FOLLOWED_UP": "回访",
    "SETTLED": "调解成功",
    "NOT_SETTLED": "未能调解",
    "REFERRED": "转交",
    "MEDIATORS_CHANGED": "更换调解员",
}

ALL = {
    "category": CATEGORIES,
    "state": STATES,
    "event": EVENTS,
    "queue": QUEUES,
    "reject": REJECT_REASONS,
    "team": TEAM_KINDS,
    "reward": REWARD_KINDS,
    "opinion": OPINION_STATUS,
    "outcome": OPINION_OUTCOMES,
    "opinion_kind": OPINION_KINDS,
    "topic": OPINION_TOPICS,
    "account": ACCOUNT_CATEGORIES,
    "role": ROLES,
    "signal": SIGNALS,
    "flag": FLAG_STATES,
    "care": CARE_TAGS,
    "tag": TAG_KINDS,
    "dispute": MEDIATION_CATEGORIES,
    "case": CASE_STATES,
    "case_event": CASE_EVENTS,
}


def say(kind: str, value: str | None) -> str:
    """The Chinese word for an enum value (the value itself if we have none)."""
    if value is None:
        return ""
    return ALL[kind].get(value, value)
