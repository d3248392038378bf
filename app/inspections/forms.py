from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class RequestForm(FlaskForm):
    reference = StringField("Consignment reference", validators=[InputRequired(), Length(max=80)])
    exit_side = SelectField("Leaving", validators=[InputRequired()])
    category = SelectField("Cargo category", validators=[InputRequired()])
    agencies = CheckboxesField("Agencies that selected it", validators=[InputRequired(message="Tick at least one agency.")])
    expected_arrival = DateTimeLocalField("Expected arrival", format="%Y-%m-%dT%H:%M", validators=[InputRequired()])
    arrival_zone = SelectField("Arrival time is on the clock of")
    duration_minutes = IntegerField("Inspection minutes", validators=[Optional(), NumberRange(5, 1440)])
    max_wait_minutes = IntegerField("Maximum wait (minutes)", validators=[Optional(), NumberRange(1, 20160)])
    reversal_allowed = BooleanField("Entry controls may come first (agreed reversal)")
    accepts_out_of_hours = BooleanField("The trader accepts out-of-hours service at the agencies' fees")
    notice_derogation = BooleanField("The trader invokes the notice derogation (shorter pre-notification)")
    submit = SubmitField("Save request and see offers")


class BookForm(FlaskForm):
    offer = HiddenField(validators=[InputRequired()])
    submit = SubmitField("Book")


class CancelForm(FlaskForm):
    reason = TextAreaField("Reason", validators=[InputRequired(), Length(max=500)])
    submit = SubmitField("Cancel booking")


class RescheduleForm(FlaskForm):
    offer = HiddenField(validators=[InputRequired(message="Pick a new slot.")])
    reason = TextAreaField("Reason", validators=[InputRequired(), Length(max=500)])
    submit = SubmitField("Move booking")
