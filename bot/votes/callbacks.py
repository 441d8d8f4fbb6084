"""The votes' buttons: a ballot's options, the /newvote form's last question, and closing a
vote early."""

from __future__ import annotations

from enum import StrEnum

from bot.core.callbacks import CallbackData


class BallotVerb(StrEnum):
    """The one word of the old ballot payload ("vt:cast:7:0"): ballots already in members'
    chats stay valid until their vote closes."""

    CAST = "cast"


class BallotPress(CallbackData, prefix="vt"):
    verb: BallotVerb
    vote_id: int
    option: int  # its place in the vote's options


def ballot(vote_id: int, option: int) -> BallotPress:
    return BallotPress(verb=BallotVerb.CAST, vote_id=vote_id, option=option)


class NewVoteChoice(StrEnum):
    CREATE = "ok"
    DROP = "no"


class NewVotePress(CallbackData, prefix="vn"):
    choice: NewVoteChoice


class ClosePress(CallbackData, prefix="vc"):
    """A cadre closes a vote now: the results go to the groups once."""

    vote_id: int
