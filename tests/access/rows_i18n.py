from tests.access.matrix import Row, expect

# The language picker (Django's set_language): anyone may choose, and is sent back.
ROWS = [
    Row(
        "set_language",
        expect(302),
        method="post",
        data=lambda w: {"language": "fr", "next": "/"},
    ),
]
