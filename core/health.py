"""A liveness probe for load balancers and the bench's baseline: the stack's own limit.

No sign-in, no database, no template: if this answers, the process serves requests.
"""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain")
