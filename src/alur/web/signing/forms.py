from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

# A signed SOP of the largest size alur stores is a few MB; the check reads the file in memory.
MAX_CHECK_BYTES = 25 * 1024 * 1024


class CheckForm(forms.Form):
    file = forms.FileField(label=_("PDF file to check"))

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_CHECK_BYTES:
            raise forms.ValidationError(_("The file is larger than {mb} MB.").format(
                mb=MAX_CHECK_BYTES // (1024 * 1024)))
        return upload
