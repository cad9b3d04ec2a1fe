import sys, time
from pyinstrument import Profiler
from tests.security import test_hostile_input as h
from tests.security.test_hostile_input import full_world, _field_encryption_key, _quiet_logs  # noqa

def test_probe(full_world):
    site = h.survey(full_world)
    judge = h.Judge(); judge.baseline()
    prof = Profiler(); prof.start()
    c=time.process_time()
    for tg in site.targets[:40]:
        for f in tg.fields[:2]:
            judge.post(site.personas[tg.persona], tg, f, "x"*10000)
    prof.stop()
    print("posts", judge.requests, "cpu", round(time.process_time()-c,1), file=sys.stderr)
    c=time.process_time()
    for _ in range(20): h.snapshot()
    print("snapshot x20 cpu", round(time.process_time()-c,2), file=sys.stderr)
    print(prof.output_text(unicode=False, color=False, show_all=False), file=sys.stderr)
