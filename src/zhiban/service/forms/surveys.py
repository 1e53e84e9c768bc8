"""Survey questions of a campaign and the answers given on a call (CS-8); the filters of the
results page. ``service.services.surveys`` validates with them, so the pages and the API give
the same per-field messages (422 naming CS-8).

The call form's survey fields (``service/_survey.html`` renders them, ``answers_from_post``
reads them back) are, for each question of the entry's campaign:
``q<id>_score`` (1–5, score questions), ``q<id>_choice`` (one of the question's choices, choice
questions) and ``q<id>_text`` (free text, every question)."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import LOCAL_DATE, CentreForm

from ..models import Campaign, QuestionKind, SurveyQuestion
from ..models.campaigns import CHOICE_LENGTH, CHOICES_MAX, CHOICES_MIN

RULE = "CS-8"
TEXT_LENGTH = 2000  # free text beside an answer
RANGE_DAYS = 3 * 366  # the results page looks back at most three years at a time


def field_names(question_id: int) -> tuple[str, str, str]:
    """The call form's names of a question's score, choice and free text."""
    return f"q{question_id}_score", f"q{question_id}_choice", f"q{question_id}_text"


def answers_from_post(campaign, post) -> list[dict]:
    """The answers a call form carries for the campaign's questions, as
    ``survey_answers_save`` takes them: ``{"question", "score", "choice", "text"}`` for every
    question where something was given (a score stays as typed, the service checks it); an
    empty list when nothing was — the call list then records the call without a survey."""
    answers = []
    for question_id in SurveyQuestion.objects.filter(campaign=campaign).values_list(
        "pk", flat=True
    ):
        names = field_names(question_id)
        score, choice, text = ((post.get(name) or "").strip() for name in names)
        if score or choice or text:
            answers.append(
                {"question": question_id, "score": score or None, "choice": choice, "text": text}
            )
    return answers


class ChoicesField(forms.Field):
    """A choice question's answers: a list (API) or one a line (page); blank lines dropped."""

    widget = forms.Textarea(attrs={"rows": 4})

    def to_python(self, value) -> list[str]:
        if value in (None, ""):
            return []
        items = value.splitlines() if isinstance(value, str) else value
        if not isinstance(items, (list, tuple)):
            raise forms.ValidationError(_("Give the choices as a list of texts."), code=RULE)
        result = []
        for item in items:
            if not isinstance(item, str):
                raise forms.ValidationError(_("Give the choices as a list of texts."), code=RULE)
            if item.strip():
                result.append(item.strip())
        return result

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, (list, tuple)) else value


class SurveyQuestionForm(forms.ModelForm):
    """A survey question (CS-8): its text, a score 1–5 or a choice among 2–8 distinct answers
    of at most 60 characters, and its place in the survey (empty: after the others)."""

    position = forms.IntegerField(
        label=_("position"),
        min_value=1,
        max_value=99,
        required=False,
        help_text=_("Empty: after the other questions"),
    )
    choices = ChoicesField(
        label=_("choices"),
        required=False,
        help_text=_("Choice questions: 2–8 answers, one a line"),
    )

    class Meta:
        model = SurveyQuestion
        fields = ["text", "kind", "choices", "position"]
        labels = {"text": _("question text")}

    def __init__(self, *args, centre=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre
        self.fields["kind"].choices = QuestionKind.choices  # no empty choice: score first
        self.fields["kind"].initial = QuestionKind.SCORE

    def clean_text(self) -> str:
        return self.cleaned_data["text"].strip()

    def clean(self):
        data = super().clean()
        kind, choices = data.get("kind"), data.get("choices") or []
        if kind == QuestionKind.SCORE and choices:
            self.add_error(
                "choices",
                forms.ValidationError(
                    _("A score question takes no choices: it is answered 1–5 (CS-8)."),
                    code=RULE,
                ),
            )
        elif kind == QuestionKind.CHOICE:
            problem = None
            if not CHOICES_MIN <= len(choices) <= CHOICES_MAX:
                problem = _("A choice question offers 2 to 8 choices; %(n)s given (CS-8).") % {
                    "n": len(choices)
                }
            elif len(set(choices)) != len(choices):
                problem = _("Each choice must differ from the others (CS-8).")
            elif any(len(c) > CHOICE_LENGTH for c in choices):
                problem = _("A choice has at most %(n)s characters (CS-8).") % {"n": CHOICE_LENGTH}
            if problem:
                self.add_error("choices", forms.ValidationError(problem, code=RULE))
        return data


PERIODS = [("month", _("Month")), ("week", _("Week"))]


class ResultsForm(CentreForm):
    """The results' filters (CS-8): a campaign (empty: every campaign of the centre), the
    first and last day (in the centre's zone; at most three years apart) and the period the
    trend is counted by. Empty days: the last six months up to today."""

    campaign = forms.ModelChoiceField(
        label=_("campaign"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("All campaigns"),
    )
    start = forms.DateField(label=_("from"), required=False, widget=LOCAL_DATE)
    end = forms.DateField(label=_("to"), required=False, widget=LOCAL_DATE)
    period = forms.ChoiceField(label=_("counted by"), choices=PERIODS, required=False)

    def __init__(self, *args, centre, campaigns=None, **kwargs):
        super().__init__(*args, centre=centre, **kwargs)
        self.fields["campaign"].queryset = (
            campaigns if campaigns is not None else Campaign.objects.filter(centre=centre)
        )
        today = timezone.localdate(timezone=centre.tz)
        self.default_end = today
        self.default_start = first_of_month(today, back=5)

    def clean(self):
        data = super().clean()
        start = data.get("start") or self.default_start
        end = data.get("end") or self.default_end
        if "start" in data and "end" in data:
            if end < start:
                self.add_error("end", forms.ValidationError(_("The last day is before the first.")))
            elif (end - start).days > RANGE_DAYS:
                self.add_error(
                    "end", forms.ValidationError(_("Show at most three years at a time."))
                )
        data["start"], data["end"] = start, end
        data["period"] = data.get("period") or "month"
        return data


def first_of_month(day: date, back: int = 0) -> date:
    """The first day of the month ``back`` months before ``day``'s."""
    month = day.year * 12 + day.month - 1 - back
    return date(month // 12, month % 12 + 1, 1)


def day_after(day: date) -> date:
    return day + timedelta(days=1)
