"""allauth's MFA adapter: TOTP secrets and recovery-code seeds stored encrypted (core.crypto).

A database dump alone then holds no second factor. Values stored before encryption was on
(no prefix) still decrypt as clear text; migration 0005 encrypts them.
"""

from allauth.mfa.adapter import DefaultMFAAdapter

from core.crypto import decrypt_text, encrypt_text


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return encrypt_text(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_text(encrypted_text)
