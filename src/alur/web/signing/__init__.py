"""The electronic seal of approved SOPs and the public check of a signed file.

At approval the version's PDF (its issued document, with a QR code and a short code in every
page's footer) is signed once in the background (`services.schedule`), stored with its
SHA-256, and every download of that PDF serves the stored file (`files.signed_pdf`). Anyone can
check a file at `/verifikasi/<code>/` or with `alur verify FILE.pdf` (`validation`).

Who signs is one interface (`signers.Signer`); see `signers` for the built-in PKCS#12 seal,
the demo seal and where a remote service such as BSrE plugs in (ALUR_SIGNER).
"""
