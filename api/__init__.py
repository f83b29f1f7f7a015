"""The HTTP service (a Starlette app built by ``create_app``) and the ``chipkg`` command line."""
