"""The sandbox's demo union: three workshops, thirty-odd members with solar and lunar
birthdays (some tomorrow, so the clock jump has something to show), a chair, a cadre, two
bound workshop groups, an upcoming activity posted in them and an open case. One young
worker is left unregistered, for the visitor to register as."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.activities.posts import post
from bot.cases.service import Identity, submit
from bot.clock import Clock
from bot.config import Config
from bot.emulator import Emulator
from bot.greetings.calendar import lunar_of
from bot.openboard.items import add_item
from bot.sandbox import demo_console
from storage import activities, groups, members
from storage.db import Database
from storage.models import Member
from storage.statuses import StoredRole

UNION = "东风机械厂工会"
DEPARTMENTS = ["一车间", "二车间", "质检部"]
CHAIR, CADRE, WORKER, VETERAN = 900_001, 900_002, 900_003, 900_004
FIRST_MEMBER = 910_000
NAMES = (
    "李娟",
    "张伟",
    "王芳",
    "刘洋",
    "陈静",
    "杨帆",
    "赵磊",
    "黄丽",
    "周强",
    "吴敏",
    "徐杰",
    "孙燕",
    "胡军",
    "朱婷",
    "高峰",
    "林霞",
    "何勇",
    "郭丹",
    "马超",
    "罗琳",
    "梁斌",
    "宋佳",
    "郑涛",
    "谢颖",
    "韩冰",
    "唐亮",
    "冯雪",
    "于洋",
    "董洁",
)


@dataclass(frozen=True)
class Persona:
    """Someone the visitor can be on the page."""

    telegram_id: int
    name: str
    role: str  # chair, cadre, worker, member


@dataclass(frozen=True)
class Demo:
    personas: tuple[Persona, ...]
    groups: dict[str, int]  # department → chat id


def sandbox_config(
    *, base_url: str, base_file_url: str, token: str, db_url: str, console_port: int = 0
) -> Config:
    console_url = f"http://127.0.0.1:{console_port}/console/"
    return Config.model_validate(
        {
            "telegram": {"token": token, "base_url": base_url, "base_file_url": base_file_url},
            "database": {"url": db_url},
            "union": {"name": UNION, "departments": DEPARTMENTS, "admins": [CHAIR]},
            "limits": {"overall_per_second": 200, "group_per_minute": 600},
            "delivery": {"concurrency": 8, "send_timeout_seconds": 5.0, "poll_seconds": 0.2},
            "ops": {"enabled": False},
            "console": {"enabled": bool(console_port), "port": console_port,
                        "public_url": console_url, "standin_js": True},
        }
    )  # fmt: skip


def _birthday(index: int, today: date) -> dict[str, object]:
    """Solar and lunar birthdays spread over the year; two solar and one lunar tomorrow."""
    tomorrow = today + timedelta(days=1)
    if index in (0, 7):
        return {"bday_kind": "solar", "bday_month": tomorrow.month, "bday_day": tomorrow.day}
    if index == 3:
        lunar = lunar_of(tomorrow)
        return {
            "bday_kind": "lunar",
            "bday_month": lunar.month,
            "bday_day": lunar.day,
            "bday_leap": lunar.leap,
        }
    day = today + timedelta(days=11 * index + 5)
    if index % 3 == 0:
        lunar = lunar_of(day)
        return {"bday_kind": "lunar", "bday_month": lunar.month, "bday_day": min(lunar.day, 29)}
    return {"bday_kind": "solar", "bday_month": day.month, "bday_day": min(day.day, 28)}


Person = tuple[int, str, str, str, dict[str, object]]  # id, name, department, role, birthday


def _people(emu: Emulator, today: date) -> list[Person]:
    """The union's members: the personas and thirty-odd workers, each a user of the emulator."""
    for telegram_id, name, username in (
        (CHAIR, "周主席", "chair_zhou"),
        (CADRE, "陈干事", "chen_cadre"),
        (WORKER, "小王", "xiao_wang"),
        (VETERAN, "老刘", "lao_liu"),
    ):
        emu.user(telegram_id, name, username=username)
    people: list[Person] = [
        (CHAIR, "周主席", "一车间", "member", _birthday(20, today)),
        (CADRE, "陈干事", "一车间", "cadre", _birthday(21, today)),
        (VETERAN, "老刘", "一车间", "member", _birthday(22, today)),
    ]
    for index, name in enumerate(NAMES):
        telegram_id = FIRST_MEMBER + index
        emu.user(telegram_id, name)
        people.append(
            (telegram_id, name, DEPARTMENTS[index % 3], "member", _birthday(index, today))
        )
    return people


