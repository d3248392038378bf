from flask_wtf import FlaskForm
from wtforms import DateField, FloatField, IntegerField, SubmitField
from wtforms.validators import InputRequired, NumberRange

from app.services.plans import MAX_TIME_LIMIT_SECONDS, MAX_WEEKS, MAX_WORKERS


class PlanRunForm(FlaskForm):
    start = DateField("First day", validators=[InputRequired()])
    weeks = IntegerField("Weeks", default=2, validators=[InputRequired(), NumberRange(1, MAX_WEEKS)])
    seed = IntegerField("Seed", default=1, validators=[InputRequired(), NumberRange(0, 2**31 - 1)])
    time_limit_seconds = FloatField("Time limit (seconds)", default=30.0, validators=[InputRequired(), NumberRange(1, MAX_TIME_LIMIT_SECONDS)])
    workers = IntegerField("Solver workers", default=2, validators=[InputRequired(), NumberRange(1, MAX_WORKERS)])
    submit = SubmitField("Start plan run")


class PublishForm(FlaskForm):
    submit = SubmitField("Publish")
