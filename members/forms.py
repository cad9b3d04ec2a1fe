from django import forms

from members.models import User, time_zone_choices


class ProfileForm(forms.ModelForm):
    time_zone = forms.TypedChoiceField(choices=time_zone_choices, label="Your time zone")

    class Meta:
        model = User
        fields = ["display_name", "time_zone", "phone"]
        labels = {"display_name": "Name others in your groups see", "phone": "Phone (optional)"}
