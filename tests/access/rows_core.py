from tests.access.matrix import Row, expect

# The health probe answers everyone alike, signed in or not: it says nothing about anyone.
ROWS = [Row("healthz", expect(200))]
