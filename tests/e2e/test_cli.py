"""The `unionbridge` command line, run as a real process."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
from sqlmodel import col, select

from storage import members
from storage.db import Database
from storage.models import Member

ROSTER = """姓名,部门,telegram,生日,电话
王小明,一车间,@wang_xm,农历八月十五,13800000000
李华,二车间,123456789,1990-01-02,
赵六,三车间,,,
钱七,一车间,,2月30日,
孙八,二车间,,,
"""


async def _cli(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def _config(tmp_path: Path, db_url: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[database]\nurl = "{db_url}"\n[union]\ndepartments = ["一车间", "二车间"]\n',
        encoding="utf-8",
    )
    return path


async def _names(db_url: str) -> list[str]:
    db = Database(db_url)
    async with db.read() as session:
        rows = (await session.exec(select(Member).order_by(col(Member.id)))).all()
    await db.dispose()
    return [row.name for row in rows]


async def test_import_is_all_or_nothing_and_reports_each_bad_row(
    tmp_path: Path, db_url: str
) -> None:
    config = _config(tmp_path, db_url)
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8-sig")
    code, out, err = await _cli("--config", str(config), "import-members", str(roster))
    assert code == 1
    assert "第 4 行未导入" in err and "三车间" in err
    assert "第 5 行未导入" in err and "2月30日" in err
    assert "全部未保存" in out
    assert await _names(db_url) == []

    code, out, err = await _cli(
        "--config", str(config), "import-members", str(roster), "--skip-bad-rows"
    )
    assert code == 0, err
    assert "新增 3" in out and "拒绝 2" in out
    assert await _names(db_url) == ["王小明", "李华", "孙八"]
    db = Database(db_url)
    async with db.read() as session:
        li = await members.get_by_telegram_id(session, 123456789)
    await db.dispose()
    assert li is not None and li.registered_at is None and li.bday_year == 1990

    code, out, _ = await _cli(
        "--config", str(config), "import-members", str(roster), "--skip-bad-rows"
    )
    assert (
        code == 0 and "新增 0" in out and "更新 3" in out
    )  # importing again changes nothing twice


async def test_import_rejects_a_file_it_cannot_read(tmp_path: Path, db_url: str) -> None:
    config = _config(tmp_path, db_url)
    roster = tmp_path / "roster.csv"
    roster.write_text("名字\n王小明\n", encoding="utf-8")
    code, _, err = await _cli("--config", str(config), "import-members", str(roster))
    assert code == 2 and "department" in err
    code, _, err = await _cli(
        "--config", str(config), "import-members", str(tmp_path / "missing.xlsx")
    )
    assert code == 2 and "找不到文件" in err


async def test_run_without_a_token_says_how_to_set_one(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    code, out, err = await _cli("--config", str(config), "run", env={"UNIONBRIDGE_TOKEN": ""})
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0 and "UNIONBRIDGE_TOKEN" in err


async def test_check_config_names_the_bad_key(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[union]\ntimezone = "Mars/Olympus"\n', encoding="utf-8")
    code, _, err = await _cli("check-config", str(config))
    assert code == 2 and "[union] timezone" in err and "Asia/Shanghai" in err
    code, _, err = await _cli("check-config", str(tmp_path / "nope.toml"))
    assert code == 2 and "config.example.toml" in err
    example = Path(__file__).parents[2] / "config.example.toml"
    code, out, _ = await _cli("check-config", str(example))
    assert code == 0 and "OK" in out


async def test_db_upgrade_migrates_a_new_database(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    config = _config(tmp_path, url)
    code, _out, err = await _cli("--config", str(config), "db", "upgrade")
    assert code == 0, err
    assert await _names(url) == []


@pytest.mark.parametrize("suffix", [".xlsx"])
async def test_import_from_excel(tmp_path: Path, db_url: str, suffix: str) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for line in ROSTER.splitlines()[:3]:
        sheet.append(line.split(","))
    roster = tmp_path / f"roster{suffix}"
    workbook.save(roster)
    code, _out, err = await _cli(
        "--config", str(_config(tmp_path, db_url)), "import-members", str(roster)
    )
    assert code == 0, err
    assert await _names(db_url) == ["王小明", "李华"]
