"""chipkg's benchmark suite: a synthetic corpus generator (``corpus``) and a runner
(``run``) that puts chipkg beside an Oxigraph server and bare Starlette. Not installed
with the package; run it from a checkout (``make bench SIZE=100k``)."""
