import sys, time
from tests.security import test_hostile_input as h
from tests.security.test_hostile_input import full_world, _field_encryption_key, _quiet_logs  # noqa

def test_probe(full_world):
    t=time.time(); c=time.process_time()
    site = h.survey(full_world)
    print("survey wall", round(time.time()-t,1), "cpu", round(time.process_time()-c,1), len(site.targets), len(site.queries), file=sys.stderr)
    n=0
    for tg in site.targets:
        k=sum(len(h.values_for(tg.kinds.get(f,()))) for f in tg.fields); n+=k
        print(k, tg.label(), tg.fields, file=sys.stderr)
    print("posts", n, "gets", sum(len(q.values) for q in site.queries), file=sys.stderr)
    for q in site.queries: print("Q", q.persona, q.path, q.param, file=sys.stderr)
    judge = h.Judge(); judge.baseline()
    t=time.time(); c=time.process_time()
    for tg in site.targets[:15]:
        for f in tg.fields[:2]:
            judge.post(site.personas[tg.persona], tg, f, "x"*10000)
    print("30 posts wall", round(time.time()-t,1), "cpu", round(time.process_time()-c,1), judge.requests, file=sys.stderr)
    print(judge.problems, file=sys.stderr)
