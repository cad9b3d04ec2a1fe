"""The time zone list people choose from: real places, the common ones first."""

from core.timezones import time_zone_choices
from groups.forms import GroupForm


def _flat(choices):
    return [value for _group, options in choices for value, _label in options]


def test_the_clinics_zone_leads_and_only_real_places_follow(settings):
    # GIVEN a clinic in Madrid
    settings.CLINIC_TIME_ZONE = "Europe/Madrid"
    # WHEN the list is built
    choices = time_zone_choices()
    common, every = choices[0][1], choices[1][1]
    # THEN the clinic's zone comes first, then other common ones, then every real zone
    assert common[0] == ("Europe/Madrid", "Europe/Madrid")
    assert ("America/New_York", "America/New York") in common
    values = _flat(choices)
    for unreal in ("Factory", "localtime", "posixrules", "Etc/GMT+5", "US/Eastern", "GB"):
        assert unreal not in values
    assert "Asia/Kolkata" in [value for value, _label in every]


def test_a_new_group_starts_in_the_clinics_zone(settings):
    # GIVEN a clinic in London
    settings.CLINIC_TIME_ZONE = "Europe/London"
    # WHEN a facilitator opens a blank group form
    form = GroupForm()
    # THEN the time zone is the clinic's, not the first of the list (Africa/Abidjan)
    assert 'value="Europe/London" selected' in str(form["time_zone"])
