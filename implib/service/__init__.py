"""The libraries as a service: one URL layout, served, exported and fetched.

* :mod:`.layout`: the URL space and its index (what every other module speaks);
* :mod:`.export`: producing the libraries, and writing them as static files;
* :mod:`.server`: ``implib serve``, a small ASGI app on uvicorn;
* :mod:`.client`: ``implib fetch``, digest-checked, with a local fallback.

The client imports only :mod:`.layout` of this package: fetching does not
load the producer stack unless it falls back to generating.
"""
