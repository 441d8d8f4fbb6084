"""The case and care forms' decisions: what each answer means, and where it leads."""

from bot.care import forms as care
from bot.care.forms import EventDraft, EventStep, HardshipDraft, HardshipStep
from bot.care.kinds import CareEvent
from bot.cases import form
from bot.cases.form import REPORT_FORM, SUGGEST_FORM, ReportDraft, ReportStep, form_for
from bot.cases.identity import Identity
from bot.cases.written import words
from bot.core.attachments import Attachment, AttachmentKind, Content
from bot.core.flow import Accepted, FlowState, Rejected
from storage.statuses import CaseKind

CATEGORIES = ["工资待遇", "工时加班"]
PHOTO = Attachment(kind=AttachmentKind.PHOTO, file_id="f1")


def at(step: ReportStep, **fields: object) -> FlowState[ReportStep, ReportDraft]:
    return FlowState(step, ReportDraft.model_validate(fields))


def test_a_report_collects_its_category_details_and_identity() -> None:
    chosen = form.choose_category(at(ReportStep.CATEGORY), 1, CATEGORIES)
    assert isinstance(chosen, Accepted) and chosen.step == ReportStep.DETAILS
    assert chosen.data.category == "工时加班"
    assert form.choose_category(at(ReportStep.CATEGORY), 5, CATEGORIES) == form.EXPIRED
    first = form.give_details(at(ReportStep.DETAILS), Content(text="第一条"), limit=100)
    assert isinstance(first, Accepted)
    second = form.give_details(
        FlowState(first.step, first.data), Content(text="", attachment=PHOTO), limit=100
    )
    assert isinstance(second, Accepted) and second.data.text == "第一条"
    third = form.give_details(
        FlowState(second.step, second.data), Content(text="第二条"), limit=100
    )
    assert isinstance(third, Accepted) and third.data.text == "第一条\n\n第二条"
    assert third.data.attachments == [PHOTO]
    done = form.details_done(FlowState(third.step, third.data))
    assert isinstance(done, Accepted) and done.step == ReportStep.IDENTITY
    who = form.choose_identity(FlowState(done.step, done.data), Identity.NO_FOLLOW_UP)
    assert isinstance(who, Accepted) and who.step == ReportStep.CONFIRM
    assert who.data.identity == Identity.NO_FOLLOW_UP


def test_bad_details_are_refused_and_nothing_is_lost() -> None:
    state = at(ReportStep.DETAILS, text="已写的")
    assert form.give_details(state, None, limit=100) == Rejected("report_unsupported")
    too_long = form.give_details(state, Content(text="长" * 100), limit=100)
    assert too_long == Rejected("report_too_long", {"limit": 100, "kept": 3})
    assert form.details_done(at(ReportStep.DETAILS)) == Rejected("report_empty")
    assert form.give_details(at(ReportStep.IDENTITY), Content(text="x"), limit=9) == Rejected(
        "use_buttons"
    )
    assert form.choose_identity(at(ReportStep.DETAILS), Identity.NAMED) == form.EXPIRED


def test_a_suggestion_is_its_own_form() -> None:
    draft = form.suggestion("合理化建议")
    assert draft.kind == CaseKind.SUGGESTION and form_for(draft.kind) is SUGGEST_FORM
    assert form_for(CaseKind.GRIEVANCE) is REPORT_FORM
    assert (
        REPORT_FORM.cancelled == "cancel_report" and SUGGEST_FORM.cancelled == "cancel_suggestion"
    )


def test_written_words_are_needed() -> None:
    assert words(None) == Rejected("text_expected")
    assert words(Content(text="  ", attachment=PHOTO)) == Rejected("text_expected")
    assert words(Content(text="<b>好</b>")) == "<b>好</b>"


def event(step: EventStep, **fields: object) -> FlowState[EventStep, EventDraft]:
    return FlowState(step, EventDraft.model_validate(fields))


def test_only_a_wedding_or_a_birth_asks_to_be_shared() -> None:
    own = care.choose_who(event(EventStep.WHO), own=True, name="王小明")
    assert isinstance(own, Accepted) and own.step == EventStep.DETAILS
    assert own.data.subject == "王小明"
    other = care.choose_who(event(EventStep.WHO), own=False, name="王小明")
    assert isinstance(other, Accepted) and other.step == EventStep.NAME
    named = care.give_text(event(EventStep.NAME), "李华" * 40)
    assert isinstance(named, Accepted) and len(named.data.subject) == care.NAME_MAX
    wedding = care.give_text(event(EventStep.DETAILS, event=CareEvent.WEDDING), "下周办酒")
    assert isinstance(wedding, Accepted) and wedding.step == EventStep.SHARE
    illness = care.give_text(event(EventStep.DETAILS, event=CareEvent.ILLNESS), "住院")
    assert isinstance(illness, Accepted) and illness.step == EventStep.CONFIRM
    assert not illness.data.share
    assert care.give_text(event(EventStep.KIND), "随便") == Rejected("use_buttons")
    assert care.give_text(event(EventStep.DETAILS), " ") == Rejected("text_expected")
    assert care.choose_share(event(EventStep.CONFIRM), True) == care.EXPIRED


def test_hardship_documents_toggle_and_visits_parse() -> None:
    state = FlowState(HardshipStep.DOCUMENTS, HardshipDraft(details="困难"))
    ticked = care.toggle_document(state, 1, ["申请书", "收入证明"])
    assert isinstance(ticked, Accepted) and ticked.data.documents == [1]
    back = care.toggle_document(FlowState(ticked.step, ticked.data), 1, ["申请书", "收入证明"])
    assert isinstance(back, Accepted) and back.data.documents == []
    assert care.toggle_document(state, 7, ["申请书"]) == care.EXPIRED
    assert care.parse_visit("500 水果和慰问金") == (500, "水果和慰问金")
    assert care.parse_visit("800元") == (800, "")
    assert care.parse_visit("水果") == Rejected("visit_bad")
    assert care.give_reason("  ") == Rejected("visit_reason")