async def _register(
    session: AsyncSession, emu: Emulator, people: list[Person], now: datetime
) -> Member:
    """Everyone registered (the cadre appointed); returns the veteran, who reports a case."""
    reporter = None
    for telegram_id, name, department, role, birthday in people:
        emu.open_private(telegram_id)
        member = await members.add(
            session,
            now=now,
            telegram_id=telegram_id,
            name=name,
            department=department,
            share_birthday=True,
            hide_year=True,
            bday_year=1990 + telegram_id % 10,
            **birthday,
        )
        await members.mark_registered(session, member, now=now)
        if role == StoredRole.CADRE:
            await members.set_role(
                session, member, role=StoredRole.CADRE, actor_telegram_id=CHAIR, now=now
            )
        if telegram_id == VETERAN:
            reporter = member
    assert reporter is not None
    return reporter


async def _bind_groups(
    session: AsyncSession, emu: Emulator, people: list[Person], now: datetime
) -> dict[str, int]:
    """Two workshop groups with the bot as administrator, bound to their departments."""
    chats = {
        "一车间": emu.group("一车间工友群", members=[CHAIR, CADRE, WORKER, VETERAN]),
        "二车间": emu.group("二车间工友群", members=[CHAIR, CADRE]),
    }
    for department, chat_id in chats.items():
        chat = emu.chats[chat_id]
        chat.bot_status = "administrator"
        chat.members.update(
            t for t, _, dept, _, _ in people if dept == department and t >= FIRST_MEMBER
        )
        group = await groups.record(
            session, chat_id=chat_id, title=chat.title or "", bot_status="administrator", now=now
        )
        await groups.bind(session, group, department=department, by=CADRE, now=now)
    return chats


async def _basketball(session: AsyncSession, config: Config, today: date, now: datetime) -> None:
    """A match three days from now, posted in the groups."""
    zone = config.union.zone
    starts = datetime.combine(today + timedelta(days=3), time(19, 0), tzinfo=zone)
    activity = await activities.add(
        session,
        title="篮球友谊赛",
        description="一车间对二车间，赛后聚餐。欢迎带家属来加油。",
        place="厂区篮球场",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        deadline=starts - timedelta(days=1),
        capacity=10,
        departments=None,
        guests_max=1,
        created_by=CADRE,
        created_at=now,
    )
    await post(session, activity, lang=config.union.default_language, zone=zone, now=now)


# A 公示 item on the open board (/open) for the week, as a union puts up its welfare list.
OPEN_ITEM = (
    "节日福利发放方案公示：每位会员大米一袋、食用油一桶，由各车间工会小组长分发。"
    "有意见请在公示期内向工会反映。"
)


async def seed(emu: Emulator, db: Database, config: Config, clock: Clock) -> Demo:
    """Create the demo union in the database and the people and groups in the emulator."""
    now = clock.now()
    today = now.astimezone(config.union.zone).date()
    personas = (
        Persona(WORKER, "小王", "worker"),
        Persona(CADRE, "陈干事", "cadre"),
        Persona(CHAIR, "周主席", "chair"),
        Persona(VETERAN, "老刘", "member"),
    )
    people = _people(emu, today)
    async with db.begin() as session:
        reporter = await _register(session, emu, people, now)
        chats = await _bind_groups(session, emu, people, now)
        await _basketball(session, config, today, now)
        cadre = await members.get_by_telegram_id(session, CADRE)
        assert cadre is not None
        await demo_console.fill(session, config, cadre=cadre, now=now)
        week = datetime.combine(today + timedelta(days=7), time(0, 0), tzinfo=config.union.zone)
        await add_item(session, text=OPEN_ITEM, until=week, author=cadre, now=now)
        # Broken locker locks are a matter of safety and hygiene (安全卫生), not of pay.
        safety = next((c for c in config.cases.categories if "安全" in c), None)
        await submit(
            session,
            reporter=reporter,
            category=safety or config.cases.categories[0],
            text="二号更衣室有三个柜子的锁坏了一个多月，报修两次都没人来修。",
            attachments=[],
            identity=Identity.NAMED,
            now=now,
            config=config,
        )
    return Demo(personas=personas, groups=chats)


async def set_language(
    db: Database, personas: tuple[Persona, ...], lang: str, now: datetime
) -> None:
    """The page's language switch: the registered personas read the bot in it too (an
    unregistered visitor follows Telegram's language, which the switch also sets)."""
    async with db.begin() as session:
        for persona in personas:
            member = await members.get_by_telegram_id(session, persona.telegram_id)
            if member is not None and member.registered_at is not None:
                await members.update(session, member, now=now, language=lang)
