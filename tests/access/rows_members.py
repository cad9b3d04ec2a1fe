from tests.access.matrix import Row, signed_in_only

ROWS = [
    Row("home", signed_in_only()),
    Row("account", signed_in_only()),
]
