"""Every form renders a field the same way: the error right under the control in the error
style, once; the help text muted after it; the form's own errors once, at the top."""

from django import forms


class _Form(forms.Form):
    name = forms.CharField(help_text="What others see.")
    agree = forms.BooleanField(help_text="Tick to go on.")

    def clean(self):
        raise forms.ValidationError("Something about the whole form.")


def test_errors_sit_under_their_field_once_and_help_stays_help():
    # GIVEN a form posted empty
    form = _Form(data={})
    form.is_valid()
    # WHEN it is rendered
    html = form.as_div()
    # THEN each field's error follows its control, in the error style, once
    assert html.count("This field is required.") == 2
    name_input = html.index('id="id_name"')
    error = html.index('class="field-error"', name_input)
    help_text = html.index('class="field-help"', name_input)
    assert name_input < error < help_text
    assert 'aria-invalid="true"' in html
    # AND the form's own error appears once, at the top
    assert html.count("Something about the whole form.") == 1
    assert html.index("Something about the whole form.") < name_input
    # AND a checkbox is inside its label
    assert '<label><input type="checkbox" name="agree"' in html
